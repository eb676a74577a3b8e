"""Model choice (`--model`), cost estimates, and the Claude-like usage estimate."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

from agent.errors import UsageError
from agent.gather.tools import ConnectorTools
from agent.models.anthropic import AnthropicModel
from agent.models.base import ModelCapabilities, Usage
from agent.models.factory import make_model
from agent.models.local import LOCAL_PROFILE
from agent.models.pricing import cost_of, estimate_cost, price_for
from evals.claude_like import claude_like_model
from tests.fakes.anthropic_mock import MockMessagesAPI
from tests.fakes.connectors import NOW, fake_workspace
from tests.models.pipeline import run

ROOT = Path(__file__).resolve().parents[2]


class StubOffline:
    name = "offline"


@pytest.fixture
def offline_stub(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("agent.models.offline.model")
    module.OfflineModel = StubOffline  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "agent.models.offline.model", module)


def test_auto_without_a_key_is_offline(offline_stub: None) -> None:
    assert isinstance(make_model("auto", {}), StubOffline)
    assert isinstance(make_model("auto", {"ANTHROPIC_API_KEY": "  "}), StubOffline)
    assert isinstance(make_model(" offline ", {"ANTHROPIC_API_KEY": "sk-ant-x"}), StubOffline)


def test_auto_with_a_key_is_claude() -> None:
    model = make_model("auto", {"ANTHROPIC_API_KEY": "sk-ant-x"}, http_client=MockMessagesAPI().client())
    assert isinstance(model, AnthropicModel) and model.name == "anthropic:claude-sonnet-5-5"


def test_anthropic_with_a_model_id_and_base_url() -> None:
    env = {"ANTHROPIC_API_KEY": "sk-ant-x", "ANTHROPIC_BASE_URL": "http://127.0.0.1:1"}
    model = make_model("anthropic:claude-opus-5-5", env)
    assert model.name == "anthropic:claude-opus-5-5"
    assert isinstance(model, AnthropicModel) and str(model._client.base_url).startswith("http://127.0.0.1:1")


def test_anthropic_without_a_key_says_exactly_how_to_fix_it() -> None:
    with pytest.raises(UsageError) as caught:
        make_model("anthropic", {})
    assert str(caught.value) == "--model anthropic needs an API key: set ANTHROPIC_API_KEY, or use --model offline"


@pytest.mark.parametrize("spec", ["claude", "gpt-5", "scripted", ""])
def test_unknown_specs_list_the_valid_values(spec: str) -> None:
    with pytest.raises(UsageError) as caught:
        make_model(spec, {"ANTHROPIC_API_KEY": "sk-ant-x"})
    valid = "auto, offline, anthropic, anthropic:MODEL_ID, ollama:MODEL"
    assert str(caught.value) == f"unknown model {spec!r}: use one of {valid}"


def test_a_malformed_model_id_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"^invalid model id 'bad id': use --model anthropic:MODEL_ID"):
        make_model("anthropic:bad id", {"ANTHROPIC_API_KEY": "sk-ant-x"})


def test_the_offline_path_never_imports_the_sdk() -> None:
    code = (
        "import sys, types\n"
        "stub = types.ModuleType('agent.models.offline.model')\n"
        "stub.OfflineModel = lambda: 'offline-model'\n"
        "sys.modules['agent.models.offline.model'] = stub\n"
        "from agent.models.factory import make_model\n"
        "assert make_model('auto', {}) == 'offline-model'\n"
        "assert 'anthropic' not in sys.modules and 'agent.models.anthropic' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_ollama_is_the_anthropic_client_with_the_local_profile_and_never_the_anthropic_key() -> None:
    env = {"ANTHROPIC_API_KEY": "sk-ant-" + "not-for-local", "OLLAMA_BASE_URL": "http://127.0.0.1:11434"}
    model = make_model("ollama:qwen3-coder:30b", env)
    assert isinstance(model, AnthropicModel) and model.name == "ollama:qwen3-coder:30b"
    assert model.capabilities == LOCAL_PROFILE
    assert not (LOCAL_PROFILE.strict_tools or LOCAL_PROFILE.cache_control or LOCAL_PROFILE.tool_choice)
    assert not LOCAL_PROFILE.forced_tool_choice
    assert not (LOCAL_PROFILE.batches or LOCAL_PROFILE.token_counting)
    assert str(model._client.base_url).startswith("http://127.0.0.1:11434")
    assert model._client.api_key == "ollama"
    default = make_model("ollama:llama3.1", {})
    assert str(default._client.base_url).startswith("http://localhost:11434")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("spec", "env", "message"),
    [
        ("ollama:", {}, "invalid local model ''"),
        ("ollama:bad name", {}, "invalid local model 'bad name'"),
        ("ollama:llama3", {"OLLAMA_BASE_URL": "localhost:11434"}, "OLLAMA_BASE_URL='localhost:11434' is not a URL"),
    ],
)
def test_bad_local_specs_are_usage_errors(spec: str, env: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        make_model(spec, env)


def test_cost_uses_list_prices_per_million_tokens() -> None:
    usage = Usage(
        input_tokens=1_000_000, output_tokens=100_000, cache_write_tokens=200_000, cache_read_tokens=2_000_000
    )
    # Sonnet 5: $2 in, $10 out, $2.50 cache write, $0.20 cache read
    assert estimate_cost(usage, "anthropic:claude-sonnet-5") == pytest.approx(2.0 + 1.0 + 0.5 + 0.4)
    # Sonnet 5.5 reads the cache at $0.10; Opus 5.5 at $0.20; Fable 5.1 at $0.25; Fable 5.2 costs $8/$40
    assert estimate_cost(usage, "claude-sonnet-5-5") == pytest.approx(2.0 + 1.0 + 0.5 + 0.2)
    assert estimate_cost(usage, "anthropic:claude-opus-5-5") == pytest.approx(4.0 + 2.0 + 1.0 + 0.4)
    assert estimate_cost(Usage(cache_read_tokens=1_000_000), "claude-fable-5-1") == pytest.approx(0.25)
    assert estimate_cost(Usage(input_tokens=1_000_000), "anthropic:claude-fable-5-2") == pytest.approx(8.0)
    assert estimate_cost(Usage(input_tokens=1_000_000), "anthropic:claude-sonnet-4-5-20250929") == pytest.approx(3.0)
    assert price_for("claude-opus-4-5-20251101") == price_for("claude-opus-4-5")  # a dated snapshot
    assert price_for("claude-opus-4-5") != price_for("claude-opus-4-20250514")  # longest prefix wins
    assert price_for("claude-sonnet-5-5[1m]") == price_for("claude-sonnet-5-5")


def test_batches_are_half_price_with_one_hour_cache_writes() -> None:
    usage = Usage(input_tokens=1_000_000, cache_write_tokens=1_000_000)
    # Sonnet 5: $2 in; 1-hour cache write $4; then the 50% batch discount
    assert estimate_cost(usage, "anthropic:claude-sonnet-5", batch=True) == pytest.approx((2.0 + 4.0) / 2)


@pytest.mark.parametrize("name", ["anthropic:claude-future-9", "claude-sonnet-9", "scripted", "scripted:x", "gpt-5"])
def test_an_unknown_model_has_unknown_cost(name: str) -> None:
    assert estimate_cost(Usage(input_tokens=1000), name) is None


def test_free_models_cost_nothing_and_capabilities_price_the_rest() -> None:
    usage = Usage(input_tokens=1_000_000)
    assert estimate_cost(usage, "offline") == 0.0 and estimate_cost(usage, "ollama:llama3.1") == 0.0
    assert cost_of(LOCAL_PROFILE, usage) == 0.0
    assert cost_of(ModelCapabilities(price_id="claude-haiku-5-5"), usage) == pytest.approx(0.10)
    assert cost_of(ModelCapabilities(price_id="claude-unknown-1"), usage) is None
    assert cost_of(ModelCapabilities(), usage) is None


def test_claude_like_conversation_takes_two_calls_and_reads_what_the_first_wrote() -> None:
    model, like = claude_like_model()
    tools = ConnectorTools(fake_workspace(), NOW)
    with model:
        done = run(model, tools)
    assert not done.extracted.fell_back
    prefetched = {"find_account", "search_tickets", "search_tracker", "search_chat", "search_kb"}
    assert {c.split("(")[0] for c in tools.gathered.calls} == prefetched | {"get_ticket", "get_tracker_issue"}
    assert done.extracted.extraction.ticket_ids == ["1042"] and done.extracted.extraction.tracker_keys == ["ENG-1423"]
    assert [r.purpose for r in like.requests] == ["gather", "extract"]
    assert done.calls == 2
    # one tools array for the whole conversation, the extraction tool included
    assert like.requests[0].tools == like.requests[1].tools
    first, second = done.gathered.usage, done.extracted.usage
    assert first.cache_write_tokens > 0 and second.cache_read_tokens >= first.cache_write_tokens
    assert second.cache_write_tokens == 0
    usage = first.add(second)
    assert usage.cache_read_tokens >= usage.cache_write_tokens
    cost = cost_of(like.capabilities, usage)
    assert cost is not None and 0.002 < cost < 0.2
