"""Turns a `--workspace` value (`demo`, `none` or a path to a workspace file) into a `Workspace`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from connectors.base import Workspace


class WorkspaceNotFound(Exception):
    """The workspace value names neither a built-in workspace nor a readable workspace file."""


def open_workspace(spec: str, today: date | None = None) -> Workspace:
    """Open the workspace named by `spec`.

    `demo` is the embedded demo company (its dates shifted so that its "now" is `today`), `none`
    has no sources, anything else is the path of a SQLite workspace file made by
    `escalate workspace init`.
    """
    if spec == "none":
        from connectors.none import empty_workspace

        return empty_workspace()
    if spec == "demo":
        from connectors.demo import demo_workspace

        return demo_workspace(today=today)
    path = Path(spec).expanduser()
    if not path.is_file():
        raise WorkspaceNotFound(f"workspace {spec!r} is not 'demo', 'none' or an existing workspace file")
    from connectors.demo import open_workspace_file

    return open_workspace_file(path)
