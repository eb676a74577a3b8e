"""The shared HTTP layer: wait hints, the retry policy and its per-source budget, error mapping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx2
import pytest

from connectors.base import ConnectorError
from connectors.http.client import HttpSource, bearer, build_client
from connectors.http.envelope import headroom, redact_headers, sanitize, vendor_message
from connectors.http.retry import RetryPolicy, wait_hint

NOW = 1_792_400_000.0  # 2026-10-18T...Z
SECRET = "tok-very-secret-123"


class Clock:
    """Records every sleep instead of sleeping."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)


def source(
    handler: Callable[[httpx2.Request], httpx2.Response],
    clock: Clock | None = None,
    max_total_wait: float = 30.0,
    max_attempts: int = 4,
    **kwargs: object,
) -> HttpSource:
    clock = clock or Clock()
    policy = RetryPolicy(max_attempts=max_attempts, max_total_wait=max_total_wait, sleep=clock.sleep, clock=lambda: NOW)
    client = build_client("https://api.vendor.example/v1", bearer(SECRET), 5.0, transport=httpx2.MockTransport(handler))
    return HttpSource("vendor", client, policy, **kwargs)  # type: ignore[arg-type]


def script(*outcomes: httpx2.Response | Exception) -> Callable[[httpx2.Request], httpx2.Response]:
    queue = list(outcomes)

    def handler(request: httpx2.Request) -> httpx2.Response:
        outcome = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return handler


OK = httpx2.Response(200, json={"ok": True})


# --- wait hints ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": format_datetime(datetime.fromtimestamp(NOW + 12, UTC), usegmt=True)}, 12.0),
        ({"X-RateLimit-Reset": str(int(NOW + 9))}, 9.0),  # Intercom: epoch seconds
        ({"X-RateLimit-Reset": datetime.fromtimestamp(NOW + 4, UTC).isoformat().replace("+00:00", "Z")}, 4.0),  # Jira
        ({"ratelimit-reset": "25"}, 25.0),  # Zendesk: delta seconds
        ({"X-RateLimit-Requests-Reset": str(int((NOW + 3) * 1000))}, 3.0),  # Linear: epoch milliseconds
        ({"Retry-After": "2", "X-RateLimit-Reset": str(int(NOW + 60))}, 2.0),  # Retry-After wins
        ({"Retry-After": "soon"}, None),
        ({"X-RateLimit-Reset": str(int(NOW - 50))}, 0.0),  # already past: no negative waits
        ({}, None),
    ],
)
def test_wait_hint_normalises_every_vendor_format(headers: dict[str, str], expected: float | None) -> None:
    got = wait_hint(headers, NOW)
    assert got == pytest.approx(expected) if expected is not None else got is None


# --- retries --------------------------------------------------------------------------------------


def test_429_waits_exactly_what_the_vendor_asked_then_succeeds() -> None:
    clock = Clock()
    http = source(script(httpx2.Response(429, headers={"Retry-After": "3"}), OK), clock)
    assert http.get("/x") == {"ok": True}
    assert clock.slept == [3.0]


def test_5xx_burst_is_retried_with_backoff() -> None:
    clock = Clock()
    http = source(script(httpx2.Response(503), httpx2.Response(502), httpx2.Response(500), OK), clock)
    assert http.get("/x") == {"ok": True}
    assert len(clock.slept) == 3 and all(0 < s <= 8 for s in clock.slept)


def test_gives_up_after_max_attempts_with_a_short_reason() -> None:
    http = source(script(httpx2.Response(503)), max_attempts=3)
    with pytest.raises(ConnectorError) as err:
        http.get("/x")
    assert err.value.message == "server error (HTTP 503); gave up after 3 attempt(s)"


@pytest.mark.parametrize(
    "exc", [httpx2.ConnectTimeout("boom"), httpx2.ReadTimeout("slow"), httpx2.ConnectError("refused")]
)
def test_transport_errors_are_retried_for_reads(exc: Exception) -> None:
    clock = Clock()
    assert source(script(exc, OK), clock).get("/x") == {"ok": True}
    assert len(clock.slept) == 1


def test_a_write_is_not_retried_after_a_read_timeout() -> None:
    calls: list[int] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(1)
        raise httpx2.ReadTimeout("slow")

    with pytest.raises(ConnectorError, match="timed out during a write; re-run to check"):
        source(handler).post("/create", {"a": 1}, read=False)
    assert len(calls) == 1


def test_a_write_is_not_retried_after_a_5xx_but_is_after_refused_connection_and_429() -> None:
    with pytest.raises(ConnectorError, match=r"HTTP 500\) during a write; not retried"):
        source(script(httpx2.Response(500), OK)).post("/create", {}, read=False)
    clock = Clock()
    http = source(script(httpx2.ConnectError("refused"), httpx2.Response(429, headers={"Retry-After": "1"}), OK), clock)
    assert http.post("/create", {}, read=False) == {"ok": True}
    assert clock.slept[1] == 1.0


def test_a_hint_beyond_the_budget_fails_fast_as_rate_limited() -> None:
    clock = Clock()
    http = source(script(httpx2.Response(429, headers={"Retry-After": "3600"})), clock, max_total_wait=30)
    with pytest.raises(ConnectorError) as err:
        http.get("/x")
    assert err.value.message == "rate-limited (vendor asks to wait 3600s)"
    assert clock.slept == []


