"""Where the ledger lives: `--ledger PATH`, else `ESCALATE_LEDGER`, else the user's data directory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ENV_VAR = "ESCALATE_LEDGER"
FILE_NAME = "ledger.sqlite"


def default_path(env: Mapping[str, str]) -> Path:
    """`$XDG_DATA_HOME/escalate/ledger.sqlite`, or `~/.local/share/escalate/ledger.sqlite`."""
    base = env.get("XDG_DATA_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "share"
    return root / "escalate" / FILE_NAME


def ledger_path(option: Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The ledger file this command uses, most explicit first."""
    env = os.environ if env is None else env
    if option is not None:
        return option.expanduser()
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]).expanduser()
    return default_path(env)
