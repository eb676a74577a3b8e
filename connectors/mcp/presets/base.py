"""What a preset is: for each connector operation, which MCP tool to call, with which arguments,
and how to read its result back as records."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from connectors.records import Record

OP_CATEGORY: dict[str, str] = {
    "search_tickets": "support",
    "get_ticket": "support",
    "ticket_comments": "support",
    "find_account": "crm",
    "list_accounts": "crm",
    "search_messages": "chat",
    "search_issues": "tracker",
    "get_issue": "tracker",
    "search_articles": "kb",
}
"""Every operation a preset may map, and the category it serves."""


@dataclass(frozen=True)
class Query:
    """The connector-side arguments of one operation."""

    text: str = ""
    customer: str = ""
    since: datetime | None = None
    limit: int = 20
    ident: str = ""
    """The id or key asked for (get_ticket, ticket_comments, get_issue); the name for find_account."""
    plan: str = ""


@dataclass(frozen=True)
class MapContext:
    """What a result mapper may need besides the payload."""

    link: str | None = None
    """The category's web link template with `{id}`, for results that carry no link."""
    ident: str = ""
    """The id that was asked for, when there was one."""


Args = Callable[[Query], dict[str, Any] | None]
"""Tool arguments for a query, or None when the query cannot be expressed (e.g. no keywords)."""
Parse = Callable[[Any, MapContext], list[Record]]


@dataclass(frozen=True)
class Call:
    """One way to perform an operation: a tool name and how to build its arguments."""

    tool: str
    args: Args
    local_filter: bool = False
    """The tool lists rather than searches, so results are filtered by the query words here."""
    filters_customer: bool = False
    """The tool itself restricts tickets to the customer; else they are kept only when their account matches."""
    needs: tuple[str, ...] = ()
    """Arguments without which the call means something else (a search without its query lists
    recent items): a tool whose schema lacks one is an error, not a silent fallback."""


@dataclass(frozen=True)
class Op:
    """An operation: candidate calls (the first tool the server lists wins) and the result mapper."""

    calls: tuple[Call, ...]
    parse: Parse

    def tools(self) -> tuple[str, ...]:
        """The candidate tool names, in preference order."""
        return tuple(c.tool for c in self.calls)


@dataclass(frozen=True)
class Preset:
    """The tool mapping for one kind of server (Intercom's, HubSpot's, ...)."""

    name: str
    summary: str
    ops: Mapping[str, Op]
    read_tools: tuple[str, ...] = ()
    """Read-only tools offered to Claude directly when the server's `tools` allowlist is not set."""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def categories(self) -> set[str]:
        """The categories this preset can serve."""
        return {OP_CATEGORY[op] for op in self.ops}


def same(**fixed: Any) -> Args:
    """Arguments that do not depend on the query."""
    return lambda _q: dict(fixed)
