"""MCP servers as connectors: escalation.toml -> a stdio fake (Intercom- and HubSpot-like tools) ->
presets -> records -> a brief that cites the fake's ids and links; the read-only tools offered to
the model; the connector contract; clean shutdown."""

from __future__ import annotations

import http.server
import os
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from agent.decide.policy import load_policy
from agent.gather.tools import ConnectorTools
from agent.models.base import ModelError, ModelTurn, ToolCall
from agent.models.factory import make_model
from agent.models.scripted import ScriptedModel
from agent.render.contract import to_json
from agent.service import BriefRequest, run_brief
from connectors.base import ConnectorError, Workspace
from connectors.config import ConfigError, load_config
from connectors.configured import workspace_from_config
from connectors.mcp.hub import McpHub
from connectors.mcp.presets import PRESETS
from connectors.mcp.session import McpConnection
from connectors.mcp.source import McpSource
from connectors.mcp.wire import HttpTarget, InProcessTarget
from connectors.records import RECORDS_ADAPTER
from tests.contract.connector_contract import CONTRACT_CHECKS, KnownData, check_id
from tests.fakes import mcp_support_crm as fake

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
FAKE = Path(fake.__file__).resolve()
ENV = {"ESC_FAKE_TOKEN": fake.TOKEN}
CONFIG = f"""
[mcp.fake]
command = "{sys.executable}"
args = ["{FAKE}"]
env = {{ FAKE_MCP_TOKEN = "${{ESC_FAKE_TOKEN}}" }}
timeout_seconds = 20

[support]
backend = "mcp"
server = "fake"
preset = "intercom"
link = "{fake.INBOX}{{id}}"

[crm]
backend = "mcp"
server = "fake"
preset = "hubspot"
"""


def workspace_from(tmp_path: Path, text: str = CONFIG, env: dict[str, str] = ENV) -> Workspace:
    path = tmp_path / "escalation.toml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    assert config is not None
    return workspace_from_config(config, date(2026, 11, 27), env=env)


@pytest.fixture(scope="module")
def stdio_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    workspace = workspace_from(tmp_path_factory.mktemp("mcp"))
    yield workspace
    workspace.close()


def test_a_brief_end_to_end_cites_the_fake_servers_records(stdio_workspace: Workspace) -> None:
    request = BriefRequest(text="API returning 500 errors intermittently for Acme Corp", now=NOW)
    result = run_brief(request, stdio_workspace, make_model("offline"), load_policy(None))
    data = to_json(result)
    cited = {(e["source"], e["id"], e["url"]) for rule in data["rules_fired"] for e in rule["evidence"]}
    assert ("intercom", "9001", f"{fake.INBOX}9001") in cited
    assert ("hubspot", "5001", f"{fake.CRM}5001") in cited
    assert data["escalate"] is True and data["target_team"] == "Engineering"
    assert "Acme Corp" in data["impact"]["customers_affected"] and data["impact"]["arr_at_risk"] >= 480000
    assert f"{fake.INBOX}9001" in data["markdown"] and "#9004" not in data["markdown"]
    assert not result.gathered.unavailable


def test_read_only_tools_are_offered_namespaced_and_write_tools_never(stdio_workspace: Workspace) -> None:
    tools = ConnectorTools(stdio_workspace, NOW)
    names = {spec.name for spec in tools.specs()}
    assert {"search_tickets", "get_ticket", "find_account"} <= names  # the category tools stay
    assert {"fake__search_conversations", "fake__get_conversation", "fake__search_crm_objects"} <= names
    assert "fake__list_tags" in names  # annotated read-only
    assert not {"fake__reply_to_conversation", "fake__manage_crm_objects"} & names
    result = tools.run(ToolCall(id="t1", name="fake__get_conversation", arguments={"id": "9001"}))
    assert not result.is_error
    records = RECORDS_ADAPTER.validate_json(result.content.split('"records": ', 1)[1].rstrip("}"))
    assert {r.kind for r in records} == {"ticket", "comment"}
    assert "ticket:intercom:9001" in tools.gathered.records
    assert tools.gathered.calls == ["fake__get_conversation(id='9001')"]
    tags = tools.run(ToolCall(id="t2", name="fake__list_tags", arguments={}))
    assert not tags.is_error and "billing" in tags.content  # unmapped: the text reaches the model
    refused = tools.run(ToolCall(id="t3", name="fake__manage_crm_objects", arguments={}))
    assert refused.is_error and "unknown tool" in refused.content


def test_a_claude_like_model_can_gather_through_the_servers_own_tools(stdio_workspace: Workspace) -> None:
    words = {"operator": "OR", "value": [{"field": "source.body", "operator": "~", "value": "500"}]}
    calls = [
        ToolCall(id="c1", name="fake__search_conversations", arguments={"query": words}),
        ToolCall(id="c2", name="fake__search_crm_objects", arguments={"objectType": "companies", "query": "Acme"}),
    ]
    no_extraction = ModelError("scripted: no extraction")  # so the extraction falls back offline
    model = ScriptedModel([ModelTurn(tool_calls=calls, stop_reason="tool_use"), ModelTurn(text="done"), no_extraction])
    request = BriefRequest(text="API returning 500 errors intermittently for Acme Corp", now=NOW)
    with model:
        result = run_brief(request, stdio_workspace, model, load_policy(None))
    offered = {spec.name for spec in model.requests[0].tools}
    assert "fake__get_conversation" in offered and "fake__manage_crm_objects" not in offered
    assert "ticket:intercom:9001" in result.gathered.records and "account:hubspot:5001" in result.gathered.records
    cited = {(e["source"], e["id"]) for rule in to_json(result)["rules_fired"] for e in rule["evidence"]}
    assert ("hubspot", "5001") in cited


