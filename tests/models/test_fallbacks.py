"""Every way the live path can fail ends in the offline extractor over what was gathered, with a
notice, never a crash, and without a model call that cannot help; a bad key still stops the run."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from agent.gather.tools import ConnectorTools
from agent.models.anthropic import AnthropicModel
from agent.models.anthropic_errors import ModelAuthError
from agent.prompting import EXTRACTION_TOOL
from tests.fakes.anthropic_mock import MockMessagesAPI, load_fixture
from tests.fakes.connectors import NOW, fake_workspace
from tests.models.pipeline import FALLBACK, Run, run

KEY = "sk-ant-" + "api03-fallback-test"


def brief(*replies: dict[str, Any] | tuple[int, dict[str, Any]] | str) -> tuple[Run, MockMessagesAPI]:
    api = MockMessagesAPI()
    for reply in replies:
        if isinstance(reply, str):
            api.queue_call(lambda _r, text=reply: httpx2.Response(200, text=text))
        elif isinstance(reply, tuple):
            api.queue(reply[1], status=reply[0], headers={"x-should-retry": "false"})
        else:
            api.queue(reply)
    model = AnthropicModel(api_key=KEY, http_client=api.client(), max_retries=0)
    done = run(model, ConnectorTools(fake_workspace(), NOW))
    assert api.pending == 0
    return done, api


def fell_back(done: Run, reason: str) -> None:
    assert done.extracted.fell_back and done.extracted.extraction is FALLBACK
    assert any(reason in n and "offline extractor" in n for n in done.extracted.notices), done.extracted.notices


@pytest.mark.parametrize("body", ['"just a string"', "<html>502 Bad Gateway</html>", '{"type": "message"}'])
def test_a_200_body_that_is_not_a_message_falls_back_after_one_call(body: str) -> None:
    done, api = brief(body)
    fell_back(done, "not a message")
    assert len(api.requests) == 1 and done.gathered.notices


@pytest.mark.parametrize(("status", "fixture"), [(500, "error_api"), (529, "error_overloaded")])
def test_an_outage_after_the_retries_makes_no_second_call(status: int, fixture: str) -> None:
    done, api = brief((status, load_fixture(fixture)))
    fell_back(done, f"status {status}")
    assert len(api.requests) == 1  # the extraction is not asked for during an outage


def test_a_refusal_falls_back_without_asking_again() -> None:
    done, api = brief(load_fixture("refusal"))
    fell_back(done, "declined")
    assert len(api.requests) == 1


def test_a_truncated_gather_turn_falls_back() -> None:
    done, api = brief(load_fixture("gather_followups_tool_use") | {"stop_reason": "max_tokens"})
    fell_back(done, "max_tokens")
    assert len(api.requests) == 1


@pytest.mark.parametrize(
    ("last", "reason"),
    [
        (load_fixture("gather_end_turn") | {"stop_reason": "max_tokens"}, "stop reason: max_tokens"),
        (load_fixture("refusal"), "stop reason: refusal"),
    ],
)
def test_a_truncated_or_refused_extraction_falls_back(last: dict[str, Any], reason: str) -> None:
    done, api = brief(load_fixture("gather_followups_tool_use"), last)
    fell_back(done, reason)
    assert len(api.requests) == 2  # no repair after a refusal or a cut-off answer


def test_the_extraction_is_accepted_in_the_first_call_even_beside_other_tool_calls() -> None:
    both = load_fixture("gather_followups_tool_use")
    extraction = load_fixture("extract_valid")["content"][0]
    both = both | {"content": [*both["content"], extraction]}
    done, api = brief(both)
    assert not done.extracted.fell_back and done.extracted.extraction.ticket_ids == ["1042"]
    assert len(api.requests) == 1 and done.calls == 1


def test_a_text_answer_gets_one_call_the_tool_now() -> None:
    done, api = brief(load_fixture("gather_end_turn"), load_fixture("extract_valid"))
    assert not done.extracted.fell_back and done.calls == 2
    ask = api.bodies()[1]["messages"][-1]["content"][-1]["text"]
    assert EXTRACTION_TOOL in ask


def test_an_invalid_key_is_not_swallowed() -> None:
    api = MockMessagesAPI()
    api.queue(load_fixture("error_authentication"), status=401)
    model = AnthropicModel(api_key=KEY, http_client=api.client(), max_retries=0)
    with pytest.raises(ModelAuthError, match="ANTHROPIC_API_KEY"):
        run(model, ConnectorTools(fake_workspace(), NOW))
