"""`escalation.toml` settings for MCP servers, and for the categories they serve.

```toml
[mcp.intercom]                           # a streamable HTTP server
url = "https://mcp.intercom.com/mcp"
headers = { Authorization = "Bearer ${INTERCOM_MCP_TOKEN}" }   # secrets only as ${ENV_VAR}

[mcp.tickets]                            # a stdio server, started as a subprocess
command = "npx"
args = ["-y", "zendesk-mcp-server"]
env = { ZENDESK_API_KEY = "${ZENDESK_API_KEY}" }
preset = "zendesk"

[support]
backend = "mcp"
server = "intercom"                      # preset defaults to the server's, then to its name
link = "https://app.intercom.com/a/inbox/abc123/inbox/conversation/{id}"
```

`${VAR}` is expanded from the environment when the workspace is built; a missing variable is a
one-line `ConfigError` naming it (never its value).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from connectors.errors import ConfigError
from connectors.settings import SourceSettings
from connectors.urls import check_http_url

SERVER_NAME = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class McpServerSettings(BaseModel):
    """One `[mcp.<name>]` table: how to reach a server and what may be read from it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    command: str | None = None
    """Executable of a stdio server."""
    args: list[str] = Field(default_factory=list)
    env: dict[str, str] = Field(default_factory=dict)
    """Extra environment for a stdio server (values may use `${VAR}`)."""
    cwd: str | None = None
    url: str | None = None
    """Endpoint of a streamable HTTP server."""
    headers: dict[str, str] = Field(default_factory=dict)
    """HTTP headers (values may use `${VAR}`, e.g. `Bearer ${TOKEN}`)."""
    preset: str | None = None
    """Default tool mapping for categories served by this server (see `connectors.mcp.presets`)."""
    tools: list[str] | None = None
    """Read-only tools offered to Claude directly (shell-style patterns); default: the presets' read tools."""
    arguments: dict[str, Any] = Field(default_factory=dict)
    """Arguments added to every preset call, e.g. `{ cloudId = "..." }` for Atlassian."""
    timeout_seconds: float = Field(30.0, gt=0, le=600)
    """Per tool call."""
    connect_timeout_seconds: float = Field(30.0, gt=0, le=600)

    @model_validator(mode="after")
    def _one_transport(self) -> McpServerSettings:
        if (self.command is None) == (self.url is None):
            raise ValueError("set either command (stdio) or url (streamable HTTP)")
        if self.url is not None:
            check_http_url(self.url)
        if self.command is not None and self.headers:
            raise ValueError("headers apply to url servers only")
        if self.url is not None and (self.env or self.args or self.cwd):
            raise ValueError("args, env and cwd apply to command servers only")
        return self


class McpSourceSettings(SourceSettings):
    """A category table with `backend = "mcp"`."""

    backend: Literal["mcp"] = "mcp"
    server: str
    """Name of an `[mcp.<name>]` table."""
    preset: str | None = None
    """Tool mapping for this category; default: the server's preset, then the server's name."""
    link: str | None = None
    """Web link template with `{id}` for records whose tool results carry no link."""


def parse_servers(table: object, path: Path) -> dict[str, McpServerSettings]:
    """Validate the `[mcp.*]` tables."""
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [mcp] must hold one table per server, e.g. [mcp.intercom]")
    servers: dict[str, McpServerSettings] = {}
    for name, body in table.items():
        if not SERVER_NAME.match(name):
            raise ConfigError(f"{path}: [mcp.{name}]: server names use letters, digits, '-' and '_' (at most 32)")
        if not isinstance(body, dict):
            raise ConfigError(f"{path}: [mcp.{name}] must be a table")
        try:
            servers[name] = McpServerSettings.model_validate(body)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            message = str(first["msg"]).removeprefix("Value error, ")
            raise ConfigError(f"{path} [mcp.{name}]: {where + ': ' if where else ''}{message}") from None
    return servers


def expand(value: str, env: Mapping[str, str], where: str) -> str:
    """`value` with every `${VAR}` replaced from `env`; a missing variable is a `ConfigError`."""

    def one(match: re.Match[str]) -> str:
        found = env.get(match.group(1), "").strip()
        if not found:
            raise ConfigError(f"environment variable {match.group(1)} is not set (needed by {where})")
        return found

    return _VAR.sub(one, value)


def expand_all(values: Mapping[str, str], env: Mapping[str, str], where: str) -> dict[str, str]:
    """`expand` over every value of a mapping."""
    return {key: expand(value, env, where) for key, value in values.items()}
