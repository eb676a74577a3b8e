"""The suite-wide guards themselves: keys are scrubbed and connections outside loopback fail."""

from __future__ import annotations

import os
import socket

import pytest

from tests.conftest import NonLoopbackConnection


def test_api_key_is_not_visible_to_tests() -> None:
    assert "ANTHROPIC_API_KEY" not in os.environ


def test_connection_outside_loopback_fails() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(NonLoopbackConnection):
        sock.connect(("192.0.2.10", 443))


def test_loopback_connection_is_allowed() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
            client.connect(server.getsockname())
            accepted, _ = server.accept()
            accepted.close()
