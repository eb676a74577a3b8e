"""`escalate mcp`: serve the escalation tools to MCP clients over stdio or streamable HTTP."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from agent.cli.common import make_model
from agent.clock import utc_now
from agent.decide.policy import load_policy
from agent.errors import UsageError
from agent.service import BriefService
from agent.workspace import WORKSPACE_HELP

TOKEN_HELP = "Required beyond loopback: the bearer token clients must send is read from $ESCALATE_MCP_TOKEN."


def mcp(
    http: Annotated[
        int | None, typer.Option("--http", metavar="PORT", help="Serve streamable HTTP on this port instead of stdio.")
    ] = None,
    host: Annotated[
        str, typer.Option(help="Interface for --http; 127.0.0.1 keeps it on this machine. " + TOKEN_HELP)
    ] = "127.0.0.1",
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(help="Host header clients use, e.g. mcp.example.com:8765 (repeatable; required beyond loopback)."),
    ] = None,
    allowed_origin: Annotated[
        list[str] | None,
        typer.Option(help="Origin browsers may send, e.g. https://app.example.com (repeatable; default: none)."),
    ] = None,
    workspace: Annotated[str, typer.Option(help="Default workspace: " + WORKSPACE_HELP)] = "auto",
    model: Annotated[str, typer.Option(help="auto, offline, anthropic, anthropic:MODEL_ID or ollama:MODEL.")] = "auto",
    policy: Annotated[Path | None, typer.Option(help="A policy TOML file overriding the default thresholds.")] = None,
) -> None:
    """Run an MCP server with the escalation tools (for Claude Code and Claude Desktop)."""
    if http is not None and not 0 < http < 65536:
        raise UsageError(f"--http {http} is not a port number (1-65535)")
    try:
        import mcp as _sdk  # noqa: F401
    except ModuleNotFoundError:
        raise UsageError("the MCP server needs the mcp package: pip install 'escalate[mcp]'") from None
    from agent.mcp.http import TOKEN_ENV, http_settings
    from agent.mcp.server import serve

    settings = None if http is None else http_settings(host, http, allowed_host or (), allowed_origin or ())
    service = BriefService(model=make_model(model), policy=load_policy(policy), workspace=workspace)
    service.open(None, utc_now()).close()  # a bad --workspace fails now, with exit 2
    if settings is None:
        print("escalate: MCP server on stdio", file=sys.stderr)
    else:
        auth = f", bearer token from ${TOKEN_ENV}" if settings.token else ""
        print(f"escalate: MCP server on http://{host}:{http}/mcp{auth}", file=sys.stderr)
    serve(service, settings)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("mcp")(mcp)
