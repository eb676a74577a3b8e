"""A connector category served by an MCP server through a preset (the offline model's way in)."""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from datetime import datetime
from threading import Lock
from typing import Any

from connectors.errors import ConnectorError
from connectors.mcp.arguments import ArgumentMismatch, build_arguments
from connectors.mcp.presets import Call, MapContext, Preset, Query
from connectors.mcp.session import McpConnection
from connectors.mcp.wire import CallOutcome
from connectors.records import Account, Article, ChatMessage, Comment, Record, Ticket, TrackerIssue
from connectors.vendors.parse import keywords

CACHE_SIZE = 64
NOT_FOUND = re.compile(r"not\s*found|no such|does not exist|doesn't exist|unknown|404", re.IGNORECASE)


def one_line(text: str, limit: int = 200) -> str:
    """The first `limit` characters of `text` on one line."""
    flat = " ".join(text.split())
    return flat[:limit] or "no details"


def mentions(record: Record, words: list[str]) -> bool:
    """Whether any of the words occurs in the record's text."""
    blob = json.dumps(record.model_dump(mode="json"), ensure_ascii=False).lower()
    return not words or any(word in blob for word in words)


class McpSource:
    """`SupportPlatform`, `CRM`, `Chat`, `Tracker` and `KnowledgeBase` over one server's tools.

    Only the operations the preset maps work; the others raise `ConnectorError`. Results of
    identical calls are reused within the run (get_ticket and ticket_comments often share a tool).
    """

    def __init__(
        self,
        connection: McpConnection,
        preset: Preset,
        link: str | None = None,
        arguments: dict[str, Any] | None = None,
        owns_connection: bool = False,
    ) -> None:
        self.connection = connection
        self.preset = preset
        self.link = link
        self.arguments = dict(arguments or {})
        self.owns_connection = owns_connection
        self.name = f"mcp:{connection.name}"
        self._cache: OrderedDict[str, CallOutcome] = OrderedDict()
        self._lock = Lock()

    def __repr__(self) -> str:
        return f"McpSource({self.connection.name!r}, preset={self.preset.name!r})"

    def close(self) -> None:
        """Close the connection when this source owns it (a shared one is closed by the hub)."""
        if self.owns_connection:
            self.connection.close()

    def check(self) -> str:
        """List the server's tools once; which tool each preset operation will call."""
        listed = {tool.name for tool in self.connection.list_tools()}
        mapped = {name: next((t for t in op.tools() if t in listed), None) for name, op in self.preset.ops.items()}
        missing = [name for name, tool in mapped.items() if tool is None]
        if len(missing) == len(mapped):
            raise ConnectorError(self.name, f"none of the {self.preset.name} preset's tools are offered")
        used = ", ".join(f"{name}->{tool}" for name, tool in mapped.items() if tool)
        gaps = f"; missing: {', '.join(missing)}" if missing else ""
        return f"{len(listed)} tools; {self.preset.name}: {used}{gaps}"

    # --- SupportPlatform --------------------------------------------------------------------

    def get_ticket(self, ticket_id: str) -> Ticket | None:
        """The ticket with this id, or None."""
        found = [r for r in self._records("get_ticket", Query(ident=ticket_id)) if isinstance(r, Ticket)]
        return next((t for t in found if t.source_id == ticket_id), found[0] if len(found) == 1 else None)

    def ticket_comments(self, ticket_id: str) -> list[Comment]:
        """The ticket's timeline, oldest first."""
        found = self._records("ticket_comments", Query(ident=ticket_id))
        comments = [r for r in found if isinstance(r, Comment) and r.ticket_id == ticket_id]
        return sorted(comments, key=lambda c: c.created_at)

    def search_tickets(
        self, text: str | None = None, customer: str | None = None, since: datetime | None = None, limit: int = 20
    ) -> list[Ticket]:
        """Tickets matching the text and/or customer, newest first."""
        query = Query(text=text or "", customer=customer or "", since=since, limit=limit)
        records, call = self._run("search_tickets", query)
        found = [r for r in records if isinstance(r, Ticket)]
        if since is not None:
            found = [t for t in found if t.created_at >= since]
        if customer:
            wanted, trusted = customer.strip().lower(), call is not None and call.filters_customer
            found = [t for t in found if (t.account is None and trusted) or wanted in (t.account or "").lower()]
        return sorted(found, key=lambda t: t.created_at, reverse=True)[:limit]

    # --- CRM --------------------------------------------------------------------------------

    def find_account(self, name_or_domain: str) -> Account | None:
        """The account whose name or domain matches best, or None."""
        wanted = name_or_domain.strip().lower()
        found = [r for r in self._records("find_account", Query(ident=name_or_domain)) if isinstance(r, Account)]

        def rank(account: Account) -> int:
            names = {account.name.lower(), (account.domain or "").lower()}
            if wanted in names:
                return 0
            return 1 if account.name.lower().startswith(wanted) else 2 if wanted in account.name.lower() else 3

        ranked = sorted(found, key=rank)
        return ranked[0] if ranked and rank(ranked[0]) < 3 else None

    def list_accounts(self, plan: str | None = None, limit: int = 100) -> list[Account]:
        """Accounts, optionally only those on one plan."""
        found = [
            r for r in self._records("list_accounts", Query(plan=plan or "", limit=limit)) if isinstance(r, Account)
        ]
        if plan:
            found = [a for a in found if (a.plan or "").lower() == plan.lower()]
        return found[:limit]

    # --- Chat, Tracker, KnowledgeBase ---------------------------------------------------------

    def search_messages(self, query: str, limit: int = 20) -> list[ChatMessage]:
        """Messages matching the query, newest first."""
        found = [
            r for r in self._records("search_messages", Query(text=query, limit=limit)) if isinstance(r, ChatMessage)
        ]
        return sorted(found, key=lambda m: m.posted_at, reverse=True)[:limit]

    def search_issues(self, query: str, limit: int = 20) -> list[TrackerIssue]:
        """Issues matching the query."""
        found = self._records("search_issues", Query(text=query, limit=limit))
        return [r for r in found if isinstance(r, TrackerIssue)][:limit]

    def get_issue(self, key: str) -> TrackerIssue | None:
        """The issue with this key, or None."""
        found = [r for r in self._records("get_issue", Query(ident=key)) if isinstance(r, TrackerIssue)]
        return next((i for i in found if i.key.lower() == key.lower()), None)

    def search_articles(self, query: str, limit: int = 10) -> list[Article]:
        """Articles matching the query, best first."""
        found = self._records("search_articles", Query(text=query, limit=limit))
        return [r for r in found if isinstance(r, Article)][:limit]

    # --- plumbing ---------------------------------------------------------------------------

    def _records(self, op_name: str, query: Query) -> list[Record]:
        return self._run(op_name, query)[0]

    def _run(self, op_name: str, query: Query) -> tuple[list[Record], Call | None]:
        """The records of one operation, and the call that produced them."""
        op = self.preset.ops.get(op_name)
        if op is None:
            raise ConnectorError(self.name, f"preset {self.preset.name!r} has no {op_name.replace('_', ' ')}")
        listed = {tool.name: tool for tool in self.connection.list_tools()}
        call = next((c for c in op.calls if c.tool in listed), None)
        if call is None:
            raise ConnectorError(self.name, f"the server offers none of: {', '.join(op.tools())}")
        try:
            arguments = build_arguments(call, query, self.arguments, listed[call.tool].input_schema)
        except ArgumentMismatch as exc:
            raise ConnectorError(self.name, f"preset {self.preset.name!r}: {exc}") from None
        if arguments is None:
            return [], call
        outcome = self._call(call.tool, arguments)
        if outcome.is_error:
            if query.ident and NOT_FOUND.search(outcome.text):
                return [], call  # an unknown id is an empty answer, not a broken source
            raise ConnectorError(self.name, f"{call.tool} failed: {one_line(outcome.text)}")
        records = op.parse(outcome.payload, MapContext(link=self.link, ident=query.ident))
        if call.local_filter:
            words = keywords(query.text, limit=6)
            records = [r for r in records if mentions(r, words)]
        return records, call

    def _call(self, tool: str, arguments: dict[str, Any]) -> CallOutcome:
        key = json.dumps([tool, arguments], sort_keys=True, default=str)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        outcome = self.connection.call(tool, arguments)
        if not outcome.is_error:
            with self._lock:
                self._cache[key] = outcome
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return outcome
