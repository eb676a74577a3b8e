"""The ledger over MCP: a host records an assessed brief, then lists it and its follow-ups."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from agent.decide.policy import load_policy
from agent.mcp.ledger_tools import FOLLOWUPS, LIST, RECORD
from agent.mcp.server import TOOL, build_server
from agent.models.offline.model import OfflineModel
from agent.service import BriefService


def structured(result: Any) -> Any:
    assert not result.is_error, result.content
    return result.structured_content or json.loads(result.content[0].text)


async def test_record_then_list_escalations_and_followups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCALATE_LEDGER", str(tmp_path / "ledger.sqlite"))
    server = build_server(BriefService(model=OfflineModel(), policy=load_policy(None)))
    async with Client(server) as client:
        assert structured(await client.call_tool(LIST, {}))["items"] == []
        brief = structured(
            await client.call_tool(
                TOOL, {"request": "API returning 500 errors intermittently for Acme Corp", "date": "2026-11-27"}
            )
        )
        first = structured(await client.call_tool(RECORD, {"brief": brief}))
        again = structured(await client.call_tool(RECORD, {"brief": brief}))
        listed = structured(await client.call_tool(LIST, {"status": "open"}))["items"]
        due = structured(await client.call_tool(FOLLOWUPS, {}))["items"]
        bad = await client.call_tool(RECORD, {"brief": {"escalate": "maybe"}})
    assert first["escalation_id"] == again["escalation_id"] and first["created"] and not again["created"]
    assert [e["id"] for e in listed] == [first["escalation_id"]]
    assert listed[0]["severity"] == brief["severity"] and listed[0]["target_team"] == brief["target_team"]
    assert {d["kind"] for d in due} == {"internal", "customer"}
    assert all(d["escalation_id"] == first["escalation_id"] for d in due)
    assert bad.is_error and len(bad.content[0].text.splitlines()) == 1
