"""An in-process Messages API over `httpx2.MockTransport`, and the recorded-shape fixtures.

Like the loopback server, it first checks each request as the API does (`anthropic_rules`: strict
schema limits, forced tool choice on models that reject it, unanswered `tool_use`) and answers those
with the API's 400 text without using up the queue.

api = MockMessagesAPI()
api.queue(load_fixture("gather_end_turn"))
model = AnthropicModel(api_key="sk-test", http_client=api.client(), max_retries=0)
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2

from .anthropic_rules import CLAUDE, Profile, rejection
from .anthropic_server import error_body

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "anthropic"


def load_fixture(name: str) -> dict[str, Any]:
    """A payload from `tests/fixtures/anthropic/<name>.json`."""
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return data


class MockMessagesAPI:
    """Answers each request with the next queued response and keeps every request for assertions."""

    def __init__(self, profile: Profile = CLAUDE) -> None:
        self.profile = profile
        self.rejected: list[str] = []
        """The 400 messages sent for requests the API would not accept."""
        self.requests: list[httpx2.Request] = []
        self._queue: list[httpx2.Response | Callable[[httpx2.Request], httpx2.Response]] = []

    def queue(self, body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> None:
        """Queue a JSON response."""
        self._queue.append(
            httpx2.Response(status, json=body, headers={"request-id": "req_011CMock", **(headers or {})})
        )

    def queue_error(self, status: int, kind: str, message: str, headers: dict[str, str] | None = None) -> None:
        """Queue an API error response."""
        self.queue(error_body(kind, message), status=status, headers=headers)

    def queue_call(self, respond: Callable[[httpx2.Request], httpx2.Response]) -> None:
        """Queue a function of the request (e.g. one that raises a transport error)."""
        self._queue.append(respond)

    def bodies(self) -> list[dict[str, Any]]:
        """The JSON bodies sent, in order."""
        return [json.loads(r.content) for r in self.requests]

    @property
    def pending(self) -> int:
        """Queued responses not yet used."""
        return len(self._queue)

    def client(self) -> httpx2.Client:
        """An `httpx2.Client` to hand to the SDK as `http_client`."""
        return httpx2.Client(transport=httpx2.MockTransport(self._handle))

    def _handle(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        body = json.loads(request.content or b"{}")
        problem = rejection(body, self.profile) if request.url.path.endswith("/v1/messages") else None
        if problem is not None:
            self.rejected.append(problem)
            return httpx2.Response(
                400, json=error_body("invalid_request_error", problem), headers={"x-should-retry": "false"}
            )
        if not self._queue:
            return httpx2.Response(
                500, json=error_body("api_error", "mock: nothing queued"), headers={"x-should-retry": "false"}
            )
        item = self._queue.pop(0)
        return item(request) if callable(item) else item


class RetryClock:
    """Stands in for the `time` module inside the SDK's retry loop: records waits instead of sleeping.

    Install with `monkeypatch.setattr(anthropic._base_client, "time", RetryClock())`; only the SDK
    sees it, so connectors that really sleep are unaffected.
    """

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        """Record the wait."""
        self.sleeps.append(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)
