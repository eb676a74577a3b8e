"""Opening the workspace a brief reads (`auto`, `demo`, `none`, `config` or a file), with one-line errors."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from agent.errors import UsageError
from connectors.base import Workspace
from connectors.demo import demo_now
from connectors.resolve import WorkspaceNotFound
from connectors.resolve import open_workspace as resolve

WORKSPACE_HELP = "auto (escalation.toml if present, else demo), demo, none, config, or a workspace file."


def open_workspace(spec: str, now: datetime, config: Path | None = None) -> Workspace:
    """`--workspace auto|demo|none|config|PATH` as a Workspace; `UsageError` for anything unreadable."""
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


def workspace_now(now: datetime, explicit_date: bool, workspace: Workspace) -> datetime:
    """The clock a brief runs on. The demo's data is shifted by whole days to today, so without a
    `--date` it runs on its own clock (noon UTC today); otherwise whether an SLA counts as breached
    would depend on the hour the command happens to run."""
    if explicit_date or workspace.name != "demo":
        return now
    return demo_now(now.date())
