"""Preset argument building against the `tools/list` of each hosted MCP server the presets cover
(tests/contract/mcp_tools.py): every operation a preset maps finds its tool, and its arguments fit
the tool's schema (only listed keys, every required one, the declared JSON types)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from connectors.mcp.arguments import ArgumentMismatch, build_arguments
from connectors.mcp.presets import PRESETS, Query
from tests.contract.mcp_tools import FIXED_ARGUMENTS, TOOLS

JSON_TYPES: dict[str, type | tuple[type, ...]] = {
    "string": str, "integer": int, "array": list, "object": dict, "boolean": bool, "number": (int, float),
}  # fmt: skip
QUERIES = {
    "search_tickets": Query(text="Export is missing rows", since=datetime(2026, 11, 1, tzinfo=UTC), limit=5),
    "get_ticket": Query(ident="215"),
    "ticket_comments": Query(ident="215"),
    "find_account": Query(ident="Acme Corp"),
    "list_accounts": Query(plan="Enterprise", limit=50),
    "search_messages": Query(text="API 500 errors", limit=10),
    "search_issues": Query(text="ingest 500 errors", limit=10),
    "get_issue": Query(ident="ENG-1423"),
    "search_articles": Query(text="ingest 500 errors", limit=5),
}
CASES = [(preset, op) for preset in TOOLS for op in PRESETS[preset].ops]


@pytest.mark.parametrize(("preset", "op"), CASES, ids=[f"{p}:{o}" for p, o in CASES])
def test_preset_arguments_fit_the_hosted_servers_schema(preset: str, op: str) -> None:
    listed = {tool["name"]: tool["inputSchema"] for tool in TOOLS[preset]}
    call = next((c for c in PRESETS[preset].ops[op].calls if c.tool in listed), None)
    assert call is not None, f"{preset} {op}: none of {PRESETS[preset].ops[op].tools()} in tools/list"
    schema = listed[call.tool]
    arguments = build_arguments(call, QUERIES[op], FIXED_ARGUMENTS.get(preset, {}), schema)
    assert arguments is not None
    assert set(arguments) <= set(schema["properties"])
    assert set(schema["required"]) <= set(arguments)
    assert set(call.needs) <= set(arguments)
    for key, value in arguments.items():
        assert isinstance(value, JSON_TYPES[schema["properties"][key]["type"]]), (key, value)


def test_intercom_search_keeps_its_filters_when_the_schema_takes_the_dsl() -> None:
    listed = {tool["name"]: tool["inputSchema"] for tool in TOOLS["intercom"]}
    call = PRESETS["intercom"].ops["search_tickets"].calls[0]
    arguments = build_arguments(call, QUERIES["search_tickets"], {}, listed["search_conversations"])
    assert arguments is not None
    fields = {c.get("field") for c in arguments["query"]["value"]}
    assert "created_at" in fields  # the time filter survives, not just "recent conversations"


def test_a_schema_taking_a_string_query_gets_the_keywords() -> None:
    call = PRESETS["intercom"].ops["search_tickets"].calls[0]
    schema = {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}
    arguments = build_arguments(call, QUERIES["search_tickets"], {}, schema)
    assert arguments == {"query": "export missing rows"}


@pytest.mark.parametrize("preset", sorted(TOOLS))
def test_a_server_whose_search_tool_lost_its_query_fails_loudly(preset: str) -> None:
    search_ops = [op for op in PRESETS[preset].ops if op.startswith(("search_", "find_"))]
    listed: dict[str, Any] = {tool["name"]: tool["inputSchema"] for tool in TOOLS[preset]}
    for op in search_ops:
        call = next(c for c in PRESETS[preset].ops[op].calls if c.tool in listed)
        crippled = {**listed[call.tool], "properties": {"limit": {"type": "integer"}}, "required": []}
        with pytest.raises(ArgumentMismatch, match=f"{call.tool} takes no"):
            build_arguments(call, QUERIES[op], FIXED_ARGUMENTS.get(preset, {}), crippled)
