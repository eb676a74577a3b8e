"""Turns a `--workspace` value (`demo`, `none`, `config` or a path to a workspace file) into a
`Workspace`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from connectors.base import Workspace

CONFIG_NAME = "escalation.toml"
"""The connector configuration file looked for in the working directory."""
DEFAULT_SPEC = "auto"
"""The `--workspace` default: the connectors of an `escalation.toml` when one is passed or found in
the working directory, else the demo workspace. An explicit `demo` always means the demo."""


class WorkspaceNotFound(Exception):
    """The workspace value names neither a built-in workspace nor a readable workspace file (or
    the connector configuration is unusable)."""


def open_workspace(spec: str, today: date | None = None, config_path: Path | None = None) -> Workspace:
    """Open the workspace named by `spec`.

    `config` (or the default, `auto`, when `config_path` is given or `./escalation.toml` exists)
    builds the connectors configured in `escalation.toml`; otherwise `auto` means `demo`. `demo` is
    the embedded demo company
    (its dates shifted so that its "now" is `today`), `none` has no sources, anything else is the
    path of a SQLite workspace file made by `escalate workspace init`.
    """
    if spec == "config" or (spec == DEFAULT_SPEC and _config_present(config_path)):
        return _from_config(config_path, today)
    if spec == DEFAULT_SPEC:
        spec = "demo"
    if spec == "none":
        from connectors.none import empty_workspace

        return empty_workspace()
    if spec == "demo":
        from connectors.demo import demo_workspace

        return demo_workspace(today=today)
    path = Path(spec).expanduser()
    if not path.is_file():
        raise WorkspaceNotFound(
            f"workspace {spec!r} is not 'auto', 'demo', 'none', 'config' or an existing workspace file"
        )
    from connectors.demo import open_workspace_file

    return open_workspace_file(path)


def _config_present(config_path: Path | None) -> bool:
    from connectors.config import find_config

    return config_path is not None or find_config() is not None


def _from_config(config_path: Path | None, today: date | None) -> Workspace:
    from connectors.config import ConfigError, load_config, workspace_from_config

    try:
        config = load_config(config_path)
        if config is None:
            raise WorkspaceNotFound("no escalation.toml in the working directory (create one with 'escalate init')")
        return workspace_from_config(config, today)
    except ConfigError as exc:
        message = str(exc)
    raise WorkspaceNotFound(message)
