"""`escalation.toml`, parsed and validated: which backend serves each category, and how to reach it.

```toml
[support]
backend = "zendesk"                      # demo | none | zendesk | intercom | mcp
base_url = "https://acme.zendesk.com/api/v2"
email = "agent@acme.com"
token_env = "ZENDESK_API_TOKEN"          # the NAME of the variable; the file never holds secrets
```

MCP servers are declared in `[mcp.<name>]` tables and used by `backend = "mcp"` categories
(see `connectors.mcp.settings`).

A category left out is not connected. Building the connectors is `connectors.configured`'s job. Errors are `ConfigError`s with one line that names the
table, the key or the environment variable at fault (never a value read from the environment).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from connectors.config_file import CONFIG_NAME, find_config
from connectors.errors import ConfigError
from connectors.http.registry import BACKENDS, backends_for
from connectors.mcp.hub import check_sources
from connectors.mcp.settings import McpServerSettings, McpSourceSettings, parse_servers
from connectors.settings import SourceSettings

__all__ = [
    "BUILTIN",
    "CATEGORIES",
    "CONFIG_NAME",
    "Config",
    "ConfigError",
    "find_config",
    "load_config",
    "parse_config",
]

CATEGORIES = ("support", "crm", "chat", "tracker", "kb")
BUILTIN = ("demo", "none")
MCP = "mcp"


@dataclass(frozen=True)
class Config:
    """A parsed, validated `escalation.toml`."""

    path: Path
    sources: dict[str, SourceSettings] = field(default_factory=dict)
    """Category -> its settings (a vendor's `HttpSettings` subclass, `McpSourceSettings`, or plain)."""
    mcp_servers: dict[str, McpServerSettings] = field(default_factory=dict)
    """The `[mcp.<name>]` tables."""

    def backend(self, category: str) -> str:
        """The backend configured for a category (`none` when the table is absent)."""
        settings = self.sources.get(category)
        return settings.backend if settings else "none"


def _one_line(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def parse_config(data: Mapping[str, Any], path: Path) -> Config:
    """Validate the tables of a loaded TOML document."""
    unknown = sorted(set(data) - {*CATEGORIES, MCP})
    if unknown:
        raise ConfigError(
            f"{path}: unknown table [{unknown[0]}]; expected one of {', '.join(CATEGORIES)}, mcp.<server>"
        )
    sources: dict[str, SourceSettings] = {}
    for category in CATEGORIES:
        table = data.get(category)
        if table is None:
            continue
        if not isinstance(table, dict) or not isinstance(table.get("backend"), str):
            raise ConfigError(f'{path} [{category}]: set backend = "demo", "none" or a vendor name')
        name = table["backend"]
        allowed = [*BUILTIN, *backends_for(category), MCP]
        if name not in allowed:
            raise ConfigError(f"{path} [{category}]: unknown backend {name!r}; choose one of {', '.join(allowed)}")
        model = BACKENDS[name].settings if name in BACKENDS else McpSourceSettings if name == MCP else SourceSettings
        try:
            sources[category] = model.model_validate(table)
        except ValidationError as exc:
            raise ConfigError(f"{path} [{category}]: {_one_line(exc)}") from None
    servers = parse_servers(data.get(MCP), path)
    if servers or any(isinstance(s, McpSourceSettings) for s in sources.values()):
        check_sources(sources, servers, path)
    return Config(path=path, sources=sources, mcp_servers=servers)


def load_config(path: Path | None) -> Config | None:
    """The configuration at `path`, or in `./escalation.toml` when `path` is None.

    Returns None when no path was given and the working directory has no configuration; raises
    `ConfigError` when an explicit file is missing or any file is invalid.
    """
    if path is None:
        path = find_config()
        if path is None:
            return None
    elif not path.is_file():
        raise ConfigError(f"configuration file {path} not found (create one with `escalate init`)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {type(exc).__name__}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    return parse_config(data, path)
