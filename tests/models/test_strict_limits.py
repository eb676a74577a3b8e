"""The extraction tool stays strict within the API's documented limits, proven on the exact request
body; schemas that would not fit go out non-strict with a notice; the API's 400 texts for schema
limits and rejected forced tool choice are recognised and remembered per model id."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from agent.extract.schema import Evidence, Extraction
from agent.extract.step import extraction_tool_spec
from agent.gather.prefetch import prefetch_messages
from agent.gather.tools import ConnectorTools
from agent.models import anthropic_quirks as quirks
from agent.models.anthropic import AnthropicModel
from agent.models.anthropic_wire import build_params
from agent.models.base import Message, ModelError, ModelRequest, ToolCall, ToolSpec
from agent.models.strict_limits import count_schema, count_strict
from agent.models.strict_schema import restore_nulls, strict_variant
from agent.prompting import EXTRACTION_TOOL
from tests.fakes.anthropic_mock import MockMessagesAPI, load_fixture
from tests.fakes.connectors import ACCOUNT, NOW, fake_workspace

KEY = "sk-ant-" + "api03-strict-test"


def make(api: MockMessagesAPI, model: str = "claude-sonnet-5") -> AnthropicModel:
    return AnthropicModel(api_key=KEY, model=model, http_client=api.client(), max_retries=0)


def brief_request() -> ModelRequest:
    specs = [*ConnectorTools(fake_workspace(), NOW).specs(), extraction_tool_spec()]
    return ModelRequest(system="s", messages=[Message(role="user", text="Acme 500s")], tools=specs)


def test_the_brief_request_body_fits_the_strict_limits_counted_as_the_api_counts() -> None:
    body = build_params(brief_request(), "claude-sonnet-5", quirks.claude_capabilities("claude-sonnet-5"))
    strict = [t for t in body["tools"] if t.get("strict")]
    assert [t["name"] for t in strict] == [EXTRACTION_TOOL]  # the extraction tool is still strict
    count = count_strict(body["tools"])
    assert (count.tools, count.optional, count.unions) == (1, 0, 5)
    assert count.within_limits()
    # the pydantic schema as such would be refused: 71 optional and 19 union-typed parameters
    assert count_schema(Extraction.model_json_schema()) == (71, 19)
    raw = count_strict([{"name": EXTRACTION_TOOL, "strict": True, "input_schema": Extraction.model_json_schema()}])
    assert not raw.within_limits() and raw.over() == "optional parameters 71 > 24, union-typed parameters 19 > 16"


def test_each_def_counts_once_however_often_it_is_referenced() -> None:
    class Quote(BaseModel):
        url: str | None = None

    class Three(BaseModel):
        a: Quote
        b: Quote
        c: list[Quote]

    assert count_schema(Three.model_json_schema()) == (1, 1)


def test_the_strict_variant_maps_back_to_the_same_extraction() -> None:
    schema = Extraction.model_json_schema()
    variant = strict_variant(schema)
    assert set(variant["required"]) == set(variant["properties"]) and variant["additionalProperties"] is False
    assert variant["properties"]["product_area"]["type"] == "string"  # nullable string: "" means null
    assert "anyOf" in variant["properties"]["started_at"]  # a date-time cannot be "": stays nullable
    extraction = Extraction.model_validate(load_fixture("extract_valid")["content"][0]["input"])
    original = extraction.model_dump(mode="json")
    sent = {**original, "product_area": "", "why_now": ""}  # what a strict decoder writes for null
    sent["ask"] = {**original["ask"], "detail": "", "kind": ""}
    quote = {"source": "request", "id": "request", "url": "", "quote": "since Monday"}
    sent["started_evidence"] = [quote]
    expected = {**original, "product_area": None, "why_now": None, "ask": {**original["ask"], "detail": None}}
    expected["ask"]["kind"] = None
    expected["started_evidence"] = [{**quote, "url": None}]  # inside lists of $defs too
    assert restore_nulls(sent, schema) == expected
    assert Extraction.model_validate(restore_nulls(sent, schema)).ask.kind is None
    assert Evidence.model_validate(restore_nulls(quote, schema["$defs"]["Evidence"], schema["$defs"])).url is None


def test_a_schema_over_the_limits_goes_out_non_strict_with_a_notice_and_is_remembered() -> None:
    wide = {
        "type": "object",
        "properties": {f"n{i}": {"anyOf": [{"type": "integer"}, {"type": "null"}]} for i in range(20)},
    }
    spec = ToolSpec(name="wide", description="d", input_schema=wide, strict=True)
    request = ModelRequest(system="s", messages=[Message(role="user", text="x")], tools=[spec])
    api = MockMessagesAPI()
    api.queue(load_fixture("gather_end_turn"))
    api.queue(load_fixture("gather_end_turn"))
    turn = make(api).complete(request)
    assert "strict" not in api.bodies()[0]["tools"][0]
    assert turn.notices and "union-typed parameters 20 > 16" in turn.notices[0]
    assert not make(api).capabilities.strict_tools  # later calls of the run do not try again
    assert make(api).complete(request).notices == []


DOCUMENTED = [
    "Schemas contains too many optional parameters (87), which would make grammar compilation inefficient. "
    "Reduce the number of optional parameters in your tool schemas (limit: 24).",
    "schemas contains too many parameters with union types (19), which would make grammar compilation "
    "inefficient (limit: 16).",
    "Too many strict tools (21). The maximum number of strict tools is 20.",
    "Schema is too complex for compilation. Simplify the tool schema.",
    "THE COMPILED GRAMMAR IS TOO LARGE, which would cause performance issues.",
]


@pytest.mark.parametrize("text", DOCUMENTED)
def test_every_documented_schema_limit_error_downgrades_once_per_model_id(text: str) -> None:
    assert quirks.recognise(text) == "strict_tools"
    api = MockMessagesAPI()
    api.queue_error(400, "invalid_request_error", text)
    api.queue(load_fixture("extract_valid"))
    api.queue(load_fixture("extract_valid"))
    request = ModelRequest(
        system="s", messages=[Message(role="user", text="x")], tools=[extraction_tool_spec()], purpose="extract"
    )
    turn = make(api).complete(request)
    first, second = api.bodies()
    assert first["tools"][0]["strict"] is True and "strict" not in second["tools"][0]
    assert turn.tool_calls[0].name == EXTRACTION_TOOL and turn.notices
    make(api).complete(request)  # a new client for the same model id: no second rejected request
    assert len(api.requests) == 3 and "strict" not in api.bodies()[2]["tools"][0]
    assert make(api, model="claude-opus-5").capabilities.strict_tools  # other ids are untouched


def test_a_rejected_forced_tool_choice_is_retried_with_auto_and_remembered() -> None:
    text = 'tool_choice: type "tool" and "any" are not supported for this model.'
    assert quirks.recognise(text.upper()) == "forced_tool_choice"
    api = MockMessagesAPI()
    api.queue_error(400, "invalid_request_error", text)
    api.queue(load_fixture("extract_valid"))
    model = make(api, model="claude-haiku-5-5")
    assert model.capabilities.forced_tool_choice  # not documented as rejecting: learnt at run time
    request = ModelRequest(
        system="s",
        messages=[Message(role="user", text="x")],
        tools=[extraction_tool_spec()],
        force_tool=EXTRACTION_TOOL,
        purpose="extract",
    )
    model.complete(request)
    assert [b["tool_choice"]["type"] for b in api.bodies()] == ["tool", "auto"]
    assert not model.capabilities.forced_tool_choice


def test_other_bad_requests_are_not_retried() -> None:
    api = MockMessagesAPI()
    api.queue_error(400, "invalid_request_error", "messages: text content blocks must be non-empty")
    with pytest.raises(ModelError, match="status 400 invalid_request_error"):
        make(api).complete(brief_request())
    assert len(api.requests) == 1 and quirks.learnt("claude-sonnet-5") == set()


def test_a_model_that_refuses_the_prefetch_tool_turn_gets_the_results_as_data_from_then_on() -> None:
    text = (
        "messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`. When "
        "`thinking` is enabled, a final `assistant` message must start with a thinking block."
    )
    call = ToolCall(id="prefetch_0_find_account", name="find_account", arguments={"name": "Acme Corp"})
    messages = [Message(role="user", text="Acme 500s"), *prefetch_messages([(call, [ACCOUNT])])]
    request = ModelRequest(system="s", messages=messages, tools=brief_request().tools, cache_upto=3)
    api = MockMessagesAPI()
    api.queue_error(400, "invalid_request_error", text)
    api.queue(load_fixture("extract_valid"))
    api.queue(load_fixture("extract_valid"))
    turn = make(api, model="claude-opus-5-5").complete(request)
    assert turn.notices and quirks.recognise(text) == "synthetic_tool_turns"
    first, second = api.bodies()
    assert [m["role"] for m in first["messages"]] == ["user", "assistant", "user"]
    [only] = second["messages"]
    assert only["role"] == "user" and [b["type"] for b in only["content"]] == ["text"] * 3
    assert 'tool="find_account"' in only["content"][2]["text"] and "cache_control" in only["content"][-1]
    make(api, model="claude-opus-5-5").complete(request)  # remembered: no rejected request first
    assert len(api.requests) == 3 and len(api.bodies()[2]["messages"]) == 1


def test_the_fakes_answer_over_limit_and_forced_requests_with_the_api_texts() -> None:
    api = MockMessagesAPI()
    raw = {"name": EXTRACTION_TOOL, "description": "d", "input_schema": Extraction.model_json_schema(), "strict": True}
    body: dict[str, Any] = {"model": "claude-sonnet-5-5", "max_tokens": 10, "messages": [], "tools": [raw]}
    answer = api.client().post("https://api.anthropic.com/v1/messages", json=body)
    assert answer.status_code == 400
    assert "too many optional parameters (71)" in answer.json()["error"]["message"]
    raw["input_schema"] = strict_variant(Extraction.model_json_schema())
    body["tool_choice"] = {"type": "tool", "name": EXTRACTION_TOOL}
    answer = api.client().post("https://api.anthropic.com/v1/messages", json=body)
    assert answer.json()["error"]["message"] == 'tool_choice: type "tool" and "any" are not supported for this model.'
    assert len(api.rejected) == 2
