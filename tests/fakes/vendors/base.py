"""Shared plumbing of the vendor fakes: routing, auth checks, recorded requests, injected failures
and an optional per-request delay. Each vendor module adds its routes and its documented shapes."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx2

Handler = Callable[..., httpx2.Response]


def reply(status: int = 200, body: Any = None, headers: dict[str, str] | None = None) -> httpx2.Response:
    """A JSON response (or an empty one when `body` is None)."""
    if body is None:
        return httpx2.Response(status, headers=headers)
    return httpx2.Response(status, json=body, headers=headers)


def raw(
    status: int, text: str, content_type: str = "text/plain", headers: dict[str, str] | None = None
) -> httpx2.Response:
    """A non-JSON response (HTML error pages, text/plain 429s, truncated JSON)."""
    return httpx2.Response(status, content=text.encode(), headers={"Content-Type": content_type, **(headers or {})})


class FakeVendor:
    """A vendor API as a `MockTransport` handler.

    `fail_next(...)` queues responses (or exceptions, e.g. `httpx2.ConnectTimeout`) served before
    normal routing, which is how tests script throttling, 5xx bursts, timeouts and bad JSON.
    """

    base_url = "https://fake.invalid"
    token = "fake-token"

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.gate: threading.Barrier | None = None
        """When set, the next request waits here until every party's request has arrived (a test of
        concurrency that does not time anything: serial requests break the barrier)."""
        self.requests: list[httpx2.Request] = []
        self._queued: list[httpx2.Response | Exception] = []
        self._failing: list[tuple[re.Pattern[str], httpx2.Response]] = []
        self._lock = threading.Lock()
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self.setup()

    def setup(self) -> None:
        """Register routes (vendor modules override)."""

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        """Serve `method` on paths matching `pattern` (regex, anchored) with `handler(request, *groups)`."""
        self.routes.append((method, re.compile(f"^{pattern}$"), handler))

    def fail_next(self, *outcomes: httpx2.Response | Exception) -> None:
        """Serve these before anything else, in order."""
        with self._lock:
            self._queued.extend(outcomes)

    def fail_path(self, pattern: str, response: httpx2.Response) -> None:
        """Answer every request whose path matches `pattern` (regex, anchored) with `response`, for
        as long as the fake lives: a lookup that is down, not one that flickers."""
        with self._lock:
            self._failing.append((re.compile(f"^{pattern}$"), response))

    def transport(self) -> httpx2.MockTransport:
        """The transport to hand to the connector under test."""
        return httpx2.MockTransport(self.handle)

    def authorized(self, request: httpx2.Request) -> bool:
        """Whether the request carries this fake's credentials (vendors override for Basic auth)."""
        return request.headers.get("authorization") == f"Bearer {self.token}"

    def unauthorized(self) -> httpx2.Response:
        """The vendor's 401 (overridden with each documented envelope)."""
        return reply(401, {"message": "unauthorized"})

    def rate_headers(self) -> dict[str, str]:
        """Rate-limit headers sent on every successful response."""
        return {}

    def not_found(self) -> httpx2.Response:
        """The vendor's 404."""
        return reply(404, {"message": "not found"})

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        """Route one request."""
        if self.delay:
            time.sleep(self.delay)
        with self._lock:
            gate, self.gate = self.gate, None
        if gate is not None:
            gate.wait()
        with self._lock:
            self.requests.append(request)
            queued = self._queued.pop(0) if self._queued else None
        if isinstance(queued, Exception):
            raise queued
        if queued is not None:
            return queued
        failing = next((r for p, r in self._failing if p.match(request.url.path)), None)
        if failing is not None:
            return httpx2.Response(failing.status_code, headers=failing.headers, content=failing.content)
        if not self.authorized(request):
            return self.unauthorized()
        path = request.url.path
        for method, pattern, handler in self.routes:
            match = pattern.match(path)
            if match and method == request.method:
                response = handler(request, *match.groups())
                response.headers.update(self.rate_headers())
                return response
        return self.not_found()

    def paths(self) -> list[str]:
        """`METHOD path` of every request served, in order."""
        return [f"{r.method} {r.url.path}" for r in self.requests]


def body_of(request: httpx2.Request) -> Any:
    """The JSON body of a request."""
    return json.loads(request.content or b"null")


def text_clauses_match(query: str, haystack: str) -> bool:
    """Whether a JQL/CQL query's `text ~ "..."` clauses match: each clause needs every word of its
    phrase (as Jira and Confluence do); clauses joined by OR need one to match, otherwise all."""
    phrases = re.findall(r'text ~ "((?:[^"\\]|\\.)*)"', query)
    if not phrases:
        return True
    hits = [words_in(phrase, haystack) for phrase in phrases]
    return any(hits) if re.search(r'" OR text ~ "', query) else all(hits)


def words_in(query: str, haystack: str) -> bool:
    """Every word of `query` starts a word of `haystack` (case-insensitive; "ingest" matches
    "/v1/ingest" and "500" matches "500s", "api" never "rapid"): the AND search most vendors do."""
    return all(re.search(rf"(?<![a-z0-9]){re.escape(word)}", haystack, re.IGNORECASE) for word in query.lower().split())
