"""A workspace configured with five real adapters over vendor fakes, driven through the agent's
tools: typed records linking back to each vendor's UI, gathered concurrently."""

from __future__ import annotations

import logging
import threading

import pytest

from agent.gather.tools import ConnectorTools
from agent.models.base import ToolCall
from tests.fakes.vendors import GATHER_CALLS, NOW, SECRETS, vendor_workspace, vendor_workspace_with_fakes
from tests.fakes.vendors.base import reply

UI_LINKS = {
    "zendesk": "https://acme.zendesk.com/agent/tickets/",
    "hubspot": "https://app.hubspot.com/contacts/62515/record/0-2/",
    "slack": "https://acme.slack.com/archives/",
    "jira": "https://acme.atlassian.net/browse/",
    "confluence": "https://acme.atlassian.net/wiki/spaces/",
}


def test_every_vendor_answers_with_records_that_link_to_its_ui() -> None:
    workspace = vendor_workspace()
    tools = ConnectorTools(workspace, NOW)
    results = tools.run_all(GATHER_CALLS)
    assert [r.is_error for r in results] == [False] * 5, [r.content for r in results if r.is_error]
    records = list(tools.gathered.records.values())
    by_source: dict[str, list[str]] = {}
    for record in records:
        assert record.url and record.url.startswith(UI_LINKS[record.source]), record.url
        by_source.setdefault(record.source, []).append(record.source_id)
    assert by_source["zendesk"] == ["1042", "1030"]  # newest first
    assert by_source["hubspot"] == ["101"]
    assert len(by_source["slack"]) == 3
    assert by_source["jira"] == ["11423", "11101"]
    assert by_source["confluence"][0] == "3001"
    assert not any(secret in r.content for r in results for secret in SECRETS)
    ticket_and_timeline = tools.run(ToolCall(id="6", name="get_ticket", arguments={"ticket_id": "1042"}))
    assert "Seeing the same on ENG-1423" in ticket_and_timeline.content
    workspace.close()


def test_a_failing_vendor_degrades_one_source_only() -> None:
    workspace, fakes = vendor_workspace_with_fakes()
    fakes["hubspot"].authorized = lambda request: False  # type: ignore[method-assign]
    tools = ConnectorTools(workspace, NOW)
    results = tools.run_all(GATHER_CALLS)
    assert [r.is_error for r in results] == [False, True, False, False, False]
    assert results[1].content.startswith(
        "crm unavailable: authentication failed (HTTP 401) (check HUBSPOT_ACCESS_TOKEN)"
    )
    assert tools.gathered.unavailable == {"crm": results[1].content.removeprefix("crm unavailable: ")}


def test_five_sources_are_gathered_concurrently() -> None:
    workspace, fakes = vendor_workspace_with_fakes()
    # Each vendor's first request waits until all five have arrived: called one after another,
    # the first would wait alone and the barrier would break.
    gate = threading.Barrier(len(fakes), timeout=10)
    for fake in fakes.values():
        fake.gate = gate
    tools = ConnectorTools(workspace, NOW)
    results = tools.run_all(GATHER_CALLS)
    workspace.close()
    assert not any(r.is_error for r in results), [r.content for r in results if r.is_error]
    assert not gate.broken


def test_no_secret_reaches_logs_results_or_reprs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    workspace, fakes = vendor_workspace_with_fakes()
    fakes["jira"].authorized = lambda request: False  # type: ignore[method-assign]
    fakes["slack"].fail_next(reply(200, {"ok": False, "error": f"invalid_auth for {SECRETS[4]}"}))
    tools = ConnectorTools(workspace, NOW)
    results = tools.run_all(GATHER_CALLS)
    shown = " ".join(r.content for r in results) + caplog.text + repr(workspace) + repr(tools.gathered)
    assert any(r.is_error for r in results)
    assert not any(secret in shown for secret in SECRETS)
    workspace.close()
