"""The gather loop and the extraction step driven by the real AnthropicModel over a mock transport."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from agent.extract.schema import Extraction
from agent.extract.step import extract
from agent.gather.loop import gather
from agent.gather.tools import ConnectorTools
from agent.models.anthropic import AnthropicModel
from agent.models.anthropic_errors import ModelAuthError
from agent.models.base import Message, ToolCall, ToolResult
from agent.prompting import EXTRACTION_TOOL, gather_prompt, system_prompt
from tests.fakes.anthropic_mock import MockMessagesAPI, load_fixture
from tests.fakes.connectors import NOW, SECRET, fake_workspace

SYSTEM = system_prompt(today="2026-10-20", max_steps=4)
FALLBACK = Extraction(summary="offline", problem="offline", description="offline", category="other")


def setup(
    delay: float = 0.0, failing: frozenset[str] = frozenset(), model: str = "claude-sonnet-5"
) -> tuple[MockMessagesAPI, AnthropicModel, ConnectorTools, str]:
    api = MockMessagesAPI()
    llm = AnthropicModel(api_key="sk-ant-test", model=model, http_client=api.client(), max_retries=0)
    tools = ConnectorTools(fake_workspace(delay, failing), NOW)
    request = {"request": "API returning 500 errors intermittently for Acme Corp", "customer": "Acme Corp"}
    return api, llm, tools, gather_prompt(request, list(tools.functions()))


def results_of(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in body["messages"][-1]["content"] if b["type"] == "tool_result"]


class Rendezvous(ConnectorTools):
    """Tools whose calls of one turn must all be in flight at once, or they fail (no clock involved)."""

    def __init__(self, parties: int) -> None:
        super().__init__(fake_workspace(), NOW)
        self.barrier = threading.Barrier(parties, timeout=10)
        self.met = 0

    def run(self, call: ToolCall) -> ToolResult:
        self.barrier.wait()  # BrokenBarrierError unless every call of the turn runs concurrently
        self.met += 1
        return super().run(call)


def test_parallel_calls_run_concurrently_and_every_result_is_paired() -> None:
    api, llm, _, opening = setup()
    for name in ("gather_parallel_tool_use", "gather_end_turn"):
        api.queue(load_fixture(name))
    asked = [b["id"] for b in load_fixture("gather_parallel_tool_use")["content"] if b["type"] == "tool_use"]
    tools = Rendezvous(parties=len(asked))
    outcome = gather(llm, tools, SYSTEM, opening)

    assert outcome.notices == [] and tools.met == len(asked) == 5
    bodies = api.bodies()
    assert len(bodies) == 2
    sent = bodies[1]
    assert [b["id"] for b in sent["messages"][-2]["content"] if b["type"] == "tool_use"] == asked
    assert [r["tool_use_id"] for r in results_of(sent)] == asked
    assert all(r["content"].startswith('<data kind="tool_result"') for r in results_of(sent))
    assert outcome.usage.calls == 2
    assert (outcome.usage.cache_write_tokens, outcome.usage.cache_read_tokens) == (2894 + 1203, 4544)
    assert {"ticket:demo:1042", "account:demo:acc-7"} <= set(tools.gathered.records)


def test_a_failing_tool_becomes_a_short_sanitized_error_result() -> None:
    api, llm, tools, opening = setup(failing=frozenset({"chat"}))
    api.queue(load_fixture("gather_parallel_tool_use"))
    api.queue(load_fixture("gather_end_turn"))
    gather(llm, tools, SYSTEM, opening)

    chat = next(r for r in results_of(api.bodies()[1]) if 'tool="search_chat"' in r["content"])
    assert chat["is_error"] is True
    assert "chat unavailable: internal error" in chat["content"]
    for leak in (SECRET, "postgres", "Traceback", "RuntimeError("):
        assert leak not in json.dumps(api.bodies()[1])
    assert tools.gathered.unavailable == {"chat": "RuntimeError while reading"}


def test_refusal_keeps_what_was_found_and_extraction_still_pairs_results() -> None:
    api, llm, tools, opening = setup()
    api.queue(load_fixture("gather_parallel_tool_use"))
    api.queue(load_fixture("refusal"))
    api.queue(load_fixture("extract_valid"))
    outcome = gather(llm, tools, SYSTEM, opening)
    assert outcome.notices == ["The model declined to continue gathering; the brief uses what was found."]
    extracted = extract(llm, SYSTEM, outcome.messages, lambda: FALLBACK)
    assert not extracted.fell_back

    last = api.bodies()[2]["messages"][-1]["content"]
    assert [b["type"] for b in last] == ["tool_result"] * 5 + ["text"]  # results first, then the request
    assert EXTRACTION_TOOL in last[-1]["text"]


def test_max_tokens_without_calls_ends_gathering_with_a_notice() -> None:
    api, llm, tools, opening = setup()
    api.queue(load_fixture("gather_end_turn") | {"stop_reason": "max_tokens"})
    outcome = gather(llm, tools, SYSTEM, opening)
    assert outcome.notices == ["The model ran out of output tokens while gathering."]


def test_steps_are_bounded() -> None:
    api, llm, tools, opening = setup()
    api.queue(load_fixture("gather_parallel_tool_use"))
    outcome = gather(llm, tools, SYSTEM, opening, max_steps=1)
    assert len(api.requests) == 1
    # The turn budget is planned, not a failure: no notice, and the last turn's results are kept
    # for the extraction that follows.
    assert outcome.notices == []
    assert outcome.messages[-1].tool_results


def test_token_budget_counts_cached_tokens() -> None:
    api, llm, tools, opening = setup()
    api.queue(load_fixture("gather_parallel_tool_use"))  # 212 input + 318 output + 2,894 written to the cache
    outcome = gather(llm, tools, SYSTEM, opening, token_budget=3000)
    assert len(api.requests) == 1
    assert outcome.notices == ["Gathering stopped at the token budget (3,000 tokens)."]


def test_invalid_extraction_is_repaired_with_an_error_tool_result() -> None:
    api, llm, _, _ = setup()
    api.queue(load_fixture("extract_invalid"))
    api.queue(load_fixture("extract_valid"))
    outcome = extract(llm, SYSTEM, [Message(role="user", text="Acme 500s")], lambda: FALLBACK)

    assert not outcome.fell_back and outcome.notices == []
    assert outcome.extraction.tracker_keys == ["ENG-1423"]
    assert outcome.usage.calls == 2 and outcome.usage.output_tokens == 655 + 671
    repair = api.bodies()[1]
    bad_id = load_fixture("extract_invalid")["content"][0]["id"]
    assert repair["messages"][-2]["content"][-1]["id"] == bad_id
    (result,) = results_of(repair)
    assert result["tool_use_id"] == bad_id and result["is_error"] is True
    assert "problem: Field required" in result["content"] and "category:" in result["content"]
    assert repair["tool_choice"] == {"type": "auto"}  # never forced: the cached prefix stays valid


def test_extraction_that_keeps_failing_falls_back_to_offline() -> None:
    api, llm, _, _ = setup()
    for _ in range(2):
        api.queue(load_fixture("extract_invalid"))
    outcome = extract(llm, SYSTEM, [Message(role="user", text="Acme 500s")], lambda: FALLBACK)
    assert outcome.fell_back and outcome.extraction is FALLBACK
    assert len(api.requests) == 2  # one repair, then the offline extractor
    assert outcome.notices == [
        "The model could not produce the extraction (the model's extraction did not validate); "
        "the offline extractor filled it from the gathered records."
    ]


def test_api_down_during_extraction_falls_back_with_the_reason() -> None:
    api, llm, _, _ = setup()
    api.queue(load_fixture("error_overloaded"), status=529)
    outcome = extract(llm, SYSTEM, [Message(role="user", text="Acme 500s")], lambda: FALLBACK)
    assert outcome.fell_back
    assert "Anthropic API unavailable after 0 retries (status 529 overloaded_error" in outcome.notices[0]


@pytest.mark.parametrize("model_id", ["claude-sonnet-5-5"])
def test_without_forced_tool_choice_a_text_answer_is_re_asked(model_id: str) -> None:
    api, llm, _, _ = setup(model=model_id)
    api.queue(load_fixture("gather_end_turn"))  # answers in prose instead of calling the tool
    api.queue(load_fixture("extract_valid"))
    outcome = extract(llm, SYSTEM, [Message(role="user", text="Acme 500s")], lambda: FALLBACK)
    assert not outcome.fell_back
    second = api.bodies()[1]
    assert second["tool_choice"] == {"type": "auto"}
    assert second["messages"][-1]["content"][-1]["text"] == f"Call the {EXTRACTION_TOOL} tool now."


def test_an_invalid_key_is_not_swallowed_by_gather_or_extract() -> None:
    api, llm, tools, opening = setup()
    api.queue(load_fixture("error_authentication"), status=401)
    with pytest.raises(ModelAuthError):
        gather(llm, tools, SYSTEM, opening)
    api.queue(load_fixture("error_authentication"), status=401)
    with pytest.raises(ModelAuthError):
        extract(llm, SYSTEM, [Message(role="user", text="Acme 500s")], lambda: FALLBACK)
