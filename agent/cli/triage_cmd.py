"""`escalate triage`: triage a whole queue of tickets, durably, and find cross-customer patterns."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agent.cli.common import make_model
from agent.clock import parse_now
from agent.errors import UsageError
from agent.settings import load_settings
from agent.workspace import WORKSPACE_HELP, open_workspace

if TYPE_CHECKING:
    from agent.models.base import Model
    from agent.triage.batch_api import BatchOptions

DEFAULT_STATE = Path(".escalate") / "triage.sqlite"


def _state_path(state: Path | None, report: Path | None) -> Path:
    if state is not None:
        return state
    if report is not None:
        return report.with_name(f"{report.stem}.triage.sqlite")
    return DEFAULT_STATE


def triage(
    input: Annotated[
        Path | None,
        typer.Option("--input", "-i", help="A .jsonl or .csv file of tickets (the workspace import columns)."),
    ] = None,
    source: Annotated[str | None, typer.Option(help="Read the queue from the workspace instead: 'support'.")] = None,
    query: Annotated[str | None, typer.Option(help="With --source support: only tickets matching these words.")] = None,
    limit: Annotated[int, typer.Option(help="With --source support: at most this many tickets.")] = 500,
    workspace: Annotated[str, typer.Option(help="Where CRM and tracker lookups come from: " + WORKSPACE_HELP)] = "auto",
    model: Annotated[str, typer.Option(help="auto, offline, anthropic, anthropic:MODEL_ID or ollama:MODEL.")] = "auto",
    policy: Annotated[Path | None, typer.Option(help="A policy TOML file overriding the default thresholds.")] = None,
    date: Annotated[str | None, typer.Option(help="Today's date (YYYY-MM-DD) for reproducible decisions.")] = None,
    report: Annotated[Path | None, typer.Option(help="Write the JSON report here.")] = None,
    digest: Annotated[Path | None, typer.Option(help="Write a markdown digest here.")] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out-dir", help="Write a brief per escalation into this folder.")
    ] = None,
    state: Annotated[
        Path | None,
        typer.Option(help="The resumable state file (default: next to --report, else .escalate/triage.sqlite)."),
    ] = None,
    concurrency: Annotated[
        int,
        typer.Option(help="Model calls in flight at most; adapts down on 429/529 (the offline model runs in-process)."),
    ] = 4,
    max_attempts: Annotated[
        int,
        typer.Option(
            help="Attempts per ticket before it falls back (or, with --fallback none, is dead-lettered); "
            "an attempt that meets a model outage does not count."
        ),
    ] = 3,
    fallback: Annotated[
        str,
        typer.Option(
            help="When the model fails on a ticket: 'offline' triages it with the offline reader (marked "
            "fallback, retried with the model by a later run); 'none' leaves it for a later run."
        ),
    ] = "offline",
    batch_api: Annotated[bool, typer.Option("--batch-api", help="Use the Message Batches API (Claude only).")] = False,
    poll_interval: Annotated[float, typer.Option(help="Seconds between batch status polls.")] = 30.0,
    top: Annotated[int, typer.Option(help="Rows of the ranked table to print (0: none).")] = 25,
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="Show a progress bar on stderr.")] = True,
) -> int:
    """Triage every ticket of a queue: escalate or not, severity, target, P1-P4, and cross-customer patterns.

    Progress is stored in --state as it goes: run the same command again after an interruption and it
    finishes the queue without redoing finished tickets. An outage of the model uses up no attempts:
    run the same command again and it retries every ticket the model did not triage.

    Exit status: 0 when every ticket was triaged by the chosen model; 1 when some fell back to the
    offline reader, were dead-lettered or wait for the model (the summary on stderr and the report's
    counts say how many); 2 for bad input or configuration.
    """
    if (input is None) == (source is None):
        raise UsageError("give exactly one queue: --input FILE, or --source support [--query WORDS]")
    if source is not None and source != "support":
        raise UsageError(f"--source {source!r}: the only source is 'support'")
    if query is not None and source is None:
        raise UsageError("--query needs --source support (filter the input file before triage instead)")
    if concurrency < 1 or max_attempts < 1 or limit < 1:
        raise UsageError("--concurrency, --max-attempts and --limit must be at least 1")
    if fallback not in ("offline", "none"):
        raise UsageError(f"--fallback {fallback[:40]!r}: choose 'offline' or 'none'")
    from agent.atomic import write_text_atomically
    from agent.decide.policy import load_policy
    from agent.triage.digest import RichProgress, print_table, render_digest
    from agent.triage.input import load_file, load_support
    from agent.triage.report import build_report
    from agent.triage.session import TriageSession, TriageSettings

    rules = load_policy(policy)
    now = parse_now(date)
    queue_from_file = load_file(input) if input is not None else None
    chosen = make_model(model)
    batch = _batch_options(chosen, poll_interval) if batch_api else None
    space = open_workspace(workspace, now)
    try:
        queue = queue_from_file if queue_from_file is not None else load_support(space, query, limit)
        for bad in queue.malformed:
            print(f"escalate: {queue.origin} line {bad.line}: skipped: {bad.reason}", file=sys.stderr)
        settings = TriageSettings(
            policy=rules,
            model=chosen,
            workspace=space,
            now=now,
            state=_state_path(state, report),
            concurrency=concurrency,
            max_attempts=max_attempts,
            batch=batch,
            progress=RichProgress() if progress else None,
            fallback=fallback == "offline",
        )
        session = TriageSession(settings)
        try:
            outcome = session.run(queue)
            data = build_report(outcome)
            if report is not None:
                write_text_atomically(report, json.dumps(data, indent=1, ensure_ascii=False))
                print(f"escalate: wrote {report}", file=sys.stderr)
            if digest is not None:
                write_text_atomically(digest, render_digest(data))
                print(f"escalate: wrote {digest}", file=sys.stderr)
            if out_dir is not None:
                written = session.write_briefs(outcome, out_dir)
                print(f"escalate: wrote {len(written)} brief(s) in {out_dir}", file=sys.stderr)
        finally:
            session.close()
    finally:
        space.close()
    _summary(data, outcome.stats.in_open_batch)
    if top > 0:
        from rich.console import Console

        # Piped output gets a fixed, wide table instead of rich's 80-column default.
        print_table(Console(width=None if sys.stdout.isatty() else 160), data, top)
    return int(data["exit_code"])


def _summary(data: dict[str, Any], in_open_batch: int) -> None:
    """The dead-letter list, fallbacks and anything left unfinished, on stderr."""
    c = data["counts"]
    if c["fallback"]:
        print(
            f"escalate: {c['fallback']} ticket(s) triaged by the offline reader because the model failed "
            "(marked fallback); run the same command again to retry them with the model",
            file=sys.stderr,
        )
    if c["unavailable"]:
        print(
            f"escalate: {c['unavailable']} ticket(s) not triaged: the model was unavailable; "
            "run the same command again to retry them",
            file=sys.stderr,
        )
    dead = [f for f in data["failed"] if f["stage"] == "dead_letter"]
    if dead:
        print(f"escalate: {len(dead)} ticket(s) dead-lettered after repeated failures:", file=sys.stderr)
        for f in dead[:20]:
            print(f"escalate:   #{f['id']} ({f['attempts']} attempts): {f['reason']}", file=sys.stderr)
        if len(dead) > 20:
            print(f"escalate:   ... and {len(dead) - 20} more in the report", file=sys.stderr)
    if in_open_batch:
        print(
            f"escalate: {in_open_batch} ticket(s) wait in a Message Batch; rerun with --batch-api to collect them",
            file=sys.stderr,
        )


def _batch_options(model: Model, poll_interval: float) -> BatchOptions:
    model_id = model.capabilities.price_id
    if not model.capabilities.batches or model_id is None:
        raise UsageError("--batch-api needs Claude: set ANTHROPIC_API_KEY and use --model anthropic[:MODEL_ID]")
    from agent.models.anthropic import batches_client
    from agent.triage.batch_api import BatchOptions

    settings = load_settings()
    client = batches_client(settings.api_key(), settings.anthropic_base_url)
    return BatchOptions(client=client, model_id=model_id, poll_interval=poll_interval)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("triage")(triage)