def test_a_server_that_will_not_start_marks_its_sources_unavailable(tmp_path: Path) -> None:
    workspace = workspace_from(tmp_path, env={"ESC_FAKE_TOKEN": "wrong"})
    try:
        request = BriefRequest(text="API returning 500 errors for Acme Corp", now=NOW)
        result = run_brief(request, workspace, make_model("offline"), load_policy(None))
    finally:
        workspace.close()
    assert set(result.gathered.unavailable) == {"support", "crm"}
    assert "cannot connect" in result.gathered.unavailable["support"]
    assert any(n.startswith("Source unavailable: support") for n in result.notices)


def fake_processes() -> set[int]:
    """Child processes of this test run that are the fake server (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and FAKE.name.encode() in command and fields[0] != "Z":
            found.add(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_close_ends_the_session_its_thread_and_the_subprocess(tmp_path: Path) -> None:
    before = fake_processes()
    workspace = workspace_from(tmp_path)
    assert fake_processes() == before  # nothing starts until a source is used
    assert workspace.crm is not None and workspace.crm.find_account("acme") is not None
    assert len(fake_processes() - before) == 1
    hub = next(c for c in workspace.closers if isinstance(c, McpHub))
    thread = hub.connections["fake"]._thread
    assert thread is not None and thread.is_alive()
    workspace.close()
    assert not thread.is_alive()
    assert fake_processes() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (CONFIG.replace('server = "fake"\npreset = "intercom"', 'server = "nope"'), "no [mcp.nope] table"),
        (CONFIG.replace('preset = "intercom"', 'preset = "freshdesk"'), "unknown preset 'freshdesk'"),
        (CONFIG.replace('preset = "hubspot"', 'preset = "intercom"'), "preset 'intercom' does not serve [crm]"),
        (CONFIG.replace("timeout_seconds = 20", 'url = "https://x.example/mcp"'), "set either command"),
        (CONFIG.replace("[mcp.fake]", "[mcp.'bad name']"), "server names use letters"),
        ('[support]\nbackend = "mcp"\nserver = "x"\n\n[mcp.x]\nurl = "https://x.example"\n', "set preset = one of"),
    ],
)
def test_configuration_errors_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "escalation.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_secrets_come_from_the_environment_and_a_missing_one_is_named(tmp_path: Path) -> None:
    text = '[mcp.intercom]\nurl = "https://mcp.example/mcp"\nheaders = { Authorization = "Bearer ${IC_TOKEN}" }\n'
    text += '\n[support]\nbackend = "mcp"\nserver = "intercom"\n'
    with pytest.raises(ConfigError, match="environment variable IC_TOKEN is not set"):
        workspace_from(tmp_path, text, env={})
    workspace = workspace_from(tmp_path, text, env={"IC_TOKEN": "tok-123"})
    try:
        hub = next(c for c in workspace.closers if isinstance(c, McpHub))
        assert hub.connections["intercom"].target.headers == {"Authorization": "Bearer tok-123"}  # type: ignore[union-attr]
        assert "tok-123" not in repr(workspace.support) + repr(hub)
    finally:
        workspace.close()  # never connected: nothing to stop


# --- the connector contract, in process (no subprocess: fast) ---------------------------------------

SUPPORT_KNOWN = KnownData(
    source="intercom",
    ticket_id="9001",
    ticket_query="API returning 500 errors intermittently",
    customer="acme",
    account_name="Acme Corp",
    account_domain="acme.example",
    plan="Enterprise",
    chat_query="-",
    issue_key="-",
    issue_query="-",
    article_query="-",
)
CRM_KNOWN = KnownData(**{**SUPPORT_KNOWN.__dict__, "source": "hubspot"})


@pytest.fixture(scope="module", params=["support", "crm"])
def in_process(request: pytest.FixtureRequest) -> Iterator[tuple[Workspace, KnownData]]:
    connection = McpConnection("fake", InProcessTarget(fake.build_server()))
    if request.param == "support":
        source = McpSource(connection, PRESETS["intercom"], link=f"{fake.INBOX}{{id}}", owns_connection=True)
        yield Workspace(name="mcp", support=source, closers=[source]), SUPPORT_KNOWN
    else:
        source = McpSource(connection, PRESETS["hubspot"], owns_connection=True)
        yield Workspace(name="mcp", crm=source, closers=[source]), CRM_KNOWN
    connection.close()


@pytest.mark.parametrize("check", CONTRACT_CHECKS, ids=check_id)
def test_contract(check: Callable[[Workspace, KnownData], None], in_process: tuple[Workspace, KnownData]) -> None:
    workspace, known = in_process
    check(workspace, known)


def test_an_http_server_that_refuses_the_token_says_so() -> None:
    class Refuse(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(401)
            self.end_headers()

        do_GET = do_DELETE = do_POST

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    connection = McpConnection("remote", HttpTarget(f"http://127.0.0.1:{server.server_address[1]}/mcp"))
    try:
        with pytest.raises(ConnectorError, match="HTTP 401: not authorized"):
            connection.list_tools()
        with pytest.raises(ConnectorError, match="HTTP 401"):  # remembered: no reconnect storm
            connection.call("anything", {})
    finally:
        connection.close()
        server.shutdown()
