"""`escalation.toml`: which backend serves each category, and how to reach it.

```toml
[support]
backend = "zendesk"                      # demo | none | zendesk | intercom | mcp
base_url = "https://acme.zendesk.com/api/v2"
email = "agent@acme.com"
token_env = "ZENDESK_API_TOKEN"          # the NAME of the variable; the file never holds secrets
```

MCP servers are declared in `[mcp.<name>]` tables and used by `backend = "mcp"` categories
(see `connectors.mcp.settings`).

A category left out is not connected. Errors are `ConfigError`s with one line that names the
table, the key or the environment variable at fault (never a value read from the environment).
"""

from __future__ import annotations

import os
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx2
from pydantic import ValidationError

from connectors.base import Workspace
from connectors.http.registry import BACKENDS, backends_for
from connectors.mcp.settings import McpServerSettings, McpSourceSettings, parse_servers
from connectors.resolve import CONFIG_NAME
from connectors.settings import BuildContext, ConfigError, SourceSettings

if TYPE_CHECKING:
    from connectors.mcp.hub import McpHub

__all__ = ["CATEGORIES", "CONFIG_NAME", "Config", "ConfigError", "find_config", "load_config", "workspace_from_config"]

CATEGORIES = ("support", "crm", "chat", "tracker", "kb")
BUILTIN = ("demo", "none")
PLANNED: tuple[str, ...] = ()
"""Backends the configuration accepts by name but this build cannot open yet."""
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


def find_config(cwd: Path | None = None) -> Path | None:
    """`escalation.toml` in the working directory, if there is one."""
    candidate = (cwd or Path.cwd()) / CONFIG_NAME
    return candidate if candidate.is_file() else None


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
        allowed = [*BUILTIN, *backends_for(category), MCP, *PLANNED]
        if name not in allowed:
            raise ConfigError(f"{path} [{category}]: unknown backend {name!r}; choose one of {', '.join(allowed)}")
        model = BACKENDS[name].settings if name in BACKENDS else McpSourceSettings if name == MCP else SourceSettings
        try:
            sources[category] = model.model_validate(table)
        except ValidationError as exc:
            raise ConfigError(f"{path} [{category}]: {_one_line(exc)}") from None
    servers = parse_servers(data.get(MCP), path)
    if servers or any(isinstance(s, McpSourceSettings) for s in sources.values()):
        from connectors.mcp.hub import check_sources

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


def build_source(
    config: Config,
    category: str,
    env: Mapping[str, str] | None = None,
    transports: Mapping[str, httpx2.BaseTransport] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> Any:
    """The connector for one vendor-backed category (HTTP backends only)."""
    settings = config.sources.get(category)
    if settings is None or settings.backend in BUILTIN:
        raise ConfigError(f"{config.path}: [{category}] is not set to a vendor backend")
    if settings.backend in PLANNED:
        raise ConfigError(
            f"{config.path} [{category}]: backend {settings.backend!r} is not available in this build yet"
        )
    if isinstance(settings, McpSourceSettings):
        from connectors.mcp.hub import McpHub

        hub = McpHub({settings.server: config.mcp_servers[settings.server]}, os.environ if env is None else env)
        source = hub.source(category, settings)
        source.owns_connection = True
        return source
    ctx = BuildContext(
        env=os.environ if env is None else env,
        transports=transports or {},
        sleep=sleep,
        clock=clock,
        section=category,
    )
    return BACKENDS[settings.backend].build(settings, ctx)


def workspace_from_config(
    config: Config,
    today: date | None = None,
    env: Mapping[str, str] | None = None,
    transports: Mapping[str, httpx2.BaseTransport] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> Workspace:
    """A workspace with one connector per configured category.

    `env` defaults to `os.environ`; `transports` (by backend name), `sleep` and `clock` are for
    tests. Raises `ConfigError` (and closes whatever it had opened) when a source cannot be built.
    """
    workspace = Workspace(name=f"config:{config.path.name}")
    demo: Workspace | None = None
    hub: McpHub | None = None
    try:
        if config.mcp_servers:
            from connectors.mcp.hub import McpHub

            # One hub for every server: categories share its connections and it offers their tools.
            hub = McpHub(config.mcp_servers, os.environ if env is None else env, str(config.path))
            workspace.closers.append(hub)
            workspace.tool_sources.append(hub)
        for category in CATEGORIES:
            backend = config.backend(category)
            if backend == "none":
                continue
            if backend == "demo":
                if demo is None:
                    from connectors.demo import demo_workspace

                    demo = demo_workspace(today=today)
                    workspace.closers.append(demo)
                connector = demo.categories()[category]
            elif hub is not None and isinstance(mcp := config.sources[category], McpSourceSettings):
                connector = hub.source(category, mcp)
            else:
                connector = build_source(config, category, env, transports, sleep, clock)
                workspace.closers.append(connector)
            setattr(workspace, category, connector)
    except BaseException:
        workspace.close()
        raise
    return workspace
