"""The connector seam: one protocol per context category, and the workspace that bundles them.

Connectors are read-only here (writes live in `agent.act.actions`). They know nothing about
models. Every method returns frozen records from `connectors.records`; an unknown id returns
`None`, a search with no hits returns an empty list, and a backend failure raises
`ConnectorError` so the caller can mark the source unavailable instead of aborting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from connectors.errors import ConnectorError
from connectors.records import Account, Article, ChatMessage, Comment, Ticket, TrackerIssue

__all__ = ["CRM", "Chat", "ConnectorError", "KnowledgeBase", "SupportPlatform", "Tracker", "Workspace"]


@runtime_checkable
class SupportPlatform(Protocol):
    """Tickets, their timelines, and ticket search."""

    name: str

    def get_ticket(self, ticket_id: str) -> Ticket | None:
        """The ticket with this id, or None."""
        ...

    def ticket_comments(self, ticket_id: str) -> list[Comment]:
        """The ticket's timeline, oldest first (public replies and internal notes)."""
        ...

    def search_tickets(
        self,
        text: str | None = None,
        customer: str | None = None,
        since: datetime | None = None,
        limit: int = 20,
    ) -> list[Ticket]:
        """Tickets matching free text and/or a customer name: best match first when `text` is given,
        newest first otherwise."""
        ...


@runtime_checkable
class CRM(Protocol):
    """Customer accounts."""

    name: str

    def find_account(self, name_or_domain: str) -> Account | None:
        """The account whose name or domain matches, or None."""
        ...

    def list_accounts(self, plan: str | None = None, limit: int = 100) -> list[Account]:
        """Accounts, optionally only those on one plan (e.g. every Enterprise account)."""
        ...


@runtime_checkable
class Chat(Protocol):
    """Team chat (internal discussion, reports from other teams)."""

    name: str

    def search_messages(self, query: str, limit: int = 20) -> list[ChatMessage]:
        """Messages matching the query, best match first."""
        ...


@runtime_checkable
class Tracker(Protocol):
    """The engineering/product project tracker."""

    name: str

    def search_issues(self, query: str, limit: int = 20) -> list[TrackerIssue]:
        """Issues matching the query."""
        ...

    def get_issue(self, key: str) -> TrackerIssue | None:
        """The issue with this key, or None."""
        ...


@runtime_checkable
class KnowledgeBase(Protocol):
    """Help-center and internal articles: known issues, workarounds, how-tos."""

    name: str

    def search_articles(self, query: str, limit: int = 10) -> list[Article]:
        """Articles matching the query, best first."""
        ...


@dataclass
class Workspace:
    """The connectors one run may read from; a missing category is simply `None`."""

    name: str
    support: SupportPlatform | None = None
    crm: CRM | None = None
    chat: Chat | None = None
    tracker: Tracker | None = None
    kb: KnowledgeBase | None = None
    closers: list[object] = field(default_factory=list)
    """Objects with a `close()` method to call when the run ends (clients, connections)."""
    tool_sources: list[object] = field(default_factory=list)
    """Sources of extra read-only tools to offer the model directly (MCP servers)."""
    local: bool = False
    """Every connector reads from this machine (a SQLite store), so reads are not worth threads."""

    def categories(self) -> dict[str, object | None]:
        """Each category name with its connector (or None)."""
        return {
            "support": self.support,
            "crm": self.crm,
            "chat": self.chat,
            "tracker": self.tracker,
            "kb": self.kb,
        }

    def close(self) -> None:
        """Release every connection the workspace holds."""
        for closer in self.closers:
            close = getattr(closer, "close", None)
            if callable(close):
                close()
