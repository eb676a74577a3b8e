"""Every test runs offline: API keys are removed from the environment and any socket connection to an
address outside loopback fails the test, so nothing can reach a real vendor or model endpoint."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings

# Property-based tests: a quick run by default; HYPOTHESIS_PROFILE=thorough for a long fuzzing session.
settings.register_profile("default", max_examples=25)
settings.register_profile("thorough", max_examples=400)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

SECRET_VARIABLES = (
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_BASE_URL",
    "ESCALATE_LEDGER",
    "ESCALATE_MODEL",
)


class NonLoopbackConnection(AssertionError):
    """A test tried to open a connection outside loopback."""


def _is_loopback(address: Any) -> bool:
    if isinstance(address, str | bytes):
        return True  # a Unix socket path
    if not (isinstance(address, tuple) and address):
        return False
    host = str(address[0])
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    for name in SECRET_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    # Local state a command keeps (write claims) goes to a fresh folder, never the user's.
    monkeypatch.setenv("ESCALATE_STATE_DIR", str(tmp_path_factory.mktemp("state")))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))  # the default ledger
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def guarded_connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            raise NonLoopbackConnection(f"test tried to connect outside loopback: {address!r}")
        original_connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            raise NonLoopbackConnection(f"test tried to connect outside loopback: {address!r}")
        return original_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    yield
