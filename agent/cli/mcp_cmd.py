"""`escalate mcp`: serve escalation briefs to MCP clients over stdio or streamable HTTP."""

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

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def mcp(
    http: Annotated[
        int | None, typer.Option("--http", metavar="PORT", help="Serve streamable HTTP on this port instead of stdio.")
    ] = None,
    host: Annotated[str, typer.Option(help="Interface for --http; 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
    workspace: Annotated[str, typer.Option(help="Default workspace: " + WORKSPACE_HELP)] = "auto",
    model: Annotated[str, typer.Option(help="auto, offline, anthropic or anthropic:MODEL_ID.")] = "auto",
    policy: Annotated[Path | None, typer.Option(help="A policy TOML file overriding the default thresholds.")] = None,
) -> None:
    """Run an MCP server with the escalation_brief tool (for Claude Code and Claude Desktop)."""
    if http is not None and not 0 < http < 65536:
        raise UsageError(f"--http {http} is not a port number (1-65535)")
    try:
        import mcp as _sdk  # noqa: F401
    except ModuleNotFoundError:
        raise UsageError("the MCP server needs the mcp package: pip install 'escalate[mcp]'") from None
    from agent.mcp.server import serve

    service = BriefService(model=make_model(model), policy=load_policy(policy), workspace=workspace)
    service.open(None, utc_now()).close()  # a bad --workspace fails now, with exit 2
    if http is None:
        print("escalate: MCP server on stdio", file=sys.stderr)
    else:
        if host not in LOCAL_HOSTS:
            print(f"escalate: warning: serving on {host} without authentication", file=sys.stderr)
        print(f"escalate: MCP server on http://{host}:{http}/mcp", file=sys.stderr)
    serve(service, port=http, host=host)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("mcp")(mcp)
