"""Option parsing shared by commands: dates, workspaces, models, atomic output files."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import typer

from agent.atomic import write_text_atomically
from agent.errors import UsageError
from agent.models.base import Model
from connectors.base import Workspace

FORMATS = ("md", "json")


def exit_with(message: str, status: int = 2) -> NoReturn:
    """One error line on stderr and the exit status (2: input or configuration). For commands that
    run outside `agent.cli.main` too (their own Typer app in tests), where `UsageError` is not caught."""
    print(f"escalate: error: {' '.join(message.split())}", file=sys.stderr)
    raise typer.Exit(status)


def parse_now(value: str | None) -> datetime:
    """`--date`: YYYY-MM-DD (noon UTC, for reproducible output) or an ISO datetime; default now."""
    if not value:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        if len(value) == 10:
            day = datetime.strptime(value, "%Y-%m-%d")
            return day.replace(hour=12, tzinfo=UTC)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise UsageError(f"--date {value!r} is not a date (use YYYY-MM-DD or an ISO 8601 datetime)") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


WORKSPACE_HELP = "auto (escalation.toml if present, else demo), demo, none, config, or a workspace file."


def open_workspace(spec: str, now: datetime, config: Path | None = None) -> Workspace:
    """`--workspace auto|demo|none|config|PATH` as a Workspace; exit-2 errors for anything unreadable."""
    from connectors.resolve import WorkspaceNotFound
    from connectors.resolve import open_workspace as resolve

    try:
        if config is not None and not config.is_file():
            raise UsageError(f"--config {config}: no such file")
        return resolve(spec, today=now.date(), config_path=config)
    except WorkspaceNotFound as exc:
        raise UsageError(str(exc)) from exc
    except UsageError:
        raise
    except Exception as exc:  # a corrupt or foreign file must be one clear line, not a traceback
        raise UsageError(f"cannot open workspace {spec!r}: {exc}") from exc


def workspace_now(now: datetime, explicit_date: str | None, workspace: Workspace) -> datetime:
    """The clock a brief runs on. The demo's data is shifted by whole days to today, so without a
    `--date` it runs on its own clock (noon UTC today); otherwise whether an SLA counts as breached
    would depend on the hour the command happens to run."""
    if explicit_date or workspace.name != "demo":
        return now
    from connectors.demo import demo_now

    return demo_now(now.date())


def make_model(spec: str) -> Model:
    """`--model auto|offline|anthropic[:MODEL]`; the choice is announced on stderr."""
    from agent.models.factory import make_model as factory

    model = factory(spec)
    reason = ""
    if spec == "auto":
        reason = " (ANTHROPIC_API_KEY is set)" if model.name != "offline" else " (no ANTHROPIC_API_KEY set)"
    print(f"escalate: model {model.name}{reason}", file=sys.stderr)
    return model


def write_output(text: str, path: Path | None) -> None:
    """Print to stdout, or write the file atomically (never a half-written file)."""
    if path is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    target = write_text_atomically(path, text)
    print(f"escalate: wrote {target}", file=sys.stderr)
