"""A stand-in for the Messages API on 127.0.0.1, for tests that go through real HTTP.

Point the SDK at it with `base_url=server.base_url` (or `ANTHROPIC_BASE_URL`), queue the responses
the API would send, and read back what it received:

    with FakeAnthropicServer(api_key="sk-test") as server:
        server.queue(load_fixture("gather_done"))
        server.queue_error(529, "overloaded_error", "Overloaded")
        ...
        assert server.bodies()[0]["tool_choice"] == {"type": "auto"}

A request that finds the queue empty gets a 500 with `x-should-retry: false` and is counted in
`unexpected`, so a test sees extra calls instead of hanging.

Before a queued reply is used, the request is checked as the API checks it (`anthropic_rules`):
strict schemas over the limits, a forced tool choice on a model that rejects it, or an unanswered
`tool_use` get the API's 400 text without using up the queue; with `profile=OLLAMA` the server
answers like Ollama's subset (no `tool_choice`, `cache_control`, strict tools, batches or token
counting). With `simulate_cache=True` every reply's usage is billed by a `PromptCache`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .anthropic_rules import CLAUDE, Profile, PromptCache, rejection

Responder = Callable[[dict[str, Any]], "Reply"]
"""Builds a reply from the decoded request body (for replies that depend on the request)."""


@dataclass
class Reply:
    """One queued HTTP response."""

    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Received:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


def error_body(kind: str, message: str, request_id: str = "req_011CTestError") -> dict[str, Any]:
    """An API error body as Anthropic sends it."""
    return {"type": "error", "error": {"type": kind, "message": message}, "request_id": request_id}


class FakeAnthropicServer:
    """A threaded HTTP server answering `POST /v1/messages` from a queue."""

    def __init__(self, api_key: str | None = None, *, profile: Profile = CLAUDE, simulate_cache: bool = False) -> None:
        self.api_key = api_key
        """When set, requests without this key (as `x-api-key` or bearer token) get a 401."""
        self.profile = profile
        self.cache = PromptCache() if simulate_cache else None
        self.received: list[Received] = []
        self.rejected: list[str] = []
        """The 400 messages sent for requests the API would not accept, in order."""
        self.unexpected = 0
        self._queue: list[Reply | Responder] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        # A short poll interval keeps `stop()` fast (the default makes shutdown wait up to 0.5 s).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-anthropic", daemon=True
        )

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>`, for `base_url=` or `ANTHROPIC_BASE_URL`."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeAnthropicServer:
        """Start serving in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeAnthropicServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def queue(self, body: dict[str, Any] | Responder, status: int = 200, headers: dict[str, str] | None = None) -> None:
        """Queue a response body (or a function of the request body) for the next request."""
        with self._lock:
            self._queue.append(body if callable(body) else Reply(status, body, dict(headers or {})))

    def queue_error(self, status: int, kind: str, message: str, headers: dict[str, str] | None = None) -> None:
        """Queue an API error response."""
        self.queue(error_body(kind, message), status=status, headers=headers)

    @property
    def pending(self) -> int:
        """Queued responses not yet served."""
        with self._lock:
            return len(self._queue)

    def bodies(self) -> list[dict[str, Any]]:
        """The JSON bodies received, in order."""
        return [r.body for r in self.received]

    def _next(self, received: Received) -> Reply:
        with self._lock:
            self.received.append(received)
            if self.api_key is not None and self.api_key not in _presented_keys(received.headers):
                return Reply(401, error_body("authentication_error", "invalid x-api-key"), {"x-should-retry": "false"})
            if received.path != "/v1/messages":
                return Reply(404, error_body("not_found_error", f"{self.profile.name}: no route {received.path}"))
            problem = rejection(received.body, self.profile)
            if problem is not None:
                self.rejected.append(problem)
                return Reply(400, error_body("invalid_request_error", problem), {"x-should-retry": "false"})
            if not self._queue:
                self.unexpected += 1
                return Reply(
                    500, error_body("api_error", "fake server: no response queued"), {"x-should-retry": "false"}
                )
            item = self._queue.pop(0)
        reply = item(received.body) if callable(item) else item
        if self.cache is not None and reply.status == 200 and isinstance(reply.body.get("usage"), dict):
            with self._lock:
                billed = self.cache.usage(received.body)
            reply = Reply(reply.status, {**reply.body, "usage": {**reply.body["usage"], **billed}}, reply.headers)
        return reply

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b"{}"
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = server._next(Received("POST", self.path, headers, json.loads(raw or b"{}")))
                payload = json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.send_header("request-id", str(reply.body.get("request_id") or "req_011CFakeServer"))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                """Keep test output quiet."""

        return Handler


def _presented_keys(headers: dict[str, str]) -> set[str]:
    keys = {headers.get("x-api-key", "")}
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        keys.add(auth[7:])
    return keys
