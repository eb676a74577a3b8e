"""`--model ollama:MODEL`: the Anthropic client against a loopback server that answers like Ollama's
documented subset of the Messages API (no tool_choice, cache_control, strict tools, batches or token
counting, and refuses them), so a brief runs with ticket text kept on the machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.cli.triage_cmd import _batch_options
from agent.errors import UsageError
from agent.gather.tools import ConnectorTools
from agent.models.anthropic import AnthropicModel
from agent.models.factory import make_model
from tests.fakes.anthropic_mock import load_fixture
from tests.fakes.anthropic_rules import OLLAMA
from tests.fakes.anthropic_server import FakeAnthropicServer
from tests.fakes.connectors import NOW, fake_workspace
from tests.models.pipeline import run

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ollama() -> Iterator[FakeAnthropicServer]:
    with FakeAnthropicServer(profile=OLLAMA) as fake:
        yield fake


def test_a_brief_through_the_local_server_uses_only_what_it_supports(ollama: FakeAnthropicServer) -> None:
    ollama.queue(load_fixture("gather_followups_tool_use"))
    ollama.queue(load_fixture("extract_valid"))
    model = make_model("ollama:qwen3-coder", {"OLLAMA_BASE_URL": ollama.base_url})
    done = run(model, ConnectorTools(fake_workspace(), NOW))
    assert not done.extracted.fell_back and done.extracted.extraction.ticket_ids == ["1042"]
    assert ollama.rejected == [] and ollama.unexpected == 0 and done.calls == 2
    for body in ollama.bodies():
        assert body["model"] == "qwen3-coder"
        assert "tool_choice" not in body and "cache_control" not in json.dumps(body)
        assert not any(t.get("strict") for t in body["tools"])
    assert ollama.bodies()[0]["tools"] == ollama.bodies()[1]["tools"]


def test_the_fake_refuses_what_ollama_does_not_support(ollama: FakeAnthropicServer) -> None:
    ollama.queue(load_fixture("gather_end_turn"))
    claude = AnthropicModel(api_key="x", model="qwen3-coder", base_url=ollama.base_url, max_retries=0)
    done = run(claude, ConnectorTools(fake_workspace(), NOW))  # Claude's request: cache_control, auto choice
    assert done.extracted.fell_back and ollama.rejected and "not supported" in ollama.rejected[0]


def test_batches_need_claude() -> None:
    with pytest.raises(UsageError, match="--batch-api needs Claude"):
        _batch_options(make_model("ollama:llama3.1", {}), poll_interval=1.0)


def test_the_cli_runs_a_brief_on_a_local_model_for_free(ollama: FakeAnthropicServer) -> None:
    ollama.queue(load_fixture("gather_followups_tool_use"))
    ollama.queue(load_fixture("extract_valid"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "OLLAMA_"))}
    env.update(OLLAMA_BASE_URL=ollama.base_url)
    args = ["brief", "API returning 500 errors intermittently for Acme Corp", "--model", "ollama:qwen3-coder"]
    done = subprocess.run(
        [sys.executable, "-m", "agent", *args, "--format", "json", "--date", "2026-11-27"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["model"] == "ollama:qwen3-coder" and data["extraction_fallback"] is False
    assert data["usage"]["calls"] == 2 and data["usage"]["cost_usd"] == 0.0
    assert ollama.rejected == []
