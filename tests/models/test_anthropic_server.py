"""Gather + extract over real HTTP against a local fake Messages API, routed like ANTHROPIC_BASE_URL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anthropic._base_client
import pytest

from agent.extract.schema import Extraction
from agent.gather.tools import ConnectorTools
from agent.models.anthropic_errors import ModelAuthError
from agent.models.factory import make_model
from agent.prompting import EXTRACTION_TOOL
from tests.fakes.anthropic_mock import RetryClock, load_fixture
from tests.fakes.anthropic_rules import PromptCache
from tests.fakes.anthropic_server import FakeAnthropicServer, Reply
from tests.fakes.connectors import NOW, fake_workspace
from tests.models.pipeline import run

KEY = "sk-ant-" + "api03-fake-server-key"  # fake, built so no key-shaped literal is committed
FALLBACK = Extraction(summary="offline", problem="offline", description="offline", category="other")


@pytest.fixture
def server() -> Iterator[FakeAnthropicServer]:
    with FakeAnthropicServer(api_key=KEY) as fake:
        yield fake


def env_for(server: FakeAnthropicServer, key: str = KEY) -> dict[str, str]:
    return {"ANTHROPIC_API_KEY": key, "ANTHROPIC_BASE_URL": server.base_url}


def test_whole_brief_through_the_fake_endpoint_in_two_calls_after_a_529(
    server: FakeAnthropicServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = RetryClock()
    monkeypatch.setattr(anthropic._base_client, "time", clock)
    server.cache = PromptCache()
    server.queue_error(529, "overloaded_error", "Overloaded", headers={"retry-after-ms": "1"})
    server.queue(load_fixture("gather_followups_tool_use"))
    server.queue(load_fixture("extract_valid"))

    model = make_model("anthropic", env_for(server))
    tools = ConnectorTools(fake_workspace(), NOW)
    done = run(model, tools)

    assert model.name == "anthropic:claude-sonnet-5-5"
    assert done.gathered.notices == [] and not done.extracted.fell_back
    assert done.extracted.extraction.ticket_ids == ["1042"]
    assert done.calls == 2
    assert server.pending == 0 and server.unexpected == 0 and server.rejected == []
    assert clock.sleeps == [0.001]  # the 529 was retried after the server's retry-after-ms
    received = server.received
    assert len(received) == 3
    assert {(r.method, r.path) for r in received} == {("POST", "/v1/messages")}
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in received)
    assert [r.headers["x-stainless-retry-count"] for r in received] == ["0", "1", "0"]
    assert received[0].body == received[1].body
    bodies = server.bodies()
    # one tools array, the extraction tool included, and the model's own choice, in every call
    assert bodies[0]["tools"] == bodies[2]["tools"]
    assert [t["name"] for t in bodies[0]["tools"]][-1] == EXTRACTION_TOOL
    assert [b["tool_choice"] for b in bodies] == [{"type": "auto"}] * 3
    # the first call already holds the prefetched results; the second adds the follow-ups
    assert [m["role"] for m in bodies[0]["messages"]] == ["user", "assistant", "user"]
    assert [m["role"] for m in bodies[2]["messages"]] == ["user", "assistant", "user", "assistant", "user"]
    # caching pays: the second call reads what the first wrote and writes nothing new
    first, second = done.gathered.usage, done.extracted.usage
    assert first.cache_write_tokens > 0 and first.cache_read_tokens == 0
    assert second.cache_read_tokens == first.cache_write_tokens and second.cache_write_tokens == 0


def test_a_wrong_key_is_rejected_by_the_endpoint(server: FakeAnthropicServer) -> None:
    model = make_model("anthropic:claude-haiku-4-5", env_for(server, key="sk-ant-wrong"))
    tools = ConnectorTools(fake_workspace(), NOW)
    with pytest.raises(ModelAuthError):
        model.complete(_request(tools))
    assert len(server.received) == 1 and server.received[0].body["model"] == "claude-haiku-4-5"


def test_responses_can_depend_on_the_request(server: FakeAnthropicServer) -> None:
    def echo_model(body: dict[str, Any]) -> Reply:
        return Reply(body=load_fixture("gather_end_turn") | {"model": body["model"]})

    server.queue(echo_model)
    turn = make_model("anthropic", env_for(server)).complete(_request(ConnectorTools(fake_workspace(), NOW)))
    assert turn.stop_reason == "end_turn" and server.pending == 0


def _request(tools: ConnectorTools) -> Any:
    from agent.models.base import Message, ModelRequest

    return ModelRequest(system="s", messages=[Message(role="user", text="hi")], tools=tools.specs())
