"""Contract: a vendor whose secondary lookup (names, owners, portal or workspace details, page
bodies, audits) is down still yields the primary records, without that detail.

Each case names the adapter, the path that fails (for as long as the fake lives), the read, and
what the records lack instead. Run by `tests/connectors/test_contract_secondary.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from connectors.records import Account, Article, ChatMessage, Comment, Record, Ticket


@dataclass(frozen=True)
class SecondaryCase:
    """One secondary lookup that fails, and what the primary read still returns."""

    backend: str
    failing: str
    """Regex of the request path that answers 500."""
    read: Callable[[Any], list[Record]]
    degraded: Callable[[list[Record]], bool]
    """True when the records lack exactly the detail the failed lookup supplies."""
    settings: dict[str, Any]
    fake: dict[str, Any]
    """Attributes set on the fake first (e.g. no sideloading, so names need `show_many`)."""
    same_count: bool = True
    """False when the lookup supplies records of its own (audits add status-change entries)."""

    @property
    def id(self) -> str:
        return f"{self.backend}:{self.failing}"


def _one(found: Any) -> list[Record]:
    return [found] if found is not None else []


def _tickets(records: list[Record]) -> list[Ticket]:
    return [r for r in records if isinstance(r, Ticket)]


SECONDARY_CASES = [
    SecondaryCase(
        "zendesk",
        r"/api/v2/users/show_many",
        lambda c: _one(c.get_ticket("1042")),
        lambda rs: all(t.requester is None and t.account == "Acme Corp" for t in _tickets(rs)),
        {},
        {"sideload": False},
    ),
    SecondaryCase(
        "zendesk",
        r"/api/v2/organizations/show_many",
        lambda c: c.search_tickets("api 500", limit=5),
        lambda rs: all(t.account is None and t.requester == "Dana Smith" for t in _tickets(rs)),
        {},
        {"sideload": False},
    ),
    SecondaryCase(
        "zendesk",
        r"/api/v2/tickets/\d+/audits",
        lambda c: list(c.ticket_comments("1042")),
        lambda rs: all(isinstance(r, Comment) and r.author_role != "system" for r in rs),
        {},
        {},
        same_count=False,
    ),
    SecondaryCase(
        "hubspot",
        r"/account-info/2026-09/details",
        lambda c: _one(c.find_account("Acme Corp")),
        lambda rs: all(isinstance(a, Account) and a.url is None and a.arr == 240000 for a in rs),
        {},
        {},
    ),
    SecondaryCase(
        "hubspot",
        r"/crm/owners/2026-09/\d+",
        lambda c: _one(c.find_account("Acme Corp")),
        lambda rs: all(isinstance(a, Account) and a.csm is None and a.open_deals for a in rs),
        {},
        {},
    ),
    SecondaryCase(
        "hubspot",
        r"/crm/objects/2026-09/contacts/search",
        lambda c: _one(c.find_account("Acme Corp")),
        lambda rs: all(isinstance(a, Account) and a.contacts == () and a.csm for a in rs),
        {},
        {},
    ),
    SecondaryCase(
        "intercom",
        r"/me",
        lambda c: _one(c.get_ticket("215")),
        lambda rs: all(t.url is None and t.subject for t in _tickets(rs)),
        {},
        {},
    ),
    SecondaryCase(
        "slack",
        r"/api/auth\.test",
        lambda c: list(c.replies("C0ENG", "1792407000.000100")),
        lambda rs: all(isinstance(m, ChatMessage) and str(m.url).startswith("https://slack.com/") for m in rs),
        {},
        {},
    ),
    SecondaryCase(
        "confluence",
        r"/wiki/api/v2/pages/\d+",
        lambda c: list(c.search_articles("API 500 errors")),
        lambda rs: all(isinstance(a, Article) and "Workaround" not in a.body for a in rs),
        {},
        {},
    ),
    SecondaryCase(
        "notion",
        r"/v1/blocks/[0-9a-f-]+/children",
        lambda c: list(c.search_articles("ingest API errors")),
        lambda rs: all(isinstance(a, Article) and a.body == "" for a in rs),
        {},
        {},
    ),
]
"""Every secondary lookup of the REST adapters (Salesforce, Jira and Linear make none)."""
