"""`escalate mcp`: the `escalation_brief` tool for MCP clients (Claude Code, Claude Desktop).

The tool returns the brief as text (markdown, or the JSON contract as text) and always the JSON
output contract as structured content, declared by an output schema. Bad arguments and failures
are tool errors (`isError`) with one line of explanation; the server keeps serving. This module
imports the `mcp` SDK, so only the `mcp` command imports it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import anyio.to_thread
from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field, ValidationError

from agent.errors import UsageError
from agent.gather.toolspec import arguments_model
from agent.models.anthropic_errors import ModelConfigError
from agent.render.contract import BriefOutput
from agent.service import BriefService
from connectors.settings import ConfigError

log = logging.getLogger(__name__)
TOOL = "escalation_brief"
DESCRIPTION = (
    "Write an escalation brief for a customer-support issue. Gathers related tickets, the CRM account, internal chat, "
    "tracker issues and KB articles, then deterministic rules decide whether to escalate, the severity, the target "
    "team and the P1-P4 priority. Read-only: it never posts, files or replies."
)
INSTRUCTIONS = (
    "Call escalation_brief with the support engineer's description of the issue (and the customer or ticket id when "
    "known). Present the brief as returned; offer follow-ups, but never act on them without the user's confirmation."
)


def brief_for_tool(
    service: BriefService,
    request: str,
    customer: str | None,
    ticket_id: str | None,
    format: str,
    workspace: str | None,
    date: str | None,
) -> tuple[str, dict[str, Any]]:
    """The brief's text and JSON contract (blocking; run it in a worker thread)."""
    try:
        made = service.brief(request, customer=customer, ticket_id=ticket_id, date=date, workspace=workspace)
    except UsageError as exc:
        raise UsageError(str(exc).replace("--date ", "date ", 1)) from None
    data = made.output.model_dump(mode="json")
    return (made.markdown if format == "md" else made.output.model_dump_json(indent=2)), data


def failure(message: str) -> CallToolResult:
    """A tool error with one line of text."""
    return CallToolResult(content=[TextContent(type="text", text=" ".join(message.split()) or "failed")], is_error=True)


def build_server(service: BriefService) -> MCPServer:
    """The MCP server with its one tool."""
    server = MCPServer("escalate", instructions=INSTRUCTIONS, log_level="WARNING")

    @server.tool(
        name=TOOL,
        title="Escalation brief",
        description=DESCRIPTION,
        annotations=ToolAnnotations(title="Escalation brief", read_only_hint=True, destructive_hint=False),
    )
    async def escalation_brief(
        request: Annotated[str, Field(description="The issue in plain words, e.g. 'API 500s for Acme Corp'.")] = "",
        customer: Annotated[str | None, Field(description="Customer account, if the request does not name it.")] = None,
        ticket_id: Annotated[str | None, Field(description="Support ticket id to start from.")] = None,
        format: Annotated[Literal["md", "json"], Field(description="Text content: md brief or json contract.")] = "md",
        workspace: Annotated[
            str | None, Field(description="demo, none, config or a workspace file; default: the server's.")
        ] = None,
        date: Annotated[str | None, Field(description="Today as YYYY-MM-DD, for reproducible briefs.")] = None,
    ) -> Annotated[CallToolResult, BriefOutput]:
        call = functools.partial(brief_for_tool, service, request, customer, ticket_id, format, workspace, date)
        try:
            text, data = await anyio.to_thread.run_sync(call)
        except (UsageError, ConfigError, ModelConfigError) as exc:
            return failure(str(exc))
        except Exception as exc:  # one line for the client; details stay in the server log
            log.exception("escalation_brief failed")
            return failure(f"internal error ({type(exc).__name__}); see the server log")
        return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)

    arguments = arguments_model(escalation_brief)

    async def one_line_argument_errors(ctx: Any, call_next: Any) -> Any:
        # The SDK reports invalid arguments as a multi-line pydantic dump; check them first.
        params = ctx.params if isinstance(ctx.params, Mapping) else {}
        if ctx.method == "tools/call" and params.get("name") == TOOL:
            try:
                arguments.model_validate(params.get("arguments") or {})
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"]) or "arguments"
                return failure(f"invalid argument {where}: {first['msg']}")
        return await call_next(ctx)

    server.middleware.append(one_line_argument_errors)
    return server


def serve(service: BriefService, port: int | None = None, host: str = "127.0.0.1") -> None:
    """Run over stdio, or streamable HTTP at `http://host:port/mcp` when a port is given."""
    server = build_server(service)
    if port is None:
        server.run("stdio")
    else:
        server.run("streamable-http", host=host, port=port)
