"""What commands share: the exit helper, the model announcement and atomic output files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import typer

from agent.atomic import write_text_atomically
from agent.models.base import Model
from agent.models.factory import make_model as factory

FORMATS = ("md", "json")


def exit_with(message: str, status: int = 2) -> NoReturn:
    """One error line on stderr and the exit status (2: input or configuration). For commands that
    run outside `agent.cli.main` too (their own Typer app in tests), where `UsageError` is not caught."""
    print(f"escalate: error: {' '.join(message.split())}", file=sys.stderr)
    raise typer.Exit(status)


def make_model(spec: str) -> Model:
    """`--model auto|offline|anthropic[:MODEL]`; the choice is announced on stderr."""
    model = factory(spec)
    reason = ""
    if spec == "auto":
        reason = " (no ANTHROPIC_API_KEY set)" if model.capabilities.in_process else " (ANTHROPIC_API_KEY is set)"
    print(f"escalate: model {model.name}{reason}", file=sys.stderr)
    return model


def write_output(text: str, path: Path | None) -> None:
    """Print to stdout, or write the file atomically (never a half-written file)."""
    if path is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    target = write_text_atomically(path, text)
    print(f"escalate: wrote {target}", file=sys.stderr)
