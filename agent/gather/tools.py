"""Read-only connector tools offered to the model while gathering context.

Each tool is a typed method whose signature and docstring become its JSON schema. A call returns
records as JSON for the model, with the typed records alongside (what the offline model reads), and
adds them to the run's `Gathered` set. A failing connector becomes an error tool result with a
short, sanitized message, and the source is marked unavailable; it never aborts the run.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationError

from agent.gather.extra_tools import ExtraTools
from agent.gather.gathered import Gathered
from agent.gather.toolspec import arguments_model, tool_spec
from agent.models.base import ToolCall, ToolResult, ToolSpec
from connectors.base import ConnectorError, Workspace
from connectors.records import Record

log = logging.getLogger(__name__)

MAX_TOOL_WORKERS = 8


def records_json(records: Sequence[Record]) -> str:
    """Records as the JSON text of a tool result."""
    return json.dumps({"records": [r.model_dump(mode="json") for r in records]}, ensure_ascii=False)


class ConnectorTools:
    """The tools over one workspace. Only categories the workspace has are offered."""

    def __init__(
        self, workspace: Workspace, now: datetime, gathered: Gathered | None = None, extra: ExtraTools | None = None
    ) -> None:
        self.workspace = workspace
        self.now = now
        self.gathered = gathered or Gathered()
        self.extra = extra if extra is not None else ExtraTools.from_workspace(workspace)
        """Tools beyond the categories (e.g. MCP servers' read-only tools), offered after them."""

    # --- the tools -------------------------------------------------------------------------

    def search_tickets(self, query: str = "", customer: str = "", days: int = 0, limit: int = 10) -> list[Record]:
        """Search support tickets by text and/or customer, newest first.

        Args:
            query: Words describing the symptom, e.g. 'export missing rows'. Empty to list a customer's tickets.
            customer: Customer account name (partial names work). Empty for all customers.
            days: Only tickets created in the last N days; 0 for any time.
            limit: Maximum number of tickets (1-25).
        """
        support = self._need(self.workspace.support, "support")
        since = self.now - timedelta(days=days) if days > 0 else None
        return list(support.search_tickets(query or None, customer or None, since, max(1, min(limit, 25))))

    def get_ticket(self, ticket_id: str) -> list[Record]:
        """Get one ticket with its full timeline of comments and internal notes.

        Args:
            ticket_id: The ticket id, e.g. '1042'.
        """
        support = self._need(self.workspace.support, "support")
        ticket = support.get_ticket(ticket_id.strip().lstrip("#"))
        if ticket is None:
            return []
        return [ticket, *support.ticket_comments(ticket.source_id)]

    def find_account(self, name: str) -> list[Record]:
        """Look up a customer account in the CRM: plan, ARR, renewal date, CSM, contacts, open deals.

        Args:
            name: Account name or email domain, e.g. 'Acme Corp' or 'acme.com'.
        """
        crm = self._need(self.workspace.crm, "crm")
        account = crm.find_account(name)
        return [account] if account else []

    def list_accounts(self, plan: str) -> list[Record]:
        """List every CRM account on one plan, e.g. all Enterprise customers.

        Args:
            plan: Plan name: 'Starter', 'Business' or 'Enterprise'.
        """
        crm = self._need(self.workspace.crm, "crm")
        return list(crm.list_accounts(plan=plan))

    def search_chat(self, query: str, limit: int = 10) -> list[Record]:
        """Search internal team chat for discussions or reports of this issue.

        Args:
            query: Words describing the issue.
            limit: Maximum number of messages (1-25).
        """
        chat = self._need(self.workspace.chat, "chat")
        return list(chat.search_messages(query, max(1, min(limit, 25))))

    def search_tracker(self, query: str, limit: int = 10) -> list[Record]:
        """Search the project tracker for related bugs and feature requests and their status.

        Args:
            query: Words describing the issue.
            limit: Maximum number of issues (1-25).
        """
        tracker = self._need(self.workspace.tracker, "tracker")
        return list(tracker.search_issues(query, max(1, min(limit, 25))))

    def get_tracker_issue(self, key: str) -> list[Record]:
        """Get one tracker issue by key: status, assignee, linked tickets, regression links.

        Args:
            key: The issue key, e.g. 'ENG-1423'.
        """
        tracker = self._need(self.workspace.tracker, "tracker")
        issue = tracker.get_issue(key.strip())
        return [issue] if issue else []

    def search_kb(self, query: str, limit: int = 5) -> list[Record]:
        """Search the knowledge base for known issues, workarounds and how-to articles.

        Args:
            query: Words describing the issue or question.
            limit: Maximum number of articles (1-10).
        """
        kb = self._need(self.workspace.kb, "kb")
        return list(kb.search_articles(query, max(1, min(limit, 10))))

    # --- plumbing --------------------------------------------------------------------------

    _CATEGORY_OF: ClassVar[dict[str, str]] = {
        "search_tickets": "support",
        "get_ticket": "support",
        "find_account": "crm",
        "list_accounts": "crm",
        "search_chat": "chat",
        "search_tracker": "tracker",
        "get_tracker_issue": "tracker",
        "search_kb": "kb",
    }

    def functions(self) -> dict[str, Callable[..., list[Record]]]:
        """The tools this workspace supports, by name."""
        available = {name for name, conn in self.workspace.categories().items() if conn is not None}
        return {name: getattr(self, name) for name, category in self._CATEGORY_OF.items() if category in available}

    def specs(self) -> list[ToolSpec]:
        """JSON-schema specs of the available tools (and the extra tools), for the model."""
        functions = self.functions()
        return [*(tool_spec(func) for func in functions.values()), *self.extra.specs(set(functions))]

    def run(self, call: ToolCall, optional: bool = False) -> ToolResult:
        """Run one tool call; never raises. A failing `optional` call (a lookup the run can do
        without, such as a ticket some text mentions) does not mark its source unavailable."""
        func = self.functions().get(call.name)
        if func is None:
            extra = self.extra.run(call, self.gathered)
            if extra is not None:
                return extra
            return ToolResult(tool_call_id=call.id, content=f"unknown tool {call.name!r}", is_error=True)
        try:
            args: BaseModel = arguments_model(func).model_validate(call.arguments)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            return ToolResult(tool_call_id=call.id, content=f"invalid arguments: {problems}", is_error=True)
        shown = ", ".join(f"{k}={v!r}" for k, v in args.model_dump().items() if v not in ("", 0, None))
        self.gathered.calls.append(f"{call.name}({shown})")
        try:
            records = func(**args.model_dump())
        except ConnectorError as exc:
            category = self._CATEGORY_OF[call.name]
            if optional:
                log.warning("%s: optional lookup %s failed (%s)", category, call.name, exc.message)
                return ToolResult(tool_call_id=call.id, content=f"lookup failed: {exc.message}", is_error=True)
            self.gathered.unavailable.setdefault(category, exc.message)
            return ToolResult(tool_call_id=call.id, content=f"{category} unavailable: {exc.message}", is_error=True)
        except Exception as exc:  # a connector bug must not end the run or leak internals
            category = self._CATEGORY_OF[call.name]
            log.warning("tool %s failed: %s", call.name, type(exc).__name__)
            self.gathered.unavailable.setdefault(category, f"{type(exc).__name__} while reading")
            return ToolResult(tool_call_id=call.id, content=f"{category} unavailable: internal error", is_error=True)
        self.gathered.add(records)
        return ToolResult(tool_call_id=call.id, content=records_json(records), records=tuple(records))

    def run_all(self, calls: Sequence[ToolCall], optional: frozenset[str] = frozenset()) -> list[ToolResult]:
        """Run the calls of one model turn concurrently (one after another on a local workspace,
        where a thread costs more than a read); results keep the calls' order. Calls whose ids are
        in `optional` are run as optional lookups."""

        def one(call: ToolCall) -> ToolResult:
            return self.run(call, optional=True) if call.id in optional else self.run(call)

        if len(calls) <= 1 or (self.workspace.local and not self.workspace.tool_sources):
            return [one(call) for call in calls]
        with ThreadPoolExecutor(max_workers=min(MAX_TOOL_WORKERS, len(calls))) as pool:
            return list(pool.map(one, calls))

    @staticmethod
    def _need(connector: Any, category: str) -> Any:
        if connector is None:
            raise ConnectorError(category, "not connected")
        return connector
