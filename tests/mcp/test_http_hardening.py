"""`escalate mcp --http`: beyond loopback only with a bearer token and explicit allowed hosts; the
token is checked, forged Host and Origin headers are refused, and the token is never printed."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from agent.cli import main
from agent.errors import UsageError
from agent.mcp.http import LOOPBACK_HOSTS, TOKEN_ENV, http_settings
from connectors.mcp.session import McpConnection
from connectors.mcp.wire import HttpTarget

TOKEN = "s3cret-token-for-tests-0123456789"
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}},
}


def test_loopback_needs_nothing_and_checks_host_and_origin_anyway() -> None:
    settings = http_settings("127.0.0.1", 8765, env={})
    assert settings.token is None and settings.allowed_hosts == LOOPBACK_HOSTS
    assert settings.security.enable_dns_rebinding_protection


@pytest.mark.parametrize(
    ("env", "hosts", "message"),
    [
        ({}, ["mcp.example.com:8765"], f"set a bearer token in ${TOKEN_ENV}"),
        ({TOKEN_ENV: TOKEN}, [], "needs --allowed-host"),
        ({TOKEN_ENV: "short"}, ["mcp.example.com:8765"], "too short"),
    ],
)
def test_beyond_loopback_a_token_and_allowed_hosts_are_required(
    env: dict[str, str], hosts: list[str], message: str
) -> None:
    with pytest.raises(UsageError, match=re.escape(message)) as caught:
        http_settings("0.0.0.0", 8765, hosts, env=env)
    assert TOKEN not in str(caught.value)


def test_beyond_loopback_with_token_and_hosts_origins_default_to_none() -> None:
    settings = http_settings("0.0.0.0", 8765, ["mcp.example.com:8765"], env={TOKEN_ENV: TOKEN})
    assert settings.token == TOKEN and TOKEN not in repr(settings)
    assert settings.allowed_hosts == ("mcp.example.com:8765",) and settings.allowed_origins == ()


def test_the_cli_refuses_an_unauthenticated_public_interface(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    assert main(["mcp", "--http", "8765", "--host", "0.0.0.0", "--model", "offline"]) == 2
    assert TOKEN_ENV in capsys.readouterr().err
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    assert main(["mcp", "--http", "8765", "--host", "0.0.0.0", "--model", "offline"]) == 2
    err = capsys.readouterr().err
    assert "--allowed-host" in err and TOKEN not in err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def guarded(tmp_path: Any) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A server on loopback with a token and an explicit allowed host, as on a public interface."""
    port = _free_port()
    found = shutil.which("escalate", path=os.path.dirname(sys.executable))
    assert found
    process = subprocess.Popen(
        [found, "mcp", "--http", str(port), "--model", "offline", "--allowed-host", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env={**os.environ, TOKEN_ENV: TOKEN},
    )
    try:
        for _ in range(200):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert process.poll() is None
            time.sleep(0.1)
        yield port, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_token_host_and_origin_are_checked(guarded: tuple[int, subprocess.Popen[bytes]]) -> None:
    port, process = guarded
    url = f"http://127.0.0.1:{port}/mcp"
    accept = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    with httpx2.Client(timeout=30) as http:
        assert http.post(url, json=INIT, headers=accept).status_code == 401
        assert http.post(url, json=INIT, headers={**accept, "Authorization": "Bearer wrong"}).status_code == 401
        assert http.post(url, json=INIT, headers={**accept, **bearer, "Host": "evil.example"}).status_code == 421
        forged = {**accept, **bearer, "Origin": "http://evil.example"}
        assert http.post(url, json=INIT, headers=forged).status_code == 403
        assert http.post(url, json=INIT, headers={**accept, **bearer}).status_code == 200
    connection = McpConnection("escalate", HttpTarget(url, headers=bearer), timeout=30)
    try:
        assert "gather_context" in [t.name for t in connection.list_tools()]
    finally:
        connection.close()
    process.terminate()
    out, err = process.communicate(timeout=10)
    assert TOKEN.encode() not in out + err and b"bearer token from $ESCALATE_MCP_TOKEN" in err
