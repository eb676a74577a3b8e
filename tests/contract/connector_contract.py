"""A reusable contract suite for connector backends.

Every backend (the demo, workspace files, HTTP adapters, MCP) must pass these checks. A test
module supplies a `Workspace` and a `KnownData` describing a few objects that exist in it, then
runs every function in `CONTRACT_CHECKS`:

    @pytest.mark.parametrize("check", CONTRACT_CHECKS, ids=check_id)
    def test_contract(check, workspace):
        check(workspace, KNOWN)

A check whose category the workspace lacks is skipped, so partial backends (chat only) can reuse it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

import pytest
from pydantic import ValidationError

from connectors.base import CRM, Chat, KnowledgeBase, SupportPlatform, Tracker, Workspace
from connectors.records import (
    RECORDS_ADAPTER,
    Account,
    Article,
    ChatMessage,
    Comment,
    Record,
    Ticket,
    TrackerIssue,
)


@dataclass(frozen=True)
class KnownData:
    """Objects known to exist in the workspace under test, and queries that find them."""

    source: str
    """The `source` every record must carry, e.g. `demo`."""
    ticket_id: str
    """A ticket that exists and has at least two comments."""
    ticket_query: str
    """Free text whose search results include `ticket_id`."""
    customer: str
    """A partial, differently-cased customer name that owns `ticket_id` (e.g. `acme`)."""
    account_name: str
    """The full account name `customer` resolves to (e.g. `Acme Corp`)."""
    account_domain: str | None
    plan: str
    """A plan at least one account is on."""
    chat_query: str
    issue_key: str
    issue_query: str
    article_query: str
    nonsense_query: str = "qzxvplm wrtyhgf"
    unknown_id: str = "no-such-object-424242"


HOSTILE_QUERIES: tuple[str, ...] = (
    '"',
    '""',
    '"unterminated phrase',
    "*",
    "**",
    "-",
    "-api",
    "ENG-1423 req_7f3a.b9 2026-11-17",
    "api-key:rotate",
    "NEAR",
    "NEAR(api export, 3)",
    "api AND",
    "OR OR OR",
    "NOT",
    "subject:export",
    "*:*",
    'col:"x"*',
    "(",
    ")",
    "^api",
    "{subject description}: x",
    "'; DROP TABLE tickets; --",
    "%",
    "_",
    "\\",
    "\x00",
    "",
    "   ",
    "😀 ümlaut ß",
    "a" * 3000,
    " ".join(["api"] * 300),
)
"""Queries with search-syntax characters that a backend must treat as plain text (never raise)."""


def check_id(check: Callable[..., object]) -> str:
    """Pytest id for a contract check."""
    return check.__name__.removeprefix("check_")


def _need(connector: object | None, category: str) -> object:
    if connector is None:
        pytest.skip(f"workspace has no {category} connector")
    return connector


def assert_provenance(records: Sequence[Record], source: str, kind: type[Record]) -> None:
    """Every record is of `kind`, carries source/source_id/url, is frozen and survives JSON."""
    for record in records:
        assert isinstance(record, kind), f"expected {kind.__name__}, got {type(record).__name__}"
        assert record.source == source
        assert record.source_id, "source_id must be set"
        assert record.url and record.url.startswith(("https://", "http://")), f"bad url {record.url!r}"
        with pytest.raises(ValidationError):
            record.source_id = "mutated"  # type: ignore[misc]
    if records:
        dumped = [r.model_dump(mode="json") for r in records]
        assert RECORDS_ADAPTER.validate_python(dumped) == list(records)


def check_protocols(ws: Workspace, known: KnownData) -> None:
    """Each present connector satisfies its protocol and has a name."""
    pairs = [
        (ws.support, SupportPlatform),
        (ws.crm, CRM),
        (ws.chat, Chat),
        (ws.tracker, Tracker),
        (ws.kb, KnowledgeBase),
    ]
    present = [(c, p) for c, p in pairs if c is not None]
    assert present, "workspace has no connectors at all"
    for connector, protocol in present:
        assert isinstance(connector, protocol)
        assert isinstance(connector.name, str) and connector.name


def check_get_ticket(ws: Workspace, known: KnownData) -> None:
    """A known ticket comes back typed; an unknown id gives None and an empty timeline."""
    support = _need(ws.support, "support")
    assert isinstance(support, SupportPlatform)
    ticket = support.get_ticket(known.ticket_id)
    assert ticket is not None
    assert ticket.source_id == known.ticket_id
    assert_provenance([ticket], known.source, Ticket)
    assert support.get_ticket(known.unknown_id) is None
    assert support.ticket_comments(known.unknown_id) == []


def check_ticket_comments(ws: Workspace, known: KnownData) -> None:
    """The timeline belongs to the ticket and is oldest first."""
    support = _need(ws.support, "support")
    assert isinstance(support, SupportPlatform)
    comments = support.ticket_comments(known.ticket_id)
    assert len(comments) >= 2
    assert all(c.ticket_id == known.ticket_id for c in comments)
    times = [c.created_at for c in comments]
    assert times == sorted(times)
    assert_provenance(comments, known.source, Comment)


def check_search_tickets_text(ws: Workspace, known: KnownData) -> None:
    """Text search finds the known ticket, honours limit, and finds nothing for nonsense."""
    support = _need(ws.support, "support")
    assert isinstance(support, SupportPlatform)
    found = support.search_tickets(known.ticket_query)
    assert known.ticket_id in [t.source_id for t in found]
    assert_provenance(found, known.source, Ticket)
    assert len(support.search_tickets(known.ticket_query, limit=1)) == 1
    assert support.search_tickets(known.nonsense_query) == []


def check_search_tickets_customer(ws: Workspace, known: KnownData) -> None:
    """A partial customer name lists only that customer's tickets, newest first, within limit."""
    support = _need(ws.support, "support")
    assert isinstance(support, SupportPlatform)
    listed = support.search_tickets(customer=known.customer)
    assert known.ticket_id in [t.source_id for t in listed]
    assert all((t.account or "").lower() == known.account_name.lower() for t in listed)
    times = [t.created_at for t in listed]
    assert times == sorted(times, reverse=True)
    assert_provenance(listed, known.source, Ticket)
    assert len(support.search_tickets(customer=known.customer, limit=1)) == 1
    assert support.search_tickets(customer=known.unknown_id) == []
    combined = support.search_tickets(known.ticket_query, customer=known.customer)
    assert known.ticket_id in [t.source_id for t in combined]
    assert all((t.account or "").lower() == known.account_name.lower() for t in combined)


