"""Gather + extract over real HTTP against a local fake Messages API, routed like ANTHROPIC_BASE_URL."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import anthropic._base_client
import pytest

from agent.extract.schema import Extraction
from agent.extract.step import extract
from agent.gather.loop import gather
from agent.gather.tools import ConnectorTools
from agent.models.anthropic_errors import ModelAuthError
from agent.models.factory import make_model
from agent.prompting import EXTRACTION_TOOL, gather_prompt, system_prompt
from tests.fakes.anthropic_mock import RetryClock, load_fixture
from tests.fakes.anthropic_server import FakeAnthropicServer, Reply
from tests.fakes.connectors import NOW, fake_workspace

KEY = "sk-ant-" + "api03-fake-server-key"  # fake, built so no key-shaped literal is committed
FALLBACK = Extraction(summary="offline", problem="offline", description="offline", category="other")


@pytest.fixture
def server() -> Iterator[FakeAnthropicServer]:
    with FakeAnthropicServer(api_key=KEY) as fake:
        yield fake


def env_for(server: FakeAnthropicServer, key: str = KEY) -> dict[str, str]:
    return {"ANTHROPIC_API_KEY": key, "ANTHROPIC_BASE_URL": server.base_url}


def test_whole_loop_and_extraction_through_the_fake_endpoint(
    server: FakeAnthropicServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = RetryClock()
    monkeypatch.setattr(anthropic._base_client, "time", clock)
    server.queue_error(529, "overloaded_error", "Overloaded", headers={"retry-after-ms": "1"})
    for name in ("gather_parallel_tool_use", "gather_followups_tool_use", "gather_end_turn"):
        server.queue(load_fixture(name))
    server.queue(load_fixture("extract_invalid"))
    server.queue(load_fixture("extract_valid"))

    model = make_model("anthropic", env_for(server))
    tools = ConnectorTools(fake_workspace(), NOW)
    system = system_prompt(today="2026-10-20", max_steps=4)
    opening = gather_prompt({"request": "API 500s for Acme Corp", "customer": "Acme Corp"}, list(tools.functions()))
    gathered = gather(model, tools, system, opening)
    extracted = extract(model, system, gathered.messages, lambda: FALLBACK)

    assert model.name == "anthropic:claude-sonnet-5"
    assert gathered.notices == [] and not extracted.fell_back
    assert extracted.extraction.ticket_ids == ["1042"]
    assert server.pending == 0 and server.unexpected == 0
    assert clock.sleeps == [0.001]  # the 529 was retried after the server's retry-after-ms
    received = server.received
    assert len(received) == 6
    assert {(r.method, r.path) for r in received} == {("POST", "/v1/messages")}
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in received)
    assert [r.headers["x-stainless-retry-count"] for r in received] == ["0", "1", "0", "0", "0", "0"]
    assert received[0].body == received[1].body
    bodies = server.bodies()
    assert [b["tool_choice"]["type"] for b in bodies] == ["auto"] * 4 + ["tool"] * 2
    assert all(b["tool_choice"].get("name", EXTRACTION_TOOL) == EXTRACTION_TOOL for b in bodies[4:])
    # the extraction sees the whole gathered conversation, results still paired with their calls
    assert [m["role"] for m in bodies[4]["messages"]] == [
        "user",
        "assistant",
        "user",
        "assistant",
        "user",
        "assistant",
        "user",
    ]


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
    started = time.perf_counter()
    turn = make_model("anthropic", env_for(server)).complete(_request(ConnectorTools(fake_workspace(), NOW)))
    assert turn.stop_reason == "end_turn" and time.perf_counter() - started < 2


def _request(tools: ConnectorTools) -> Any:
    from agent.models.base import Message, ModelRequest

    return ModelRequest(system="s", messages=[Message(role="user", text="hi")], tools=tools.specs())
