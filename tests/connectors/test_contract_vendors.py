"""The shared connector contract, run against every real HTTP adapter over its vendor fake.

Each vendor serves one category, so each run is a one-connector workspace; checks for the other
categories skip themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from connectors.base import Workspace
from connectors.configured import workspace_from_config
from tests.contract.connector_contract import CONTRACT_CHECKS, KnownData, check_id
from tests.fakes.vendors import ENV, FAKES, no_sleep, vendor_config

COMMON = {
    "ticket_id": "1042",
    "ticket_query": "API 500 errors intermittently",
    "customer": "acme",
    "account_name": "Acme Corp",
    "account_domain": "acme.example",
    "plan": "Enterprise",
    "chat_query": "API 500 errors",
    "issue_key": "ENG-1423",
    "issue_query": "intermittent 500 ingest",
    "article_query": "API 500 errors",
}
KNOWN = {
    "zendesk": KnownData(source="zendesk", **COMMON),
    "intercom": KnownData(source="intercom", **{**COMMON, "ticket_id": "215", "ticket_query": "500 errors"}),
    "hubspot": KnownData(source="hubspot", **COMMON),
    "salesforce": KnownData(source="salesforce", **COMMON),
    "slack": KnownData(source="slack", **COMMON),
    "jira": KnownData(source="jira", **COMMON),
    "linear": KnownData(source="linear", **{**COMMON, "issue_key": "ENG-42", "issue_query": "ingest API 500"}),
    "confluence": KnownData(source="confluence", **COMMON),
    "notion": KnownData(source="notion", **{**COMMON, "article_query": "ingest API errors"}),
}


@pytest.fixture(scope="module", params=sorted(KNOWN))
def vendor(request: pytest.FixtureRequest) -> Iterator[tuple[Workspace, KnownData]]:
    name: str = request.param
    fake = FAKES[name]()
    workspace = workspace_from_config(
        vendor_config((name,)), env=ENV, transports={name: fake.transport()}, sleep=no_sleep
    )
    yield workspace, KNOWN[name]
    workspace.close()


@pytest.mark.parametrize("check", CONTRACT_CHECKS, ids=check_id)
def test_contract(check: Callable[[Workspace, KnownData], None], vendor: tuple[Workspace, KnownData]) -> None:
    workspace, known = vendor
    check(workspace, known)
