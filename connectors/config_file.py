"""Where the connector configuration lives: its file name and the working-directory lookup. Kept
apart from parsing so that finding out whether there is a configuration loads no HTTP client."""

from __future__ import annotations

from pathlib import Path

CONFIG_NAME = "escalation.toml"
"""The connector configuration file looked for in the working directory."""


def find_config(cwd: Path | None = None) -> Path | None:
    """`escalation.toml` in the working directory, if there is one."""
    candidate = (cwd or Path.cwd()) / CONFIG_NAME
    return candidate if candidate.is_file() else None
