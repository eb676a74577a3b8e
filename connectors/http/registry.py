"""Every HTTP backend by name: which category it serves, its settings model, how to build it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from connectors.http import confluence, hubspot, intercom, jira, linear, notion, salesforce, slack, zendesk
from connectors.http.settings import BuildContext, HttpSettings


@dataclass(frozen=True)
class Backend:
    """One vendor adapter as the configuration sees it."""

    category: str
    settings: type[HttpSettings]
    build: Callable[[Any, BuildContext], Any]


BACKENDS: dict[str, Backend] = {
    "zendesk": Backend("support", zendesk.ZendeskSettings, zendesk.build),
    "intercom": Backend("support", intercom.IntercomSettings, intercom.build),
    "hubspot": Backend("crm", hubspot.HubSpotSettings, hubspot.build),
    "salesforce": Backend("crm", salesforce.SalesforceSettings, salesforce.build),
    "slack": Backend("chat", slack.SlackSettings, slack.build),
    "jira": Backend("tracker", jira.JiraSettings, jira.build),
    "linear": Backend("tracker", linear.LinearSettings, linear.build),
    "confluence": Backend("kb", confluence.ConfluenceSettings, confluence.build),
    "notion": Backend("kb", notion.NotionSettings, notion.build),
}


def backends_for(category: str) -> list[str]:
    """Vendor names that can serve a category."""
    return [name for name, backend in BACKENDS.items() if backend.category == category]
