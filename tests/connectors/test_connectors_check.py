"""What `escalate connectors check` shows per connector beyond "ok": the API version its requests
follow, the token's scopes against those needed (where the vendor reports them), and rate-limit
headroom that recovers after a 429."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.cli.connectors_cmd import check_one
from connectors.config import parse_config
from tests.fakes.vendors import ENV, FAKES, connect, zendesk
from tests.fakes.vendors.base import reply
from tests.fakes.vendors.server import serve


def _row(backend: str, category: str, root: str, monkeypatch: pytest.MonkeyPatch, **table: str) -> object:
    for var, value in ENV.items():
        monkeypatch.setenv(var, value)
    config = parse_config({category: {"backend": backend, "base_url": root, **table}}, Path("escalation.toml"))
    return check_one(config, category, None)


def test_slack_shows_its_api_and_the_scopes_the_token_has(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FAKES["slack"]()
    with serve(fake) as root:
        row = _row("slack", "chat", f"{root}/api", monkeypatch)
    assert (row.status, row.api) == ("ok", "Web API")  # type: ignore[attr-defined]
    assert row.scopes == "granted: search:read, channels:history, groups:history"  # type: ignore[attr-defined]
    fake = FAKES["slack"]()
    fake.scopes = {token: "search:read" for token in fake.scopes}  # type: ignore[attr-defined]
    with serve(fake) as root:
        row = _row("slack", "chat", f"{root}/api", monkeypatch)
    assert row.scopes == "missing channels:history, groups:history"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("backend", "category", "path", "table"),
    [
        ("intercom", "support", "", {}),
        ("notion", "kb", "/v1", {}),
        ("salesforce", "crm", "/services/data/v67.0", {"arr_field": "ARR__c"}),
        ("linear", "tracker", "", {}),
    ],
)
def test_vendors_that_report_no_scopes_say_so_and_what_is_needed(
    backend: str, category: str, path: str, table: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(FAKES[backend]()) as root:
        row = _row(backend, category, root + path, monkeypatch, **table)
    assert row.status == "ok", row.detail  # type: ignore[attr-defined]
    assert row.scopes.startswith("scopes not reported by the vendor; needs ")  # type: ignore[attr-defined]


def test_zendesk_api_tokens_report_no_scopes(monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(FAKES["zendesk"]()) as root:
        row = _row("zendesk", "support", f"{root}/api/v2", monkeypatch, email=zendesk.EMAIL)
    assert row.scopes.startswith("API tokens report no scopes (the agent's role applies); needs tickets:read")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("granted", "shown"),
    [
        (["read"], "granted: tickets:read, users:read, organizations:read, read (audits)"),  # `read` covers all
        (["tickets:read", "users:read", "organizations:read"], "missing read (audits)"),
        (["tickets:read"], "missing users:read, organizations:read, read (audits)"),
    ],
)
def test_zendesk_oauth_tokens_show_their_scopes(
    granted: list[str], shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FAKES["zendesk"]()
    fake.oauth_scopes = {zendesk.TOKEN: granted}  # type: ignore[attr-defined]
    with serve(fake) as root:
        row = _row("zendesk", "support", f"{root}/api/v2", monkeypatch)  # no email: the token is OAuth
    assert row.status == "ok" and row.scopes == shown  # type: ignore[attr-defined]
    assert "GET /api/v2/oauth/tokens/current.json" in fake.paths()


def test_hubspot_private_app_tokens_show_their_scopes(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FAKES["hubspot"]()
    with serve(fake) as root:
        row = _row("hubspot", "crm", root, monkeypatch)
    assert row.api == "2026-09"  # type: ignore[attr-defined]
    assert row.scopes.startswith("granted: crm.objects.companies.read")  # type: ignore[attr-defined]
    assert "POST /oauth/v2/private-apps/get/access-token-info" in fake.paths()
    fake = FAKES["hubspot"]()
    fake.scopes = ["crm.objects.companies.read", "crm.objects.deals.read"]  # type: ignore[attr-defined]
    with serve(fake) as root:
        row = _row("hubspot", "crm", root, monkeypatch)
    assert row.scopes == "missing crm.objects.contacts.read, crm.objects.owners.read"  # type: ignore[attr-defined]


def test_hubspot_oauth_tokens_show_their_scopes(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FAKES["hubspot"]()
    fake.token = "CJSP5qf1KhICAQEY-oauth-secret"
    fake.scopes = ["crm.objects.companies.read", "crm.objects.contacts.read", "crm.objects.owners.read"]  # type: ignore[attr-defined]
    with serve(fake) as root:
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", fake.token)
        config = parse_config({"crm": {"backend": "hubspot", "base_url": root}}, Path("escalation.toml"))
        row = check_one(config, "crm", None)
    assert row.scopes == "missing crm.objects.deals.read"
    assert f"GET /oauth/v1/access-tokens/{fake.token}" in fake.paths()
    assert fake.token not in row.detail + row.scopes


def test_headroom_comes_from_the_last_successful_response_not_the_429() -> None:
    tracker, fake = connect("jira")
    spent = {"Retry-After": "1", "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0"}
    fake.fail_next(reply(429, {"errorMessages": ["Rate limit exceeded."], "errors": {}}, headers=spent))
    fake.rate_headers = lambda: {}  # type: ignore[method-assign]  # successes that report no limits
    assert tracker.search_issues("ingest 500")  # retried after the wait
    assert len(fake.requests) == 2
    assert tracker.http.headroom is None  # not the spent 0/100 of a window that has passed


def test_json_bodies_say_their_charset() -> None:
    tracker, fake = connect("jira")
    tracker.search_issues("ingest 500")
    assert fake.requests[-1].headers["content-type"] == "application/json; charset=utf-8"