def test_the_wait_budget_is_shared_by_every_call_to_a_source() -> None:
    clock = Clock()
    throttled = httpx2.Response(429, headers={"Retry-After": "8"})
    http = source(script(throttled, OK, throttled, OK, throttled, OK), clock, max_total_wait=20)
    assert http.get("/a") == {"ok": True}
    assert http.get("/b") == {"ok": True}
    with pytest.raises(ConnectorError, match="rate-limited"):
        http.get("/c")  # 8 + 8 spent; another 8 would pass the 20 s budget
    assert clock.slept == [8.0, 8.0]


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (401, {"message": "bad token"}, "authentication failed (HTTP 401) (check TOKEN_VAR): bad token"),
        (403, [{"errorCode": "INSUFFICIENT_ACCESS", "message": "no"}], "access denied (HTTP 403) (check TOKEN_VAR): INSUFFICIENT_ACCESS: no"),
        (404, {"error": "RecordNotFound", "description": "Not found"}, "not found (HTTP 404): RecordNotFound: Not found"),
        (410, {"errorMessages": ["The requested API has been removed."], "errors": {}}, "request rejected (HTTP 410): The requested API has been removed."),
        (422, {"errors": {"summary": "required"}}, "request rejected (HTTP 422): summary: required"),
    ],
)  # fmt: skip
def test_final_statuses_are_not_retried(status: int, body: object, message: str) -> None:
    clock = Clock()
    with pytest.raises(ConnectorError) as err:
        source(script(httpx2.Response(status, json=body)), clock, auth_hint="check TOKEN_VAR").get("/x")
    assert err.value.message == message
    assert clock.slept == []


def test_missing_ok_turns_404_into_none() -> None:
    assert source(script(httpx2.Response(404, json={"error": "RecordNotFound"}))).get("/x", missing_ok=True) is None


def test_malformed_json_on_200_is_a_clean_error() -> None:
    bad = httpx2.Response(200, content=b'{"results": [', headers={"Content-Type": "application/json"})
    with pytest.raises(ConnectorError) as err:
        source(script(bad)).get("/x")
    assert err.value.message == "malformed response (HTTP 200, not JSON)"


def test_text_plain_429_body_is_fine() -> None:
    clock = Clock()
    plain = httpx2.Response(
        429, content=b"Too Many Requests", headers={"Retry-After": "1", "Content-Type": "text/plain"}
    )
    assert source(script(plain, OK), clock).get("/x") == {"ok": True}


# --- secrets --------------------------------------------------------------------------------------


def test_secrets_echoed_by_a_vendor_never_reach_the_message() -> None:
    echo = httpx2.Response(400, json={"message": f"invalid token {SECRET} for Authorization: Bearer {SECRET}"})
    with pytest.raises(ConnectorError) as err:
        source(script(echo)).get("/x")
    assert SECRET not in str(err.value)
    assert "<redacted>" in err.value.message
    assert err.value.__cause__ is None and err.value.__context__ is None  # nothing unsanitized rides along


def test_basic_auth_parts_are_redacted_too() -> None:
    from connectors.http.client import basic
    from connectors.http.envelope import secrets_in_headers

    secrets = secrets_in_headers(basic("me@x.example/token", SECRET))
    assert sanitize(f"user me@x.example/token:{SECRET} rejected", secrets).count(SECRET) == 0


def test_reprs_and_shown_headers_hold_no_secret() -> None:
    http = source(script(OK))
    assert SECRET not in repr(http) and SECRET not in repr(http.client)
    assert redact_headers(dict(http.client.headers))["authorization"] == "Bearer <redacted>"


def test_pagination_links_to_another_host_are_refused() -> None:
    http = source(script(OK))
    assert http.url("/v1/next?page=2") == "https://api.vendor.example/v1/next?page=2"
    assert http.url("https://api.vendor.example/v1/x?page=2") == "https://api.vendor.example/v1/x?page=2"
    with pytest.raises(ConnectorError, match="another host"):
        http.url("https://evil.example/steal")


# --- envelopes and headroom ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"type": "error.list", "errors": [{"code": "unauthorized", "message": "Access Token Invalid"}]}, "unauthorized: Access Token Invalid"),
        ({"error": {"title": "Forbidden", "message": "You do not have access"}}, "Forbidden: You do not have access"),
        ({"ok": False, "error": "channel_not_found"}, "channel_not_found"),
        ({"object": "error", "status": 400, "code": "validation_error", "message": "bad"}, "bad"),
        ({"errors": [{"message": "Entity not found", "extensions": {"type": "invalid input"}}]}, "Entity not found"),
        ("plain text", None),
    ],
)  # fmt: skip
def test_vendor_message_reads_each_envelope(body: object, message: str | None) -> None:
    assert vendor_message(body) == message


def test_headroom_reads_each_vendor_family() -> None:
    assert headroom({"X-Rate-Limit": "400", "X-Rate-Limit-Remaining": "12"}) == "12/400 per minute"
    assert headroom({"Sforce-Limit-Info": "api-usage=18/15000"}) == "14982/15000 per 24 h"
    assert headroom({"X-RateLimit-Requests-Remaining": "9", "X-RateLimit-Requests-Limit": "5000"}) == "9/5000 per hour"
    assert headroom({"Content-Type": "application/json"}) is None


def test_sanitize_makes_one_short_line() -> None:
    assert sanitize("a\nb\r\n\tc" + "x" * 500).startswith("a b c")
    assert len(sanitize("x" * 500)) == 160
