"""Serve a vendor fake over real HTTP on 127.0.0.1, for end-to-end CLI tests that read
`escalation.toml` and the environment exactly as a user's run would."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx2

from tests.fakes.vendors.base import FakeVendor

_HOP_BY_HOP = {"content-length", "transfer-encoding", "connection", "content-encoding"}


@contextmanager
def serve(fake: FakeVendor) -> Iterator[str]:
    """Run `fake` on an ephemeral local port; yields its root URL, e.g. `http://127.0.0.1:5123`."""

    class Handler(BaseHTTPRequestHandler):
        def answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = httpx2.Request(
                self.command,
                f"http://{self.headers.get('Host')}{self.path}",
                headers=dict(self.headers.items()),
                content=body,
            )
            response = fake.handle(request)
            content = response.read()
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() not in _HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PUT = answer

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
