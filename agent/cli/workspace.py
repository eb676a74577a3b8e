"""`escalate workspace init|import`: a team's own workspace file from its exports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from agent.errors import UsageError
from connectors.demo import import_file, init_workspace

workspace_app = typer.Typer(
    help="Create a workspace file and import tickets, accounts and articles into it.", no_args_is_help=True
)


@workspace_app.command("init")
def init(path: Annotated[Path, typer.Argument(help="Where to create the workspace file (SQLite).")]) -> None:
    """Create an empty workspace file."""

    try:
        init_workspace(path)
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot create workspace {path}: {exc}") from exc
    print(f"escalate: created workspace {path}", file=sys.stderr)


@workspace_app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="The workspace file.")],
    file: Annotated[Path, typer.Argument(help="A .jsonl or .csv export.")],
    kind: Annotated[
        str | None,
        typer.Option(
            help="tickets, comments, accounts, articles, chat or tracker; inferred from the file name when omitted."
        ),
    ] = None,
) -> None:
    """Import rows into the workspace. Bad rows are reported by line number; good rows are kept."""

    if not path.is_file():
        raise UsageError(f"workspace {path} does not exist: create it with 'escalate workspace init {path}'")
    if not file.is_file():
        raise UsageError(f"import file {file} does not exist")
    try:
        report = import_file(path, file, kind)
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot import {file}: {exc}") from exc
    for line, message in report.errors:
        print(f"{file}:{line}: skipped: {message}", file=sys.stderr)
    print(f"escalate: imported {report.imported} row(s) from {file}; skipped {len(report.errors)}", file=sys.stderr)


def register(app: typer.Typer) -> None:
    """Add the command group to the app."""
    app.add_typer(workspace_app, name="workspace")
