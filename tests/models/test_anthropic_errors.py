"""AnthropicModel failures: SDK retries (counted by requests, waits recorded not slept) and sanitized errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import anthropic._base_client
import httpx2
import pytest

from agent.models.anthropic import AnthropicModel
from agent.models.anthropic_errors import ModelAuthError, ModelConfigError
from agent.models.base import Message, ModelError, ModelRequest
from tests.fakes.anthropic_mock import MockMessagesAPI, RetryClock, load_fixture

KEY = "sk-ant-" + "api03-secret-test-key-123"  # fake, built so no key-shaped literal is committed
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> RetryClock:
    fake = RetryClock()
    monkeypatch.setattr(anthropic._base_client, "time", fake)
    return fake


def call(api: MockMessagesAPI, max_retries: int = 2) -> None:
    model = AnthropicModel(api_key=KEY, http_client=api.client(), max_retries=max_retries)
    model.complete(ModelRequest(system="s", messages=[Message(role="user", text="hi")]))


def retry_counts(api: MockMessagesAPI) -> list[str]:
    return [r.headers["x-stainless-retry-count"] for r in api.requests]


def test_overloaded_then_success_is_retried_by_the_sdk(clock: RetryClock) -> None:
    api = MockMessagesAPI()
    api.queue(load_fixture("error_overloaded"), status=529)
    api.queue(load_fixture("gather_end_turn"))
    call(api)
    assert retry_counts(api) == ["0", "1"]
    assert len(clock.sleeps) == 1 and 0 < clock.sleeps[0] <= 0.5  # jittered backoff, not slept


def test_rate_limit_retry_after_is_honoured(clock: RetryClock) -> None:
    api = MockMessagesAPI()
    api.queue(load_fixture("error_rate_limit"), status=429, headers={"retry-after": "7"})
    api.queue(load_fixture("gather_end_turn"))
    call(api)
    assert retry_counts(api) == ["0", "1"]
    assert clock.sleeps == [7.0]


@pytest.mark.parametrize(
    ("status", "fixture", "kind"),
    [
        (529, "error_overloaded", "overloaded_error"),
        (429, "error_rate_limit", "rate_limit_error"),
        (500, "error_api", "api_error"),
    ],
)
def test_unavailable_after_retries_is_one_short_line(clock: RetryClock, status: int, fixture: str, kind: str) -> None:
    api = MockMessagesAPI()
    for _ in range(3):
        api.queue(load_fixture(fixture), status=status, headers={"request-id": "req_011CUretry"})
    with pytest.raises(ModelError) as caught:
        call(api, max_retries=2)
    assert len(api.requests) == 3
    message = str(caught.value)
    assert message == f"Anthropic API unavailable after 2 retries (status {status} {kind}; request req_011CUretry)"
    assert caught.value.status == status
    assert not isinstance(caught.value, ModelConfigError)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_invalid_key_is_an_auth_error_that_says_how_to_fix_it(clock: RetryClock) -> None:
    api = MockMessagesAPI()
    api.queue(load_fixture("error_authentication"), status=401)
    with pytest.raises(ModelAuthError) as caught:
        call(api)
    assert len(api.requests) == 1  # 401 is not retried
    message = str(caught.value)
    assert "401 authentication_error" in message and "ANTHROPIC_API_KEY" in message and "--model offline" in message
    assert KEY not in message and "\n" not in message


def test_unknown_model_is_a_config_error(clock: RetryClock) -> None:
    api = MockMessagesAPI()
    api.queue_error(404, "not_found_error", "model: claude-nope")
    with pytest.raises(ModelConfigError, match="--model anthropic:MODEL_ID"):
        call(api)


def test_bad_request_detail_is_sanitized(clock: RetryClock) -> None:
    api = MockMessagesAPI()
    api.queue_error(
        400, "invalid_request_error", f"messages.0: bad\n  value near {KEY} and sk-ant-other-KEY9 " + "x" * 400
    )
    with pytest.raises(ModelError) as caught:
        call(api)
    message = str(caught.value)
    assert message.startswith("Anthropic API rejected the request (status 400 invalid_request_error")
    assert KEY not in message and "sk-ant-other" not in message and "***" in message
    assert "\n" not in message and len(message) < 320


def test_connection_failure_after_retries(clock: RetryClock) -> None:
    def refuse(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("[Errno 111] Connection refused", request=request)

    api = MockMessagesAPI()
    api.queue_call(refuse)
    api.queue_call(refuse)
    with pytest.raises(ModelError) as caught:
        call(api, max_retries=1)
    assert len(api.requests) == 2
    assert str(caught.value) == "Anthropic API unreachable after 1 retry (api.anthropic.com)"


def test_timeout_after_retries(clock: RetryClock) -> None:
    def slow(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ReadTimeout("timed out", request=request)

    api = MockMessagesAPI()
    api.queue_call(slow)
    with pytest.raises(ModelError, match=r"^Anthropic API timed out after 0 retries \(api.anthropic.com\)$"):
        call(api, max_retries=0)


def test_missing_key_fails_before_any_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(ModelAuthError, match="ANTHROPIC_API_KEY is not set"):
        AnthropicModel(http_client=MockMessagesAPI().client())


def test_error_classes_import_without_the_sdk() -> None:
    code = (
        "import sys\n"
        "import agent.models.anthropic_errors, agent.models.anthropic_wire, agent.models.factory, agent.models.pricing\n"
        "assert 'anthropic' not in sys.modules, 'anthropic SDK imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_overload_errors_carry_status_and_retry_after() -> None:
    from agent.models.anthropic import retry_after_seconds

    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
