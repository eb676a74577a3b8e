"""What `escalate connectors check` shows per connector beyond "ok": the API version its requests
follow, the token's scopes against those needed (where the vendor reports them), and rate-limit
headroom that recovers after a 429."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.cli.connectors_cmd import check_one
from connectors.config import parse_config
from tests.fakes.vendors import ENV, FAKES, connect
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


def test_vendors_that_report_no_scopes_say_what_is_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(FAKES["hubspot"]()) as root:
        row = _row("hubspot", "crm", root, monkeypatch)
    assert row.api == "2026-09"  # type: ignore[attr-defined]
    assert row.scopes.startswith("not reported by hubspot; needs crm.objects.companies.read")  # type: ignore[attr-defined]


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
