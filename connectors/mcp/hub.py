"""The MCP servers of one workspace: one shared connection per server, the category sources built
on them, and the read-only tools they offer to the model directly (namespaced `server__tool`)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connectors.errors import ConfigError, ConnectorError
from connectors.mcp.offered import OfferedResult, OfferedTool, allowed, is_write_tool, namespaced
from connectors.mcp.presets import PRESETS, MapContext, Preset
from connectors.mcp.session import McpConnection
from connectors.mcp.settings import McpServerSettings, McpSourceSettings, expand, expand_all
from connectors.mcp.source import McpSource, one_line
from connectors.mcp.wire import HttpTarget, StdioTarget
from connectors.settings import SourceSettings

log = logging.getLogger(__name__)
MAX_TEXT = 20_000
"""Raw tool text passed to the model is cut here: one verbose result must not eat the context."""
_ID_ARGUMENTS = ("id", "ticket_id", "issueIdOrKey", "issue_key", "key")


def resolve_preset(category: str, source: McpSourceSettings, server: McpServerSettings, where: str) -> Preset:
    """The preset a category uses: its own, else the server's, else the one named like the server."""
    name = source.preset or server.preset or (source.server if source.server in PRESETS else None)
    if name is None:
        raise ConfigError(f"{where} [{category}]: set preset = one of {', '.join(PRESETS)} (how its tools map)")
    preset = PRESETS.get(name)
    if preset is None:
        raise ConfigError(f"{where} [{category}]: unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    if category not in preset.categories():
        served = ", ".join(sorted(preset.categories()))
        raise ConfigError(f"{where} [{category}]: preset {name!r} does not serve [{category}] (it serves {served})")
    return preset


def check_sources(sources: Mapping[str, SourceSettings], servers: Mapping[str, McpServerSettings], path: Path) -> None:
    """Validate every `backend = "mcp"` category against the `[mcp.*]` tables (raises `ConfigError`)."""
    for name, server in servers.items():
        if server.preset is not None and server.preset not in PRESETS:
            raise ConfigError(
                f"{path} [mcp.{name}]: unknown preset {server.preset!r}; choose one of {', '.join(PRESETS)}"
            )
    for category, settings in sources.items():
        if not isinstance(settings, McpSourceSettings):
            continue
        if settings.server not in servers:
            raise ConfigError(
                f"{path} [{category}]: no [mcp.{settings.server}] table defines server {settings.server!r}"
            )
        resolve_preset(category, settings, servers[settings.server], str(path))


def connection_for(name: str, server: McpServerSettings, env: Mapping[str, str]) -> McpConnection:
    """An unopened connection; `${VAR}`s are expanded now so a missing secret fails early."""
    where = f"[mcp.{name}]"
    target: StdioTarget | HttpTarget
    if server.url is not None:
        target = HttpTarget(url=expand(server.url, env, where), headers=expand_all(server.headers, env, where))
    else:
        target = StdioTarget(
            command=expand(server.command or "", env, where),
            args=[expand(a, env, where) for a in server.args],
            env=expand_all(server.env, env, where),
            cwd=server.cwd,
        )
    return McpConnection(name, target, timeout=server.timeout_seconds, connect_timeout=server.connect_timeout_seconds)


@dataclass(frozen=True)
class _Binding:
    preset: Preset
    link: str | None


class McpHub:
    """Every configured MCP server; a `ToolSource` and a closer of the workspace."""

    def __init__(self, servers: Mapping[str, McpServerSettings], env: Mapping[str, str], where: str = "") -> None:
        self.servers = dict(servers)
        self.where = where
        self.connections = {name: connection_for(name, s, env) for name, s in self.servers.items()}
        self._bindings: dict[str, list[_Binding]] = {name: [] for name in self.servers}
        for name, server in self.servers.items():
            default = server.preset or (name if name in PRESETS else None)
            if default is not None:
                self._bindings[name].append(_Binding(PRESETS[default], None))
        self._offered: dict[str, tuple[str, str]] | None = None

    def __repr__(self) -> str:
        return f"McpHub({', '.join(self.servers)})"

    def source(self, category: str, settings: McpSourceSettings) -> McpSource:
        """The connector for one category (sharing the server's connection)."""
        server = self.servers[settings.server]
        preset = resolve_preset(category, settings, server, self.where)
        self._bindings[settings.server].insert(0, _Binding(preset, settings.link))
        return McpSource(self.connections[settings.server], preset, settings.link, server.arguments)

    def close(self) -> None:
        """Close every connection that was opened."""
        for connection in self.connections.values():
            connection.close()

    # --- ToolSource -------------------------------------------------------------------------

    def offered_tools(self) -> list[OfferedTool]:
        """Each server's allowlisted, read-only tools; a server that cannot be reached offers none."""
        offered: list[OfferedTool] = []
        self._offered = {}
        for name, connection in self.connections.items():
            curated = {t for b in self._bindings[name] for t in b.preset.read_tools}
            patterns = self.servers[name].tools
            try:
                listed = connection.list_tools()
            except ConnectorError as exc:
                log.warning("MCP server %s offers no tools: %s", name, exc.message)
                continue
            for tool in listed:
                if patterns is not None and not allowed(tool.name, patterns):
                    continue
                if patterns is None and tool.name not in curated and tool.read_only is not True:
                    continue
                heuristic = tool.name not in curated  # curated names are known reads ("API-post-search")
                if tool.destructive or tool.read_only is False or (heuristic and is_write_tool(tool.name)):
                    log.info("MCP tool %s of %s looks like a write tool; it is never offered", tool.name, name)
                    continue
                full = namespaced(name, tool.name)
                if full in self._offered:
                    continue
                self._offered[full] = (name, tool.name)
                description = f"[{name} MCP server] {tool.description}".strip()[:1000]
                offered.append(OfferedTool(full, description, tool.input_schema, f"mcp:{name}"))
        return offered

    def call_offered(self, name: str, arguments: dict[str, Any]) -> OfferedResult:
        """Run one offered tool; its result is mapped to records when a bound preset knows the tool."""
        if self._offered is None:
            self.offered_tools()
        target = (self._offered or {}).get(name)
        if target is None:
            return OfferedResult(text=f"unknown tool {name!r}", is_error=True)
        server, tool = target
        outcome = self.connections[server].call(tool, arguments)
        if outcome.is_error:
            return OfferedResult(text=f"{tool} failed: {one_line(outcome.text, 500)}", is_error=True)
        return OfferedResult(text=outcome.text[:MAX_TEXT], records=self._map(server, tool, arguments, outcome.payload))

    def _map(self, server: str, tool: str, arguments: dict[str, Any], payload: Any) -> list[Any]:
        ident = next((str(arguments[k]) for k in _ID_ARGUMENTS if arguments.get(k) not in (None, "")), "")
        for binding in self._bindings[server]:
            for op in binding.preset.ops.values():
                if tool not in op.tools():
                    continue
                try:
                    return op.parse(payload, MapContext(link=binding.link, ident=ident))
                except Exception as exc:  # an unexpected shape: the model still gets the raw text
                    log.info("could not map %s result of %s: %s", tool, server, type(exc).__name__)
                    return []
        return []
