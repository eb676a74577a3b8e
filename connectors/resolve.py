"""Turns a `--workspace` value (`auto`, `demo`, `none`, `config` or a path to a workspace file) into
a `Workspace`: the one place a run's backends are opened.

The configured vendors' adapters (httpx2) and MCP sources are imported only when a configuration
is actually used, so an offline brief over the demo loads neither.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from connectors.base import Workspace
from connectors.config_file import CONFIG_NAME, find_config
from connectors.demo import demo_workspace, open_workspace_file
from connectors.errors import ConfigError, WorkspaceNotFound
from connectors.none import empty_workspace

__all__ = ["CONFIG_NAME", "DEFAULT_SPEC", "WorkspaceNotFound", "open_workspace"]

DEFAULT_SPEC = "auto"
"""The `--workspace` default: the connectors of an `escalation.toml` when one is passed or found in
the working directory, else the demo workspace. An explicit `demo` always means the demo."""


def open_workspace(spec: str, today: date | None = None, config_path: Path | None = None) -> Workspace:
    """Open the workspace named by `spec`.

    `config` (or the default, `auto`, when `config_path` is given or `./escalation.toml` exists)
    builds the connectors configured in `escalation.toml`; otherwise `auto` means `demo`. `demo` is
    the embedded demo company (its dates shifted so that its "now" is `today`), `none` has no
    sources, anything else is the path of a SQLite workspace file made by `escalate workspace init`.
    """
    if spec == "config" or (spec == DEFAULT_SPEC and (config_path is not None or find_config() is not None)):
        return _from_config(config_path, today)
    if spec == DEFAULT_SPEC:
        spec = "demo"
    if spec == "none":
        return empty_workspace()
    if spec == "demo":
        return demo_workspace(today=today)
    path = Path(spec).expanduser()
    if not path.is_file():
        raise WorkspaceNotFound(
            f"workspace {spec!r} is not 'auto', 'demo', 'none', 'config' or an existing workspace file"
        )
    return open_workspace_file(path)


def _from_config(config_path: Path | None, today: date | None) -> Workspace:
    # Deferred: the configured adapters bring httpx2 (and MCP support), which demo runs never need.
    from connectors.configured import open_configured

    try:
        return open_configured(config_path, today)
    except ConfigError as exc:
        message = str(exc)
    raise WorkspaceNotFound(message)
