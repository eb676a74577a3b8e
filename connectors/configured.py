"""The connectors an `escalation.toml` configures, built: one per category, vendors over their REST
adapters, `mcp` categories over one shared hub of MCP servers, `demo` over the embedded data."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import httpx2

from connectors.base import Workspace
from connectors.config import BUILTIN, CATEGORIES, Config, load_config
from connectors.demo import demo_workspace
from connectors.errors import ConfigError
from connectors.http.registry import BACKENDS
from connectors.http.settings import BuildContext
from connectors.mcp.hub import McpHub
from connectors.mcp.settings import McpSourceSettings


def open_configured(config_path: Path | None, today: date | None = None) -> Workspace:
    """The workspace of the configuration at `config_path` (default `./escalation.toml`).

    Raises `ConfigError` when there is none or it is unusable.
    """
    config = load_config(config_path)
    if config is None:
        raise ConfigError("no escalation.toml in the working directory (create one with 'escalate init')")
    return workspace_from_config(config, today)


def build_source(
    config: Config,
    category: str,
    env: Mapping[str, str] | None = None,
    transports: Mapping[str, httpx2.BaseTransport] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> Any:
    """The connector for one vendor- or MCP-backed category (closing it closes its connections)."""
    settings = config.sources.get(category)
    if settings is None or settings.backend in BUILTIN:
        raise ConfigError(f"{config.path}: [{category}] is not set to a vendor backend")
    if isinstance(settings, McpSourceSettings):
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
