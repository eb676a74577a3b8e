"""Atomic file writes: a reader sees the old file or the whole new one, never half of it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from agent.errors import UsageError, clip


def write_text_atomically(path: Path, text: str) -> Path:
    """Write `text` (ending in a newline) to `path` via a temporary file and a rename; returns the
    path written. Raises `UsageError` with one line when the file cannot be written."""
    target = path.expanduser()
    shown = clip(str(path))
    try:
        if target.is_dir():
            raise UsageError(f"{shown} is a directory")
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text if text.endswith("\n") else text + "\n")
        os.replace(tmp, target)
    except OSError as exc:
        raise UsageError(f"cannot write {shown}: {exc.strerror or type(exc).__name__}") from exc
    return target
