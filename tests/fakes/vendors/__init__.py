"""Vendor-shaped fakes of the nine real connectors' APIs, and helpers that wire the real adapters
to them through `escalation.toml`-style configuration (so the config path is exercised too).

`vendor_workspace()` is a Zendesk + HubSpot + Slack + Jira + Confluence workspace over fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent.models.base import ToolCall
from connectors.base import Workspace
from connectors.config import Config, parse_config
from connectors.configured import build_source, workspace_from_config
from tests.fakes.vendors import confluence, hubspot, intercom, jira, linear, notion, salesforce, slack, zendesk
from tests.fakes.vendors.base import FakeVendor

FAKES: dict[str, type[FakeVendor]] = {
    "zendesk": zendesk.FakeZendesk,
    "intercom": intercom.FakeIntercom,
    "hubspot": hubspot.FakeHubSpot,
    "salesforce": salesforce.FakeSalesforce,
    "slack": slack.FakeSlack,
    "jira": jira.FakeJira,
    "linear": linear.FakeLinear,
    "confluence": confluence.FakeConfluence,
    "notion": notion.FakeNotion,
}
CATEGORY = {"zendesk": "support", "intercom": "support", "hubspot": "crm", "salesforce": "crm", "slack": "chat",
            "jira": "tracker", "linear": "tracker", "confluence": "kb", "notion": "kb"}  # fmt: skip
TABLES: dict[str, dict[str, Any]] = {
    "zendesk": {"base_url": zendesk.BASE, "email": zendesk.EMAIL},
    "intercom": {},
    "hubspot": {"plan_property": "plan", "renewal_property": "renewal_date"},
    "salesforce": {"base_url": salesforce.BASE, "arr_field": "ARR__c", "plan_field": "Plan__c",
                   "renewal_field": "Renewal_Date__c"},
    "slack": {"bot_token_env": "SLACK_BOT_TOKEN", "post_channel": "C0SUPPORT"},
    "jira": {"base_url": jira.BASE, "email": jira.EMAIL, "projects": ["ENG"], "project_key": "ENG",
             "priority_names": {"P1": "Highest", "P2": "High"}},
    "linear": {"team_id": linear.TEAM_ID},
    "confluence": {"base_url": confluence.BASE, "email": confluence.EMAIL},
    "notion": {},
}  # fmt: skip
ENV = {
    "ZENDESK_API_TOKEN": zendesk.TOKEN,
    "INTERCOM_ACCESS_TOKEN": intercom.TOKEN,
    "HUBSPOT_ACCESS_TOKEN": hubspot.TOKEN,
    "SALESFORCE_ACCESS_TOKEN": salesforce.TOKEN,
    "SLACK_USER_TOKEN": slack.USER_TOKEN,
    "SLACK_BOT_TOKEN": slack.BOT_TOKEN,
    "JIRA_API_TOKEN": jira.TOKEN,
    "LINEAR_API_KEY": linear.TOKEN,
    "CONFLUENCE_API_TOKEN": confluence.TOKEN,
    "NOTION_TOKEN": notion.TOKEN,
}
SECRETS = tuple(ENV.values())
"""Every fake credential: tests assert none of them ever shows up in output."""
WORKSPACE_BACKENDS = ("zendesk", "hubspot", "slack", "jira", "confluence")
NOW = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
GATHER_CALLS = [  # one gather turn touching each of the five categories, as the model would make it
    ToolCall(id="1", name="search_tickets", arguments={"query": "API 500", "customer": "Acme Corp"}),
    ToolCall(id="2", name="find_account", arguments={"name": "Acme Corp"}),
    ToolCall(id="3", name="search_chat", arguments={"query": "API 500 errors"}),
    ToolCall(id="4", name="search_tracker", arguments={"query": "ingest 500 errors"}),
    ToolCall(id="5", name="search_kb", arguments={"query": "API 500 errors"}),
]


def no_sleep(_seconds: float) -> None:
    """A sleep that returns at once (waits are asserted, never taken)."""


def vendor_config(backends: tuple[str, ...], **overrides: dict[str, Any]) -> Config:
    """A validated configuration with one table per backend (`overrides` by backend name)."""
    data = {CATEGORY[b]: {"backend": b, **TABLES[b], **overrides.get(b, {})} for b in backends}
    return parse_config(data, Path("escalation.toml"))


def connect(
    backend: str,
    fake: FakeVendor | None = None,
    sleep: Callable[[float], None] = no_sleep,
    clock: Callable[[], float] = lambda: 1760871600.0,
    **settings: Any,
) -> tuple[Any, FakeVendor]:
    """The real adapter for `backend`, wired to a fake (a fresh one unless given)."""
    fake = fake or FAKES[backend]()
    config = vendor_config((backend,), **{backend: settings})
    connector = build_source(config, CATEGORY[backend], ENV, {backend: fake.transport()}, sleep, clock)
    return connector, fake


def vendor_workspace_with_fakes(delay: float = 0.0) -> tuple[Workspace, dict[str, FakeVendor]]:
    """The five-vendor workspace and its fakes (each answering after `delay` seconds)."""
    fakes = {name: FAKES[name](delay=delay) for name in WORKSPACE_BACKENDS}
    config = vendor_config(WORKSPACE_BACKENDS)
    transports = {name: fake.transport() for name, fake in fakes.items()}
    return workspace_from_config(config, env=ENV, transports=transports, sleep=no_sleep), fakes


def vendor_workspace(delay: float = 0.0) -> Workspace:
    """Zendesk + HubSpot + Slack + Jira + Confluence over vendor-shaped fakes."""
    return vendor_workspace_with_fakes(delay)[0]
