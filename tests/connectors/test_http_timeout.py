"""The configured timeout bounds a whole call, retries included: a vendor that never answers is
asked once per timeout, not once per attempt."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from connectors.errors import ConnectorError
from connectors.http.client import HttpSource, build_client
from connectors.http.retry import RetryPolicy


@contextmanager
def hanging_server(release: threading.Event) -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            release.wait(30)  # never answers while the test runs

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        release.set()
        server.shutdown()
        server.server_close()


def test_a_hanging_vendor_is_asked_once_per_timeout() -> None:
    release = threading.Event()
    with hanging_server(release) as (root, seen):
        source = HttpSource(
            "hangs", build_client(root, {}, timeout=0.3), RetryPolicy(max_attempts=4, sleep=lambda s: None)
        )
        with pytest.raises(ConnectorError) as caught:
            source.get("/slow")
        source.close()
    assert len(seen) == 1
    assert "0.3 s" in str(caught.value) or "timed out" in str(caught.value)


def test_quick_failures_are_still_retried_within_the_timeout() -> None:
    answers = iter([500, 503, 200])
    seen: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status = next(answers)
            seen.append(status)
            body = b'{"ok": true}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        root = f"http://127.0.0.1:{server.server_address[1]}"
        source = HttpSource(
            "flaky", build_client(root, {}, timeout=5), RetryPolicy(max_attempts=4, sleep=lambda s: None)
        )
        assert source.get("/x") == {"ok": True}
        source.close()
    finally:
        server.shutdown()
        server.server_close()
    assert seen == [500, 503, 200]
