"""Streamable HTTP for `escalate mcp --http`: loopback by default; anywhere else only with a bearer
token and explicit allowed Host (and Origin) values.

The SDK checks Host and Origin only when bound to loopback, so on `--host 0.0.0.0` a forged
Origin or Host was served; here the check is always on, with the allowed values given explicitly
for any other interface. The token is read from an environment variable (never from the command
line, where other users can see it) and compared in constant time; it is never printed.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import uvicorn
from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from agent.errors import UsageError
from agent.settings import load_settings

TOKEN_ENV = "ESCALATE_MCP_TOKEN"
MIN_TOKEN_CHARS = 16
LOOPBACK = ("127.0.0.1", "localhost", "::1")
LOOPBACK_HOSTS = ("127.0.0.1:*", "localhost:*", "[::1]:*")
LOOPBACK_ORIGINS = ("http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*")


@dataclass(frozen=True)
class HttpSettings:
    """Where to listen and whom to serve."""

    host: str
    port: int
    allowed_hosts: tuple[str, ...]
    allowed_origins: tuple[str, ...]
    token: str | None = field(default=None, repr=False)

    @property
    def security(self) -> TransportSecuritySettings:
        """Host and Origin checks, on for every interface."""
        return TransportSecuritySettings(
            enable_dns_rebinding_protection=True,
            allowed_hosts=list(self.allowed_hosts),
            allowed_origins=list(self.allowed_origins),
        )


def http_settings(
    host: str,
    port: int,
    allowed_hosts: Sequence[str] = (),
    allowed_origins: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
) -> HttpSettings:
    """The settings for `--http`, or a `UsageError` saying what a non-loopback host still needs."""
    token = load_settings(env).bearer_token()
    loopback = host in LOOPBACK
    if token is not None and len(token) < MIN_TOKEN_CHARS:
        raise UsageError(f"${TOKEN_ENV} is too short: use at least {MIN_TOKEN_CHARS} random characters")
    if not loopback and token is None:
        raise UsageError(
            f"--host {host[:60]} is reachable from other machines: set a bearer token in ${TOKEN_ENV} "
            f"(at least {MIN_TOKEN_CHARS} random characters) for clients to send"
        )
    if not loopback and not allowed_hosts:
        raise UsageError(
            f"--host {host[:60]} needs --allowed-host for each Host header clients use, e.g. "
            f"--allowed-host mcp.example.com:{port}"
        )
    return HttpSettings(
        host=host,
        port=port,
        allowed_hosts=tuple(allowed_hosts) or (LOOPBACK_HOSTS if loopback else ()),
        allowed_origins=tuple(allowed_origins) or (LOOPBACK_ORIGINS if loopback else ()),
        token=token,
    )


class BearerToken:
    """ASGI middleware: HTTP requests without `Authorization: Bearer <token>` get 401."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self._token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scheme, _, given = Headers(scope=scope).get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self._token):
                refused = JSONResponse(
                    {"error": "unauthorized: send Authorization: Bearer <token>"},
                    status_code=401,
                    headers={"WWW-Authenticate": 'Bearer realm="escalate"'},
                )
                await refused(scope, receive, send)
                return
        await self.app(scope, receive, send)


def http_app(server: MCPServer, settings: HttpSettings) -> ASGIApp:
    """The ASGI app serving `server` at `/mcp` under `settings`."""
    app: ASGIApp = server.streamable_http_app(transport_security=settings.security, host=settings.host)
    return BearerToken(app, settings.token) if settings.token else app


def serve_http(server: MCPServer, settings: HttpSettings) -> None:
    """Serve until interrupted."""
    uvicorn.Server(uvicorn.Config(http_app(server, settings), settings.host, settings.port, log_level="warning")).run()