def check_search_tickets_since(ws: Workspace, known: KnownData) -> None:
    """`since` keeps tickets created at or after it."""
    support = _need(ws.support, "support")
    assert isinstance(support, SupportPlatform)
    ticket = support.get_ticket(known.ticket_id)
    assert ticket is not None
    since = ticket.created_at
    recent = support.search_tickets(customer=known.customer, since=since)
    assert known.ticket_id in [t.source_id for t in recent]
    assert all(t.created_at >= since for t in recent)
    later = support.search_tickets(customer=known.customer, since=since + timedelta(seconds=1))
    assert known.ticket_id not in [t.source_id for t in later]


def check_crm(ws: Workspace, known: KnownData) -> None:
    """Accounts by partial name and domain; unknown gives None; plan filter and limit hold."""
    crm = _need(ws.crm, "crm")
    assert isinstance(crm, CRM)
    account = crm.find_account(known.customer)
    assert account is not None and account.name == known.account_name
    assert_provenance([account], known.source, Account)
    if known.account_domain:
        by_domain = crm.find_account(known.account_domain)
        assert by_domain is not None and by_domain.name == known.account_name
    assert crm.find_account(known.unknown_id) is None
    on_plan = crm.list_accounts(plan=known.plan)
    assert on_plan and all((a.plan or "").lower() == known.plan.lower() for a in on_plan)
    assert_provenance(on_plan, known.source, Account)
    assert len(crm.list_accounts(limit=1)) == 1
    assert crm.list_accounts(plan=known.unknown_id) == []


def check_chat(ws: Workspace, known: KnownData) -> None:
    """Chat search returns typed messages within limit, nothing for nonsense."""
    chat = _need(ws.chat, "chat")
    assert isinstance(chat, Chat)
    found = chat.search_messages(known.chat_query)
    assert found
    assert_provenance(found, known.source, ChatMessage)
    assert len(chat.search_messages(known.chat_query, limit=1)) == 1
    assert chat.search_messages(known.nonsense_query) == []


def check_tracker(ws: Workspace, known: KnownData) -> None:
    """Issues by query and by key; unknown key gives None."""
    tracker = _need(ws.tracker, "tracker")
    assert isinstance(tracker, Tracker)
    found = tracker.search_issues(known.issue_query)
    assert known.issue_key in [i.key for i in found]
    assert_provenance(found, known.source, TrackerIssue)
    assert len(tracker.search_issues(known.issue_query, limit=1)) == 1
    issue = tracker.get_issue(known.issue_key)
    assert issue is not None and issue.key == known.issue_key
    assert tracker.get_issue(known.unknown_id) is None
    assert tracker.search_issues(known.nonsense_query) == []


def check_kb(ws: Workspace, known: KnownData) -> None:
    """Articles by query within limit, nothing for nonsense."""
    kb = _need(ws.kb, "kb")
    assert isinstance(kb, KnowledgeBase)
    found = kb.search_articles(known.article_query)
    assert found
    assert_provenance(found, known.source, Article)
    assert len(kb.search_articles(known.article_query, limit=1)) == 1
    assert kb.search_articles(known.nonsense_query) == []


def check_hostile_queries(ws: Workspace, known: KnownData) -> None:
    """Search syntax in user input is plain text: every search returns a list, none raises."""
    for query in HOSTILE_QUERIES:
        if ws.support is not None:
            assert isinstance(ws.support.search_tickets(query), list)
            assert isinstance(ws.support.search_tickets(query, customer=query), list)
        if ws.crm is not None:
            ws.crm.find_account(query or "x")
        if ws.chat is not None:
            assert isinstance(ws.chat.search_messages(query), list)
        if ws.tracker is not None:
            assert isinstance(ws.tracker.search_issues(query), list)
            ws.tracker.get_issue(query or "x")
        if ws.kb is not None:
            assert isinstance(ws.kb.search_articles(query), list)


CONTRACT_CHECKS: tuple[Callable[[Workspace, KnownData], None], ...] = (
    check_protocols,
    check_get_ticket,
    check_ticket_comments,
    check_search_tickets_text,
    check_search_tickets_customer,
    check_search_tickets_since,
    check_crm,
    check_chat,
    check_tracker,
    check_kb,
    check_hostile_queries,
)
