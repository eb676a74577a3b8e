"""The host-model flow over stdio, with the official MCP client acting as the host: gather_context,
then assess_extraction with the host's own reading."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

import pytest
from mcp import Client, StdioServerParameters

from agent.decide.policy import load_policy
from agent.mcp.host_tools import ASSESS, DATA_NOTICE, GATHER
from agent.mcp.server import build_server
from agent.models.factory import make_model
from agent.service import BriefService

SEED = {"request": "API returning 500 errors intermittently for Acme Corp", "workspace": "demo", "date": "2026-11-27"}
MADE_UP = "An attacker downloaded every customer's password hashes"


def _server() -> StdioServerParameters:
    found = shutil.which("escalate", path=os.path.dirname(sys.executable))
    assert found
    return StdioServerParameters(command=found, args=["mcp", "--model", "offline"], cwd=os.getcwd())


def evidence(record: dict[str, Any], quote: str) -> dict[str, Any]:
    return {"source": record["source"], "id": record["source_id"], "url": record["url"], "quote": quote}


def security_reading(records: list[dict[str, Any]], quote: str | None = None) -> dict[str, Any]:
    """A host's reading of the Acme records that reports a security concern, quoting the chat
    message that pages security (or `quote` instead)."""
    paging = next(r for r in records if r["kind"] == "chat_message" and "Paging security" in r["text"])
    ticket = next(r for r in records if r["kind"] == "ticket" and r["source_id"] == "1042")
    return {
        "summary": "Intermittent 500s on event ingestion for Acme Corp; a share link may expose another tenant",
        "problem": "Event ingestion returns HTTP 500 intermittently",
        "description": "Acme's batch ingestion fails intermittently with HTTP 500.",
        "category": "security",
        "signals": {
            "security_concern": {"present": True, "evidence": [evidence(paging, quote or paging["text"][:120])]},
            "infrastructure_issue": {"present": True, "evidence": [evidence(ticket, ticket["subject"])]},
            "security_kind": "data_exposure",
        },
        "affected": {"accounts": [{"name": "Acme Corp", "evidence": [evidence(ticket, ticket["subject"])]}]},
        "ticket_ids": ["1042"],
        "chat_ids": [paging["source_id"]],
    }


def text_of(result: Any) -> str:
    return str(result.content[0].text)


async def test_the_host_reads_the_records_and_the_rules_decide_on_its_grounded_findings() -> None:
    async with Client(_server()) as client:
        gathered = await client.call_tool(GATHER, SEED)
        assert not gathered.is_error and gathered.structured_content is not None
        context = gathered.structured_content
        assert text_of(gathered) == DATA_NOTICE and "untrusted" in DATA_NOTICE
        assert context["context_id"].startswith("ctx_") and context["expires_in_seconds"] > 0
        assert context["request"]["request"] == SEED["request"]
        assert any(r["kind"] == "ticket" and r["source_id"] == "1042" for r in context["records"])
        assert any("quote" in rule for rule in context["field_guide"]["rules"])
        assert "security_concern" in context["field_guide"]["signals"]
        records = context["records"]

        grounded = await client.call_tool(
            ASSESS, {"context_id": context["context_id"], "extraction": security_reading(records)}
        )
        made_up = await client.call_tool(
            ASSESS, {"context_id": context["context_id"], "extraction": security_reading(records, MADE_UP)}
        )
        invalid = await client.call_tool(
            ASSESS, {"context_id": context["context_id"], "extraction": {"category": "banana"}}
        )
        unknown = await client.call_tool(ASSESS, {"context_id": "ctx_nope", "extraction": security_reading(records)})
        again = await client.call_tool(GATHER, SEED)

    assert not grounded.is_error and grounded.structured_content is not None
    brief = grounded.structured_content
    assert brief["model"] == "host" and brief["ungrounded"] == []
    assert brief["escalate"] is True and brief["target_team"] == "Security" and brief["severity"] == "Critical"
    assert text_of(grounded) == brief["markdown"] and "ESCALATION: " in brief["markdown"].splitlines()[0]
    security = next(r for r in brief["rules_fired"] if r["id"] == "IMPACT-SECURITY")
    assert security["evidence"][0]["id"] == "msg-304"
    assert brief["impact"]["revenue_at_risk"]  # ARR from the CRM record, not from the reading

    assert not made_up.is_error and made_up.structured_content is not None
    doubted = made_up.structured_content
    assert doubted["target_team"] != "Security" and "IMPACT-SECURITY" not in [r["id"] for r in doubted["rules_fired"]]
    assert [(u["field"], u["quote"], u["dropped"]) for u in doubted["ungrounded"]] == [
        ("signals.security_concern", MADE_UP, True)
    ]
    assert "Not believed" in doubted["markdown"] and "signals.security_concern" in doubted["notices"][-1]

    assert invalid.is_error and invalid.structured_content is None
    message = text_of(invalid)
    assert message.startswith("invalid argument extraction.") and "\n" not in message
    assert "extraction.summary: Field required" in message and message.endswith("(and 1 more)")

    assert unknown.is_error and text_of(unknown) == "unknown or expired context_id: call gather_context again"
    assert not again.is_error and again.structured_content is not None  # still answering
    assert again.structured_content["context_id"] != context["context_id"]
    assert again.structured_content["records"] == records  # the same deterministic gather


async def test_records_written_like_instructions_are_pointed_out_as_data() -> None:
    server = build_server(BriefService(model=make_model("offline"), policy=load_policy(None), workspace="demo"))
    async with Client(server) as client:
        gathered = await client.call_tool(GATHER, {"request": "Customer can't reset password, very angry"})
    assert gathered.structured_content is not None
    flagged = gathered.structured_content["instruction_like"]
    assert flagged == ["comment:demo:1058-1"]
    record = next(r for r in gathered.structured_content["records"] if r["source_id"] == "1058-1")
    assert record["kind"] == "comment"  # the text is still there, to read as evidence


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({}, "the request is empty"),
        ({"request": "x", "date": "tomorrow"}, "date 'tomorrow' is not a date"),
        ({"request": "x", "ticket_id": "999999"}, "ticket '999999' not found"),
        ({"request": "x", "customer": "c" * 201}, "invalid argument customer"),
        ({"request": "x", "colour": "red"}, "invalid argument colour"),
    ],
)
async def test_bad_gather_calls_are_one_line_tool_errors(arguments: dict[str, Any], message: str) -> None:
    server = build_server(BriefService(model=make_model("offline"), policy=load_policy(None), workspace="demo"))
    async with Client(server) as client:
        bad = await client.call_tool(GATHER, arguments)
        good = await client.call_tool(GATHER, {"request": "How do I export a CSV report?"})
    assert bad.is_error and message in text_of(bad) and "\n" not in text_of(bad)
    assert not good.is_error
