"""A brief end to end from the real adapters over Zendesk, HubSpot, Slack, Jira and Confluence fakes:
every source contributes records, and the brief links to each vendor's own UI."""

from __future__ import annotations

from datetime import UTC, datetime

from agent.decide.policy import load_policy
from agent.models.offline.model import OfflineModel
from agent.render.contract import to_json
from agent.render.markdown import render_markdown
from agent.service import BriefRequest, run_brief
from tests.fakes.vendors import vendor_workspace


def test_brief_from_five_vendor_fakes_links_to_each() -> None:
    workspace = vendor_workspace()
    try:
        result = run_brief(
            BriefRequest(text="API 500 errors on ingest for Acme Corp", now=datetime(2026, 10, 20, 12, tzinfo=UTC)),
            workspace,
            OfflineModel(),
            load_policy(),
        )
    finally:
        workspace.close()
    sources = {r.source for r in result.gathered.records.values()}
    assert {"zendesk", "hubspot", "slack", "jira", "confluence"} <= sources
    markdown = render_markdown(result)
    context = markdown.split("## Supporting Context")[1].split("## Why")[0]
    for host in ("zendesk.com", "slack.com", "atlassian.net/browse/ENG-1423", "/wiki/", "hubspot.com"):
        assert host in context, f"no {host} link in Supporting Context"
    data = to_json(result, markdown)
    assert data["escalate"] is True and data["target_team"] == "Engineering"
    assert data["impact"]["arr_at_risk"] == 240_000  # from HubSpot, not from any text
    assert result.gathered.unavailable == {}
