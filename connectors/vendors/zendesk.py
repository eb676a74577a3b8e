"""Zendesk Support JSON (tickets, comments, audits) as records, and search-query building."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from connectors.records import Comment, Ticket
from connectors.vendors.parse import EPOCH, dig, keywords, text, tracker_keys_in, when

_QUOTE_UNSAFE = re.compile(r'["\\:<>]')
_WORD = re.compile(r"^[\w.'-]+$")


UserMap = Mapping[int, Mapping[str, Any]]


def ticket_url(ui: str, ticket_id: object) -> str:
    """The agent-UI link of a ticket."""
    return f"{ui}/agent/tickets/{ticket_id}"


def _sla_due(raw: Mapping[str, Any]) -> datetime | None:
    metrics = dig(raw, "slas", "policy_metrics") or []
    due = [when(m.get("breach_at")) for m in metrics if isinstance(m, dict) and m.get("stage") == "active"]
    found = [d for d in due if d is not None]
    return min(found) if found else None


def ticket_record(
    raw: Mapping[str, Any], users: UserMap, orgs: UserMap, ui: str, timeline: Sequence[Mapping[str, Any]] = ()
) -> Ticket:
    """A Zendesk ticket JSON object as a `Ticket`; its tracker keys are those its subject,
    description or `timeline` (raw comments, when read with it) mention."""
    requester = users.get(raw.get("requester_id") or -1, {})
    org = orgs.get(raw.get("organization_id") or -1, {})
    created = when(raw.get("created_at"))
    return Ticket(
        source="zendesk",
        source_id=str(raw["id"]),
        url=ticket_url(ui, raw["id"]),
        subject=text(raw.get("subject")) or text(raw.get("raw_subject")) or "(no subject)",
        description=raw.get("description") or "",
        status=raw.get("status") or "open",
        priority=raw.get("priority"),
        requester=text(requester.get("name")) or text(requester.get("email")),
        account=text(org.get("name")),
        created_at=created or EPOCH,
        updated_at=when(raw.get("updated_at")),
        sla_due_at=_sla_due(raw),
        tags=tuple(str(t) for t in raw.get("tags") or ()),
        tracker_keys=tracker_keys_in(
            str(raw.get("subject") or ""),
            str(raw.get("description") or ""),
            *(str(c.get("plain_body") or c.get("body") or "") for c in timeline),
        ),
    )


def _role(user: Mapping[str, Any], public: bool) -> Literal["customer", "agent", "internal", "system"]:
    if not user:
        return "system"
    if user.get("role") == "end-user":
        return "customer"
    return "agent" if public else "internal"


def comment_record(raw: Mapping[str, Any], ticket_id: str, users: UserMap, ui: str) -> Comment:
    """A ticket comment (public reply or internal note) as a `Comment`."""
    author = users.get(raw.get("author_id") or -1, {})
    public = bool(raw.get("public", True))
    return Comment(
        source="zendesk",
        source_id=str(raw["id"]),
        url=ticket_url(ui, ticket_id),
        ticket_id=ticket_id,
        author=text(author.get("name")) or f"user {raw.get('author_id')}",
        author_role=_role(author, public),
        public=public,
        created_at=when(raw.get("created_at")) or EPOCH,
        body=raw.get("plain_body") or raw.get("body") or "",
    )


def audit_records(raw: Mapping[str, Any], ticket_id: str, users: UserMap, ui: str) -> list[Comment]:
    """Status and priority changes of one audit as system timeline entries."""
    out: list[Comment] = []
    author = users.get(raw.get("author_id") or -1, {})
    for event in raw.get("events") or ():
        if event.get("type") != "Change" or event.get("field_name") not in ("status", "priority"):
            continue
        field = event["field_name"]
        out.append(
            Comment(
                source="zendesk",
                source_id=f"audit-{raw.get('id')}-{event.get('id')}",
                url=ticket_url(ui, ticket_id),
                ticket_id=ticket_id,
                author=text(author.get("name")) or "Zendesk",
                author_role="system",
                public=False,
                created_at=when(raw.get("created_at")) or EPOCH,
                body=f"{field} changed from {event.get('previous_value') or 'none'} to {event.get('value')}",
            )
        )
    return out


def search_query(
    text_query: str | None, customer: str | None, since: datetime | None, words: Sequence[str] | None = None
) -> str:
    """A Zendesk search query: the customer as an `organization:` filter, never as a search word,
    and `words` (default: the text's first three keywords), which Zendesk ANDs. User text can only
    add words, never operators."""
    parts = ["type:ticket"]
    if customer:
        parts.append(f'organization:"{_QUOTE_UNSAFE.sub(" ", customer).strip()}"')
    if since:
        moment = since.astimezone(UTC).replace(microsecond=0, tzinfo=None)
        parts.append(f"created>={moment.isoformat()}Z")
    parts += keywords(text_query or "", limit=3) if words is None else [w for w in words if _WORD.match(w)]
    return " ".join(parts)
