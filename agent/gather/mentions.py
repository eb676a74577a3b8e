"""Ticket ids and tracker keys that gathered text mentions: "same as #4821", "see ticket 4821",
"dup of T-4821", a Zendesk agent link, "ENG-1423 again" in a chat message.

Only the forms people use to point at a ticket count. A bare number is never a ticket id (it may be
a phone number, an amount, a year, a deploy or a version), and a `#` after a word that names
something else ("order #4821", "PR #4821") is not one either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from connectors.records import ChatMessage, Comment, Record, Ticket, TrackerIssue
from connectors.vendors.parse import tracker_keys_in

_TICKET_FORMS = (
    # "#4821": not an HTML entity (&#4821;), a URL fragment (page#4821) or a decimal (#48.21).
    re.compile(r"(?<![\w&#/])(?:(\w+)\s+)?#(\d{3,12})\b(?![.,]\d)"),
    # "ticket 4821", "ticket #4821", "tickets no. 4821", "conversation id 4821"
    re.compile(r"\b(?:ticket|conversation)s?\s+(?:(?:no\.?|number|id)\s*)?[:#]?\s*(\d{2,12})\b(?![.,/-]\d)", re.I),
    # "T-4821", the short form support teams write
    re.compile(r"(?<![\w-])T-(\d{2,12})\b(?![.,/-]\d)"),
    # https://acme.zendesk.com/agent/tickets/4821 and the API's /api/v2/tickets/4821(.json)
    re.compile(r"/(?:agent|api/v2)/tickets/(\d{1,19})\b"),
    # https://app.intercom.com/a/inbox/abc123/inbox/conversation/4821
    re.compile(r"intercom\.com/\S*?/conversations?/(\d{1,19})\b"),
)
_NOT_TICKETS = frozenset(
    "order invoice po pr mr issue build deploy release step item page room unit apt suite line version".split()
)
"""Words after which `#<number>` names something other than a ticket."""

MAX_TICKETS = 3
"""At most this many mentioned tickets are followed per brief."""
MAX_KEYS = 3
"""At most this many mentioned tracker issues are followed per brief."""


@dataclass(frozen=True)
class Mentions:
    """What gathered records point at and was not gathered yet, in the order first mentioned."""

    tickets: tuple[str, ...] = ()
    tracker_keys: tuple[str, ...] = ()


def ticket_ids_in(*texts: str) -> tuple[str, ...]:
    """Ticket ids the texts mention, in order, without duplicates."""
    found: list[str] = []
    for chunk in texts:
        hits: list[tuple[int, str]] = []
        for form in _TICKET_FORMS:
            for match in form.finditer(chunk or ""):
                groups = [g for g in match.groups() if g is not None]
                if form is _TICKET_FORMS[0] and len(groups) == 2 and groups[0].lower() in _NOT_TICKETS:
                    continue
                hits.append((match.start(), groups[-1]))
        found += [ident for _, ident in sorted(hits)]
    return tuple(dict.fromkeys(found))


def ids_named(text: str) -> tuple[str, ...]:
    """The record ids a request names: ticket ids (the forms of `ticket_ids_in`), then key-shaped ids
    (`PS-4402`), which may name a ticket or a tracker issue (the workspace says which), at most
    `MAX_TICKETS` + `MAX_KEYS` of them."""
    return tuple(dict.fromkeys([*ticket_ids_in(text), *tracker_keys_in(text)]))[: MAX_TICKETS + MAX_KEYS]


def texts_of(record: Record) -> list[str]:
    """The free text of a record that may mention other tickets or issues."""
    if isinstance(record, Ticket):
        return [record.subject, record.description]
    if isinstance(record, Comment):
        return [record.body]
    if isinstance(record, ChatMessage):
        return [record.text]
    if isinstance(record, TrackerIssue):
        return [record.title, record.description]
    return []


def mentioned(records: Sequence[Record], skip_tickets: Iterable[str] = (), skip_keys: Iterable[str] = ()) -> Mentions:
    """Tickets and tracker issues the records' text mentions, leaving out those gathered already
    (and `skip_*`), at most `MAX_TICKETS` and `MAX_KEYS` of them."""
    have_tickets = {r.source_id for r in records if isinstance(r, Ticket)} | set(skip_tickets)
    have_keys = {r.key for r in records if isinstance(r, TrackerIssue)} | set(skip_keys)
    tickets: list[str] = []
    keys: list[str] = []
    for record in records:
        texts = texts_of(record)
        tickets += [t for t in ticket_ids_in(*texts) if t not in have_tickets and t not in tickets]
        keys += [k for k in tracker_keys_in(*texts) if k not in have_keys and k not in keys]
    return Mentions(tuple(tickets[:MAX_TICKETS]), tuple(keys[:MAX_KEYS]))
