"""`escalate brief`: one request (or ticket) in, one brief out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from agent.cli.common import (
    FORMATS,
    WORKSPACE_HELP,
    make_model,
    open_workspace,
    parse_now,
    workspace_now,
    write_output,
)
from agent.errors import UsageError


def brief(
    request: Annotated[
        str, typer.Argument(help="The issue in plain words, e.g. 'API returning 500 errors for Acme Corp'.")
    ] = "",
    customer: Annotated[
        str | None, typer.Option(help="Customer account name, if the request does not name it.")
    ] = None,
    ticket: Annotated[str | None, typer.Option(help="Support ticket id to start from.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="md or json.")] = "md",
    workspace: Annotated[str, typer.Option(help=WORKSPACE_HELP)] = "auto",
    config: Annotated[
        Path | None, typer.Option(help="Connector configuration (default: ./escalation.toml if present).")
    ] = None,
    model: Annotated[str, typer.Option(help="auto, offline, anthropic or anthropic:MODEL_ID.")] = "auto",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the brief to this file instead of stdout.")
    ] = None,
    date: Annotated[
        str | None, typer.Option(help="Today's date for the brief (YYYY-MM-DD), for reproducible output.")
    ] = None,
    reported_by: Annotated[str | None, typer.Option(help="Your name or team, shown as 'Reported by'.")] = None,
    policy: Annotated[Path | None, typer.Option(help="A policy TOML file overriding the default thresholds.")] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print sources consulted and model usage on stderr.")
    ] = False,
    record: Annotated[bool, typer.Option("--record", help="Record it in the escalation ledger.")] = False,
    ledger: Annotated[Path | None, typer.Option(help="Ledger file for --record (see 'escalate ledger path').")] = None,
) -> None:
    """Write an escalation brief (or a handle-in-support recommendation) for one issue."""
    if format not in FORMATS:
        raise UsageError(f"--format {format!r} is not one of: {', '.join(FORMATS)}")
    if not request.strip() and not ticket:
        raise UsageError(
            'the request is empty: describe the issue, e.g. escalate brief "Export is missing rows for Acme"'
        )
    from agent.decide.policy import load_policy
    from agent.render.contract import to_json
    from agent.render.markdown import render_markdown
    from agent.service import BriefRequest, run_brief

    rules = load_policy(policy)
    now = parse_now(date)
    chosen = make_model(model)
    space = open_workspace(workspace, now, config)
    now = workspace_now(now, date, space)
    try:
        result = run_brief(
            BriefRequest(text=request, now=now, customer=customer, ticket_id=ticket, reported_by=reported_by),
            space,
            chosen,
            rules,
        )
    finally:
        space.close()
    markdown = render_markdown(result)
    if verbose:
        from agent.models.pricing import estimate_cost

        u = result.usage
        cost = estimate_cost(u, result.model)
        print(f"escalate: sources: {'; '.join(result.gathered.calls) or 'none'}", file=sys.stderr)
        print(
            f"escalate: usage: {u.calls} model calls, {u.input_tokens} in / {u.output_tokens} out tokens, "
            f"cache read {u.cache_read_tokens} / write {u.cache_write_tokens}, "
            f"estimated cost {'n/a' if cost is None else f'${cost:.4f}'}",
            file=sys.stderr,
        )
    data = to_json(result, markdown)
    if record:
        from agent.act.ledger.entry import record_result

        data["escalation_id"] = record_result(result, data, ledger)
    text = json.dumps(data, indent=2, ensure_ascii=False) if format == "json" else markdown
    write_output(text, output)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("brief")(brief)
