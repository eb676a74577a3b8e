"""The offline model's gather plan: which read-only tools to call, from the request and what the
earlier calls returned. Three turns at most: search broadly, open what matched, follow links."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from agent.gather.mentions import ids_named
from agent.gather.names import same_name
from agent.models.base import ToolCall
from agent.models.offline.customers import customers_in, name_candidates, organizations_mentioned
from agent.models.offline.relevance import Scorer, error_tokens, issue_terms, names_terms
from agent.models.offline.signals import Passage, sanitize
from agent.models.offline.text import STOPWORDS, bound_tokens, words
from connectors.records import Account, Record, Ticket, TrackerIssue

PLAN_WORDS = {"enterprise": "Enterprise", "business": "Business", "starter": "Starter"}
MAX_TICKETS_OPENED = 8


def request_customers(request: dict[str, Any], accounts: list[Account]) -> list[str]:
    """The customers a request is about: the explicit `customer`, then those its text names."""
    named = customers_in(str(request.get("request", "")), accounts)
    explicit = request.get("customer")
    return [explicit, *[n for n in named if not same_name(n, explicit)]] if explicit else named


FILLER = frozenset(
    "hey hiya guys folks pls plz asap urgent urgently quick quickly sorry anyway basically actually literally "
    "honestly apparently seems seem maybe probably definitely totally completely kinda sorta stuff thing things "
    "something anything everything nothing gonna wanna gotta yeah yes nope ok okay hmm".split()
)
"""Words that carry tone, not the symptom: never search terms."""


def symptom_query(text: str, customers: list[str], limit: int = 7) -> str:
    """The issue's key terms: exact error codes first, then the words that describe the symptom,
    without the customers' names, contractions and filler."""
    skip = names_terms(customers)
    lowered = text.lower()
    codes = sorted((c for c in error_tokens(text) if " " not in c), key=lambda c: (lowered.find(c), c))
    picked: list[str] = codes[:2]
    for word in words(text):
        if word in STOPWORDS or word in FILLER or len(word) < 2 or "'" in word or "’" in word:
            continue
        if issue_terms(word) <= skip or (word.isdigit() and len(word) != 3):
            continue
        if word not in picked:
            picked.append(word)
    return " ".join(picked[:limit])


def segment_plan(text: str) -> str | None:
    """'all Enterprise customers' -> 'Enterprise'."""
    match = re.search(r"\ball\s+(?:of\s+)?(?:our\s+)?(enterprise|business|starter)\b", text, re.I)
    return PLAN_WORDS[match.group(1).lower()] if match else None


def _call(n: int, tool: str, **arguments: Any) -> ToolCall:
    return ToolCall(id=f"offline_{n}_{tool}", name=tool, arguments=arguments)


def plan_turn(
    request: dict[str, Any], made: list[ToolCall], records: list[Record], tools: Iterable[str]
) -> list[ToolCall]:
    """The next turn's tool calls; an empty list means gathering is done."""
    available = set(tools)
    done = {(c.name, tuple(sorted(c.arguments.items()))) for c in made}
    calls: list[ToolCall] = []

    def want(tool: str, **arguments: Any) -> None:
        key = (tool, tuple(sorted(arguments.items())))
        if (
            tool in available
            and key not in done
            and all((c.name, tuple(sorted(c.arguments.items()))) != key for c in calls)
        ):
            calls.append(_call(len(made) + len(calls), tool, **arguments))

    # Searches are built from the request without its injected text, as the reading is.
    text = sanitize([Passage(bound_tokens(str(request.get("request", ""))), "request")])[0][0].text
    accounts = [r for r in records if isinstance(r, Account)]
    customers = request_customers({**request, "request": text}, accounts)
    query = symptom_query(text, customers)
    if not made:
        if request.get("ticket_id"):
            want("get_ticket", ticket_id=str(request["ticket_id"]))
        for ident in ids_named(text):
            want("get_ticket", ticket_id=ident)
            if "-" in ident:
                want("get_tracker_issue", key=ident)
        if query:
            for tool in ("search_tickets", "search_chat", "search_tracker", "search_kb"):
                want(tool, query=query)
        for customer in customers:
            want("search_tickets", customer=customer)
            want("find_account", name=customer)
        for candidate in name_candidates(text)[:3]:
            if not any(same_name(candidate, c) for c in customers):
                want("find_account", name=candidate)
        plan = segment_plan(text)
        if plan:
            want("list_accounts", plan=plan)
        return calls

    for customer in customers:  # a customer the CRM resolved from a short name ("harbor's") has tickets too
        want("search_tickets", customer=customer)
    tickets = [r for r in records if isinstance(r, Ticket)]
    primary = asked_ticket(request, tickets, text)
    if primary is not None:
        subject_query = symptom_query(primary.subject, [primary.account] if primary.account else [])
        for tool in ("search_tickets", "search_chat", "search_tracker", "search_kb"):
            want(tool, query=subject_query)
        if primary.account:
            want("find_account", name=primary.account)
    scorer = Scorer.build(text + (f" {primary.subject}" if primary else ""), tickets, exclude=names_terms(customers))
    opened = {c.arguments.get("ticket_id") for c in made if c.name == "get_ticket"}
    codes = error_tokens(text + (f" {primary.subject} {primary.description}" if primary else ""))
    candidates = [
        t
        for t in tickets
        if any(same_name(t.account, c) for c in customers)
        or scorer.score(t) >= 0.45
        or codes & error_tokens(f"{t.subject} {t.description}")
    ]
    candidates.sort(key=lambda t: -scorer.score(t))
    for ticket in candidates[:MAX_TICKETS_OPENED]:
        if ticket.source_id not in opened:
            want("get_ticket", ticket_id=ticket.source_id)
        if ticket.account:
            want("find_account", name=ticket.account)
    for ticket in candidates[:3]:
        # Other organizations a ticket names (e.g. the tenant whose data showed up) may be accounts too.
        for name in organizations_mentioned(f"{ticket.subject}. {ticket.description}"):
            if not any(same_name(name, c) for c in customers) and not same_name(name, ticket.account):
                want("find_account", name=name)
    known_keys = {r.key for r in records if isinstance(r, TrackerIssue)}
    for key in sorted({k for t in candidates for k in t.tracker_keys} - known_keys):
        want("get_tracker_issue", key=key)
    for issue in (r for r in records if isinstance(r, TrackerIssue)):
        if issue.regression_of and issue.regression_of not in known_keys:
            want("get_tracker_issue", key=issue.regression_of)
    found_names = {a.name.lower() for a in accounts}
    return [c for c in calls if not (c.name == "find_account" and str(c.arguments["name"]).lower() in found_names)]


def asked_ticket(request: dict[str, Any], tickets: list[Ticket], text: str) -> Ticket | None:
    """The ticket the request asks about: the one given by id, else the first the text names by id."""
    wanted = str(request.get("ticket_id") or "").lstrip("#")
    if wanted:
        return next((t for t in tickets if t.source_id == wanted), None)
    named = ids_named(text)
    return next((t for ident in named for t in tickets if t.source_id == ident), None)


def now_of(request: dict[str, Any]) -> datetime:
    """The request's 'today' as a datetime."""
    return datetime.fromisoformat(request["today"])
