"""The offline model's gather plan: which read-only tools to call, from the request and what the
earlier calls returned. Three turns at most: search broadly, open what matched, follow links."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from agent.models.base import ToolCall
from agent.offline.relevance import Scorer, issue_terms, name_terms, same_account
from agent.offline.text import STOPWORDS, words
from connectors.records import Account, Record, Ticket, TrackerIssue

NOT_NAMES = frozenset(
    [
        "API",
        "SSO",
        "SAML",
        "CSV",
        "PDF",
        "UI",
        "URL",
        "SDK",
        "Enterprise",
        "Business",
        "Starter",
        "Okta",
        "Azure",
        "Google",
        "Chrome",
        "Firefox",
        "Safari",
        "Slack",
        "Jira",
        "The",
        "This",
        "That",
        "Our",
        "We",
        "It",
        "Data",
        "Export",
        "HTTP",
        "REST",
        "JSON",
        "Customer",
        "Customers",
        "Account",
        "All",
        "Users",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Since",
        "Today",
        "Yesterday",
    ]
)
NAME_AFTER = re.compile(
    r"\b(?:for|at|from|customer|account|client)\s+((?:[A-Z][\w&'.-]*)(?:\s+(?:[A-Z][\w&'.-]*|&)){0,3})"
)
PLAN_WORDS = {"enterprise": "Enterprise", "business": "Business", "starter": "Starter"}
MAX_TICKETS_OPENED = 8


TITLE_WORDS = frozenset(
    [
        "VP",
        "CEO",
        "CTO",
        "CFO",
        "COO",
        "CISO",
        "CIO",
        "SVP",
        "EVP",
        "Head",
        "Director",
        "Manager",
        "Engineering",
        "Product",
        "Support",
        "Sales",
        "Finance",
        "Legal",
        "Team",
        "Admin",
        "Security",
        "Marketing",
        "IT",
        "Ops",
        "DPO",
    ]
)


def named_customer(text: str) -> str | None:
    """A capitalized organization name after 'for/at/from' ('... for Acme Corp'), without a
    possessive or a job title that follows it ("Acme's VP Engineering" -> "Acme")."""
    for match in NAME_AFTER.finditer(text):
        name_words: list[str] = []
        for word in match.group(1).split():
            if word in NOT_NAMES or word in TITLE_WORDS:
                break
            possessive = re.match(r"^(.+?)['’]s?$", word)
            name_words.append(possessive.group(1) if possessive else word)
            if possessive:
                break
        if name_words and name_words[0] == match.group(1).split()[0].split("'")[0].split("’")[0]:
            return " ".join(name_words).rstrip(".,;")
    return None


def symptom_query(text: str, customer: str | None, limit: int = 7) -> str:
    """The words that describe the symptom, without the customer's name and filler."""
    skip = name_terms(customer)
    picked: list[str] = []
    for word in words(text):
        if word in STOPWORDS or len(word) < 2 or issue_terms(word) <= skip or (word.isdigit() and len(word) != 3):
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

    text: str = request.get("request", "")
    accounts = [r for r in records if isinstance(r, Account)]
    from agent.offline.extractor import guess_customer

    customer = request.get("customer") or guess_customer(text, accounts)
    query = symptom_query(text, customer)
    if not made:
        if request.get("ticket_id"):
            want("get_ticket", ticket_id=str(request["ticket_id"]))
        if query:
            for tool in ("search_tickets", "search_chat", "search_tracker", "search_kb"):
                want(tool, query=query)
        if customer:
            want("search_tickets", customer=customer)
            want("find_account", name=customer)
        plan = segment_plan(text)
        if plan:
            want("list_accounts", plan=plan)
        return calls

    tickets = [r for r in records if isinstance(r, Ticket)]
    primary = next((t for t in tickets if t.source_id == str(request.get("ticket_id", "")).lstrip("#")), None)
    if primary is not None:
        subject_query = symptom_query(primary.subject, primary.account)
        for tool in ("search_tickets", "search_chat", "search_tracker", "search_kb"):
            want(tool, query=subject_query)
        if primary.account:
            want("find_account", name=primary.account)
    scorer = Scorer.build(text + (f" {primary.subject}" if primary else ""), tickets, exclude=name_terms(customer))
    opened = {c.arguments.get("ticket_id") for c in made if c.name == "get_ticket"}
    candidates = [t for t in tickets if (customer and same_account(t.account, customer)) or scorer.score(t) >= 0.45]
    candidates.sort(key=lambda t: -scorer.score(t))
    for ticket in candidates[:MAX_TICKETS_OPENED]:
        if ticket.source_id not in opened:
            want("get_ticket", ticket_id=ticket.source_id)
        if ticket.account:
            want("find_account", name=ticket.account)
    known_keys = {r.key for r in records if isinstance(r, TrackerIssue)}
    for key in sorted({k for t in candidates for k in t.tracker_keys} - known_keys):
        want("get_tracker_issue", key=key)
    for issue in (r for r in records if isinstance(r, TrackerIssue)):
        if issue.regression_of and issue.regression_of not in known_keys:
            want("get_tracker_issue", key=issue.regression_of)
    found_names = {a.name.lower() for a in accounts}
    return [c for c in calls if not (c.name == "find_account" and str(c.arguments["name"]).lower() in found_names)]


def now_of(request: dict[str, Any]) -> datetime:
    """The request's 'today' as a datetime."""
    return datetime.fromisoformat(request["today"])
