"""`escalate brief`: one request (or ticket) in, one brief out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from agent.act.ledger.entry import record_result
from agent.cli.common import FORMATS, make_model, write_output
from agent.decide.policy import load_policy
from agent.errors import UsageError
from agent.render.contract import BriefOutput
from agent.service import BriefService
from agent.workspace import WORKSPACE_HELP


def brief(
    request: Annotated[
        str, typer.Argument(help="The issue in plain words, e.g. 'API returning 500 errors for Acme Corp'.")
    ] = "",
    customer: Annotated[
        str | None, typer.Option(help="Customer account name, if the request does not name it.")
    ] = None,
    ticket: Annotated[str | None, typer.Option(help="Support ticket id to start from.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="md or json.")] = "md",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts (same as --format json).")] = False,
    workspace: Annotated[str, typer.Option(help=WORKSPACE_HELP)] = "auto",
    config: Annotated[
        Path | None, typer.Option(help="Connector configuration (default: ./escalation.toml if present).")
    ] = None,
    model: Annotated[str, typer.Option(help="auto, offline, anthropic, anthropic:MODEL_ID or ollama:MODEL.")] = "auto",
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
    ledger: Annotated[
        Path | None,
        typer.Option(help="Ledger file for --record and for recurring issues (see 'escalate ledger path')."),
    ] = None,
) -> None:
    """Write an escalation brief (or a handle-in-support recommendation) for one issue."""
    if format not in FORMATS:
        raise UsageError(f"--format {format!r} is not one of: {', '.join(FORMATS)}")
    if as_json:
        format = "json"
    service = BriefService(
        model=make_model(model), policy=load_policy(policy), workspace=workspace, config=config, ledger=ledger
    )
    made = service.brief(request, customer=customer, ticket_id=ticket, reported_by=reported_by, date=date)
    if verbose:
        print_usage(made.output)
    output_contract = made.output
    if record:
        escalation_id = record_result(made.result, made.output.model_dump(mode="json"), ledger)
        output_contract = output_contract.model_copy(update={"escalation_id": escalation_id})
    text = output_contract.model_dump_json(indent=2) if format == "json" else made.markdown
    write_output(text, output)


def print_usage(output: BriefOutput) -> None:
    """`-v`: the sources consulted and what the model spent, on stderr."""
    u = output.usage
    cost = "n/a" if u.cost_usd is None else f"${u.cost_usd:.4f}"
    print(f"escalate: sources: {'; '.join(output.sources.calls) or 'none'}", file=sys.stderr)
    print(
        f"escalate: usage: {u.calls} model calls, {u.input_tokens} in / {u.output_tokens} out tokens, "
        f"cache read {u.cache_read_tokens} / write {u.cache_write_tokens}, estimated cost {cost}",
        file=sys.stderr,
    )


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("brief")(brief)
