"""MCP tools over the escalation ledger, so a host model can keep it too: two read-only views
(escalations, follow-ups due) and one tool that records an assessed brief in the user's local ledger.
Nothing here posts, files or changes anything outside that ledger."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Annotated, Any, Literal

import anyio.to_thread
from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from agent.act.ledger.mcp import ledger_followups, ledger_list, ledger_record
from agent.errors import UsageError
from agent.gather.toolspec import arguments_model
from agent.mcp.limits import MAX_NAME_CHARS, Validator, failure, model_validator
from agent.render.contract import BriefOutput
from agent.service import BriefService

log = logging.getLogger(__name__)
LIST = "list_escalations"
FOLLOWUPS = "list_followups"
RECORD = "record_escalation"


async def _answer(name: str, call: Callable[[], Any]) -> CallToolResult:
    try:
        data = await anyio.to_thread.run_sync(call)
    except UsageError as exc:
        return failure(str(exc))
    except Exception as exc:  # one line for the client; details stay in the server log
        log.exception("%s failed", name)
        return failure(f"internal error ({type(exc).__name__}); see the server log")
    payload = {"items": data} if isinstance(data, list) else data
    return CallToolResult(
        content=[TextContent(type="text", text=json.dumps(payload, ensure_ascii=False, default=str))],
        structured_content=payload,
    )


def register_ledger_tools(server: MCPServer, service: BriefService) -> dict[str, Validator]:
    """Add the ledger tools to `server`; returns their argument validators."""

    @server.tool(
        name=LIST,
        title="List escalations",
        description="Escalations recorded in the local ledger, newest first, with status, severity and target team.",
        annotations=ToolAnnotations(title="List escalations", read_only_hint=True, destructive_hint=False),
    )
    async def list_tool(
        status: Annotated[
            Literal["open", "deescalated", "closed"] | None, Field(description="Only escalations with this status.")
        ] = None,
    ) -> CallToolResult:
        return await _answer(LIST, lambda: ledger_list(status))

    @server.tool(
        name=FOLLOWUPS,
        title="Follow-ups due",
        description=(
            "Open follow-up obligations (internal check, customer update), soonest first, with due time, overdue "
            "flag and the tickets' SLA due times."
        ),
        annotations=ToolAnnotations(title="Follow-ups due", read_only_hint=True, destructive_hint=False),
    )
    async def followups_tool(
        within: Annotated[
            str | None, Field(max_length=MAX_NAME_CHARS, description="Only what falls due within this, e.g. 4h.")
        ] = None,
    ) -> CallToolResult:
        return await _answer(FOLLOWUPS, lambda: ledger_followups(within, policy=service.policy))

    @server.tool(
        name=RECORD,
        title="Record an escalation",
        description=(
            "Record an assessed brief (the object escalation_brief or assess_extraction returned) in the user's local "
            "escalation ledger, with its follow-up obligations. Recording the same tickets and issue again updates it. "
            "Ask the user before calling it."
        ),
        annotations=ToolAnnotations(
            title="Record an escalation", read_only_hint=False, destructive_hint=False, idempotent_hint=True
        ),
    )
    async def record_tool(
        brief: Annotated[BriefOutput, Field(description="The brief object as returned by the assessing tool.")],
    ) -> CallToolResult:
        return await _answer(RECORD, lambda: ledger_record(brief.model_dump(mode="json"), policy=service.policy))

    return {
        LIST: model_validator(arguments_model(list_tool)),
        FOLLOWUPS: model_validator(arguments_model(followups_tool)),
        RECORD: model_validator(arguments_model(record_tool)),
    }
