"""Where the ledger lives: `--ledger PATH`, else `ESCALATE_LEDGER`, else the user's data directory."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from agent.settings import load_settings

ENV_VAR = "ESCALATE_LEDGER"
FILE_NAME = "ledger.sqlite"


def default_path(env: Mapping[str, str] | None = None) -> Path:
    """`$XDG_DATA_HOME/escalate/ledger.sqlite`, or `~/.local/share/escalate/ledger.sqlite`."""
    return load_settings(env).data_dir() / FILE_NAME


def ledger_path(option: Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The ledger file this command uses, most explicit first."""
    if option is not None:
        return option.expanduser()
    settings = load_settings(env)
    if settings.ledger:
        return settings.ledger.expanduser()
    return settings.data_dir() / FILE_NAME
