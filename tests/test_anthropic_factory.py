"""Model choice (`--model`), cost estimates, and the Claude-like usage estimate."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import pytest

from agent.errors import UsageError
from agent.extract.step import extract
from agent.gather.loop import gather
from agent.gather.tools import ConnectorTools
from agent.models.anthropic import AnthropicModel
from agent.models.base import Usage
from agent.models.factory import make_model
from agent.models.pricing import DEFAULT_PRICE, estimate_cost, price_for
from agent.prompting import EXTRACTION_TOOL, gather_prompt, system_prompt
from evals.claude_like import MIN_CACHEABLE_TOKENS, claude_like_model
from tests.fakes.anthropic_mock import MockMessagesAPI
from tests.fakes.connectors import NOW, fake_workspace

ROOT = Path(__file__).resolve().parent.parent


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
    assert isinstance(model, AnthropicModel) and model.name == "anthropic:claude-sonnet-5"


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
    assert str(caught.value) == f"unknown model {spec!r}: use one of auto, offline, anthropic, anthropic:MODEL_ID"


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


def test_cost_uses_list_prices_per_million_tokens() -> None:
    usage = Usage(
        input_tokens=1_000_000, output_tokens=100_000, cache_write_tokens=200_000, cache_read_tokens=2_000_000
    )
    # Sonnet 5: $2 in, $10 out, $2.50 cache write, $0.20 cache read
    assert estimate_cost(usage, "anthropic:claude-sonnet-5") == pytest.approx(2.0 + 1.0 + 0.5 + 0.4)
    assert estimate_cost(usage, "claude-sonnet-5-5") == pytest.approx(2.0 + 1.0 + 0.5 + 0.2)
    assert estimate_cost(Usage(input_tokens=1_000_000), "anthropic:claude-sonnet-4-5-20250929") == pytest.approx(3.0)
    assert price_for("claude-opus-4-5-20251101") == price_for("claude-opus-4-5")  # a dated snapshot
    assert price_for("claude-opus-4-5") != price_for("claude-opus-4-20250514")  # longest prefix wins
    assert price_for("anthropic:claude-future-9") == DEFAULT_PRICE
    assert estimate_cost(usage, "offline") == 0.0
    assert estimate_cost(usage, "scripted") is None


def test_claude_like_conversation_reports_calls_and_estimated_tokens() -> None:
    model, like = claude_like_model()
    tools = ConnectorTools(fake_workspace(), NOW)
    system = system_prompt(today="2026-10-20", max_steps=4)
    request = {"request": "API returning 500 errors intermittently for Acme Corp", "customer": "Acme Corp"}
    gathered = gather(model, tools, system, gather_prompt(request, list(tools.functions())))
    extracted = extract(model, system, gathered.messages, lambda: pytest.fail("fell back"))
    model.assert_done()

    assert [c.split("(")[0] for c in tools.gathered.calls] == [
        "search_tickets", "find_account", "search_chat", "search_tracker", "search_kb", "get_ticket", "get_tracker_issue",
    ]  # fmt: skip
    assert extracted.extraction.ticket_ids == ["1042"] and extracted.extraction.tracker_keys == ["ENG-1423"]
    turns = [r.purpose for r in like.requests]
    assert turns == ["gather", "gather", "gather", "extract"]
    usage = gathered.usage.add(extracted.usage)
    assert usage.calls == 4
    # turn 1 writes the prompt to the cache, later gather turns read it; the extraction offers a
    # different tool list, so it starts a new cache
    assert gathered.usage.cache_read_tokens >= 2 * MIN_CACHEABLE_TOKENS
    assert extracted.usage.cache_read_tokens == 0 and extracted.usage.cache_write_tokens > 0
    assert [t.name for t in model.requests[-1].tools] == [EXTRACTION_TOOL]
    cost = estimate_cost(usage, like.model_id)
    assert cost is not None and 0.005 < cost < 0.2
