"""`escalate mcp`: the escalation_brief tool in process, over stdio and over streamable HTTP."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from mcp import Client, StdioServerParameters

from agent.cli import main
from agent.decide.policy import load_policy
from agent.mcp.host_tools import ASSESS, GATHER
from agent.mcp.ledger_tools import FOLLOWUPS, LIST, RECORD
from agent.mcp.limits import MAX_REQUEST_CHARS
from agent.mcp.server import TOOL, build_server, reader_line
from agent.models.factory import make_model
from agent.models.offline.model import OfflineModel
from agent.render.contract import BriefOutput
from agent.service import BriefService
from connectors.mcp.session import McpConnection
from connectors.mcp.wire import HttpTarget

REQUEST = {
    "request": "API returning 500 errors intermittently for Acme Corp",
    "workspace": "demo",
    "date": "2026-11-27",
}
CONTRACT_TYPES: dict[str, type | tuple[type, ...]] = {
    "escalate": bool,
    "severity": (str, type(None)),
    "target_team": (str, type(None)),
    "priority": str,
    "summary": str,
    "impact": dict,
    "rules_fired": list,
    "follow_up": dict,
    "needed": dict,
    "model": str,
    "markdown": str,
}


@pytest.fixture(scope="module")
def server() -> Any:
    return build_server(BriefService(model=make_model("offline"), policy=load_policy(None)))


def assert_contract(data: dict[str, Any]) -> None:
    for key, kind in CONTRACT_TYPES.items():
        assert isinstance(data[key], kind), key
    BriefOutput.model_validate(data)
    for rule in data["rules_fired"]:
        assert {"id", "reason", "evidence"} <= set(rule)


TOOLS = [TOOL, GATHER, ASSESS, LIST, FOLLOWUPS, RECORD]
READ_ONLY = [TOOL, GATHER, ASSESS, LIST, FOLLOWUPS]


async def test_lists_the_tools_with_input_and_output_schemas(server: Any) -> None:
    async with Client(server) as client:
        tools = (await client.list_tools()).tools
    assert [t.name for t in tools] == TOOLS
    read_only = [t.name for t in tools if t.annotations is not None and t.annotations.read_only_hint is True]
    assert read_only == READ_ONLY
    tool = tools[0]
    assert tool.description and len(tool.description) < 700
    assert "offline reader" in tool.description and "gather_context" in tool.description
    assert tool.annotations is not None and tool.annotations.read_only_hint is True
    properties = tool.input_schema["properties"]
    assert set(properties) == {"request", "customer", "ticket_id", "format", "workspace", "date"}
    assert properties["format"]["enum"] == ["md", "json"]
    assert tool.output_schema is not None
    assert set(CONTRACT_TYPES) <= set(tool.output_schema["properties"])
    assert properties["request"]["maxLength"] == MAX_REQUEST_CHARS
    gather, assess = tools[1], tools[2]
    assert set(gather.input_schema["properties"]) == {"request", "customer", "ticket_id", "workspace", "date"}
    assert set(assess.input_schema["required"]) == {"context_id", "extraction"}
    assert assess.output_schema is not None
    assert {"ungrounded", "context_id", *CONTRACT_TYPES} <= set(assess.output_schema["properties"])


def test_the_brief_tool_names_the_model_that_reads() -> None:
    assert "offline reader" in reader_line(OfflineModel())
    claude = make_model("anthropic:claude-x", {"ANTHROPIC_API_KEY": "k" * 8})
    assert "anthropic:claude-x through the Anthropic API" in reader_line(claude)


async def test_brief_on_the_demo_workspace(server: Any) -> None:
    async with Client(server) as client:
        result = await client.call_tool(TOOL, REQUEST)
        as_json = await client.call_tool(TOOL, {**REQUEST, "format": "json"})
    assert not result.is_error
    data = result.structured_content
    assert data is not None
    assert_contract(data)
    assert data["escalate"] is True and data["model"] == "offline"
    text = result.content[0].text  # type: ignore[union-attr]
    assert "ESCALATION: " in text.splitlines()[0] and text == data["markdown"]
    assert any(e["id"] == "1042" for rule in data["rules_fired"] for e in rule["evidence"])
    assert json.loads(as_json.content[0].text) == as_json.structured_content  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"request": "x", "format": "pdf"}, "invalid argument format"),
        ({"request": 42}, "invalid argument request"),
        ({"request": "x", "colour": "red"}, "invalid argument colour"),
        ({}, "the request is empty"),
        ({"request": "x", "date": "tomorrow"}, "date 'tomorrow' is not a date"),
        ({"request": "x", "workspace": "/no/such/file.sqlite"}, "is not 'auto', 'demo', 'none'"),
        ({"request": "x", "ticket_id": "999999", "workspace": "demo"}, "ticket '999999' not found"),
    ],
)
async def test_bad_calls_are_one_line_tool_errors_and_the_server_keeps_serving(
    server: Any, arguments: dict[str, Any], message: str
) -> None:
    async with Client(server) as client:
        bad = await client.call_tool(TOOL, arguments)
        good = await client.call_tool(TOOL, {**REQUEST, "request": "How do I export a CSV report?"})
    assert bad.is_error and bad.structured_content is None
    text = bad.content[0].text  # type: ignore[union-attr]
    assert message in text and "\n" not in text
    assert not good.is_error and good.structured_content is not None


def _escalate() -> str:
    found = shutil.which("escalate", path=os.path.dirname(sys.executable))
    assert found, "the escalate console script is installed next to the interpreter"
    return found


async def test_stdio_round_trip_through_the_cli() -> None:
    params = StdioServerParameters(command=_escalate(), args=["mcp", "--model", "offline"], cwd=os.getcwd())
    async with Client(params) as client:
        assert [t.name for t in (await client.list_tools()).tools] == TOOLS
        result = await client.call_tool(TOOL, {**REQUEST, "format": "json"})
    assert not result.is_error and result.structured_content is not None
    assert_contract(result.structured_content)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def http_server(tmp_path: Any) -> Iterator[int]:
    port = _free_port()
    process = subprocess.Popen(
        [_escalate(), "mcp", "--http", str(port), "--model", "offline"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_streamable_http_bound_to_localhost(http_server: int) -> None:
    connection = McpConnection("escalate", HttpTarget(f"http://127.0.0.1:{http_server}/mcp"), timeout=30)
    try:
        assert [t.name for t in connection.list_tools()] == TOOLS
        outcome = connection.call(TOOL, {**REQUEST, "format": "json"})
        assert not outcome.is_error
        assert_contract(outcome.payload)
        refused = connection.call(TOOL, {"request": "x", "format": "pdf"})
        assert refused.is_error and "invalid argument format" in refused.text
    finally:
        connection.close()
    with socket.socket() as probe:  # not listening on other interfaces
        address = socket.gethostbyname(socket.gethostname())
        if address != "127.0.0.1":
            assert probe.connect_ex((address, http_server)) != 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["mcp", "--http", "70000"], "--http 70000 is not a port number"),
        (["mcp", "--workspace", "/no/such/workspace.sqlite"], "is not 'auto', 'demo', 'none'"),
        (["mcp", "--model", "gpt-4"], "unknown model 'gpt-4'"),
    ],
)
def test_bad_options_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("escalate: error:") == 1


def test_the_cli_and_a_brief_do_not_import_the_mcp_sdk() -> None:
    code = (
        "import sys; from agent.cli import main; "
        "main(['brief', 'API 500s for Acme Corp', '--model', 'offline', '--date', '2026-11-27']); "
        "print(sorted(m for m in sys.modules if m == 'mcp' or m.startswith(('mcp.', 'mcp_types'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
