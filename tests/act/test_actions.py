"""Write actions over vendor fakes: exact plans, search-before-create idempotency, no blind retries."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest

from agent.act.actions import escalation_key, file_issue, marker, note_ticket, post_chat
from agent.act.actions.slack_post import blocks, mrkdwn
from agent.render.contract import BriefOutput
from connectors.base import ConnectorError
from connectors.errors import ConfigError
from tests.fakes.vendors import ENV, FAKES, SECRETS, no_sleep, vendor_config
from tests.fakes.vendors.base import FakeVendor
from tests.fakes.vendors.linear import TEAM_ID

BRIEF: dict[str, Any] = {
    "escalate": True,
    "severity": "High",
    "target_team": "Engineering",
    "priority": "P2",
    "summary": "Acme Corp: 1 in 20 ingest API calls fail with HTTP 500 <!channel>",
    "markdown": "# Escalation\n\n**Impact**: 1 in 20 calls fail.\n\n- See [ticket 1042](https://acme.zendesk.com/agent/tickets/1042)\n- <!here> & more",
    "needed": {"asks": ["Fix"], "deadline": "2026-10-21T12:00:00+00:00"},
    "rules_fired": [
        {
            "id": "R1",
            "family": "technical",
            "reason": "r",
            "evidence": [{"source": "zendesk", "id": "1042", "url": "u", "quote": "q"}],
        }
    ],
    "model": "offline",
    "extra_key": "kept",
}


def brief(**changes: Any) -> BriefOutput:
    return BriefOutput.model_validate({**BRIEF, **changes})


def wired(backend: str, fake: FakeVendor | None = None) -> tuple[Any, FakeVendor]:
    fake = fake or FAKES[backend]()
    return vendor_config((backend,)), fake


def test_the_key_is_stable_and_tracks_what_the_brief_asks() -> None:
    assert escalation_key(brief()) == escalation_key(brief(markdown="other rendering", model="anthropic"))
    assert escalation_key(brief()) != escalation_key(brief(severity="Critical"))
    assert len(escalation_key(brief())) == 12 and marker("abc") == "escalation-key: abc"


# --- Slack ----------------------------------------------------------------------------------------


def test_slack_plan_is_the_exact_request_with_secrets_redacted() -> None:
    config, fake = wired("slack")
    action = post_chat(config, brief(), env=ENV, transports={"slack": fake.transport()})
    plan = action.plan()
    assert (plan.method, plan.url) == ("POST", "https://slack.com/api/chat.postMessage")
    assert plan.headers["authorization"] == "Bearer <redacted>"
    assert plan.json["channel"] == "C0SUPPORT" and plan.json["blocks"][0]["type"] == "header"
    assert fake.requests == []  # planning sends nothing
    assert not any(secret in json.dumps(plan.as_dict()) for secret in SECRETS)


def test_slack_post_is_created_once_then_found() -> None:
    config, fake = wired("slack")
    action = post_chat(config, brief(), env=ENV, transports={"slack": fake.transport()})
    first = action.execute()
    assert (
        first.created and first.url == f"https://acme.slack.com/archives/C0SUPPORT/p{first.reference.replace('.', '')}"
    )
    again = post_chat(config, brief(), env=ENV, transports={"slack": fake.transport()}).execute()
    assert not again.created and again.reference == first.reference
    assert len(fake.posted) == 1  # type: ignore[attr-defined]
    posted = fake.posted[0]  # type: ignore[attr-defined]
    assert fake.requests[2].headers["authorization"] == f"Bearer {ENV['SLACK_BOT_TOKEN']}"
    assert marker(action.key) in posted["text"]


def test_untrusted_text_cannot_ping_a_channel() -> None:
    rendered = json.dumps(blocks(brief(), "k"))
    assert "<!channel>" not in rendered and "<!here>" not in rendered
    assert "&lt;!here&gt; &amp; more" in mrkdwn(BRIEF["markdown"])
    assert "<https://acme.zendesk.com/agent/tickets/1042|ticket 1042>" in mrkdwn(BRIEF["markdown"])


def test_slack_blocks_stay_inside_block_kit_limits() -> None:
    huge = brief(markdown="\n".join(f"- line {i} " + "x" * 200 for i in range(400)), summary="s" * 5000)
    kit = blocks(huge, "k")
    assert len(kit) <= 50 and len(json.dumps(kit)) < 13000
    assert all(len(b["text"]["text"]) <= 3000 for b in kit if b["type"] == "section" and "text" in b)
    assert "cut to fit" in json.dumps(kit[-2])


def test_slack_channel_must_be_an_id_and_chat_must_be_slack() -> None:
    config, _ = wired("slack")
    with pytest.raises(ConfigError, match="must be a channel ID"):
        post_chat(config, brief(), channel="#escalations", env=ENV)
    with pytest.raises(ConfigError, match=r"post-chat needs \[chat\] backend = \"slack\""):
        post_chat(vendor_config(("jira",)), brief(), env=ENV)


def test_slack_scope_errors_arrive_in_http_200() -> None:
    config = vendor_config(("slack",), slack={"bot_token_env": None})
    fake = FAKES["slack"]()
    action = post_chat(config, brief(), env=ENV, transports={"slack": fake.transport()})
    with pytest.raises(ConnectorError, match="missing_scope: the token needs chat:write"):
        action.execute()


# --- Jira / Linear --------------------------------------------------------------------------------


def test_jira_issue_has_an_adf_body_key_label_and_mapped_priority() -> None:
    config, fake = wired("jira")
    action = file_issue(config, brief(), env=ENV, transports={"jira": fake.transport()})
    fields = action.plan().json["fields"]
    assert fields["project"] == {"key": "ENG"} and fields["issuetype"] == {"name": "Bug"}
    assert fields["summary"].startswith("[High] Acme Corp") and fields["priority"] == {"name": "High"}
    assert fields["description"]["type"] == "doc" and fields["labels"] == ["escalation", f"escalation-key-{action.key}"]
    created = action.execute()
    assert created.created and created.url == f"https://acme.atlassian.net/browse/{created.reference}"
    again = file_issue(config, brief(), env=ENV, transports={"jira": fake.transport()}).execute()
    assert (again.created, again.reference) == (False, created.reference)
    assert len(fake.created) == 1  # type: ignore[attr-defined]


def test_a_lost_create_response_is_not_retried_and_a_rerun_finds_the_issue() -> None:
    config, fake = wired("jira")
    lost: list[int] = []

    def flaky(request: httpx2.Request) -> httpx2.Response:
        response = fake.handle(request)
        if request.method == "POST" and request.url.path.endswith("/issue") and not lost:
            lost.append(1)
            raise httpx2.ReadTimeout("the issue was created, the answer never came")
        return response

    transports = {"jira": httpx2.MockTransport(flaky)}
    with pytest.raises(ConnectorError, match="timed out during a write; re-run to check"):
        file_issue(config, brief(), env=ENV, transports=transports, sleep=no_sleep).execute()
    assert len(fake.created) == 1  # type: ignore[attr-defined]
    rerun = file_issue(config, brief(), env=ENV, transports=transports, sleep=no_sleep).execute()
    assert not rerun.created and len(fake.created) == 1  # type: ignore[attr-defined]


def test_linear_issue_created_once_with_priority_and_marker() -> None:
    config, fake = wired("linear")
    action = file_issue(config, brief(priority="P1"), env=ENV, transports={"linear": fake.transport()})
    data = action.plan().json["variables"]["input"]
    assert (data["teamId"], data["priority"]) == (TEAM_ID, 1) and marker(action.key) in data["description"]
    created = action.execute()
    assert created.created and created.url == f"https://linear.app/acme/issue/{created.reference.lower()}"
    assert (
        not file_issue(config, brief(priority="P1"), env=ENV, transports={"linear": fake.transport()}).execute().created
    )
    assert fake.requests[0].headers["authorization"] == ENV["LINEAR_API_KEY"]  # personal keys go bare


def test_linear_validation_errors_are_final() -> None:
    config, fake = wired("linear")
    action = file_issue(config, brief(), project="ENG", env=ENV, transports={"linear": fake.transport()})
    with pytest.raises(ConnectorError, match="GraphQL error: Argument Validation Error: teamId must be a UUID"):
        action.execute()
    assert [r.method for r in fake.requests] == ["POST", "POST"]  # the search, then one create


# --- Zendesk --------------------------------------------------------------------------------------


def test_zendesk_note_is_private_and_idempotent() -> None:
    config, fake = wired("zendesk")
    action = note_ticket(config, brief(), "#1042", env=ENV, transports={"zendesk": fake.transport()})
    plan = action.plan()
    assert (plan.method, plan.url) == ("PUT", "https://acme.zendesk.com/api/v2/tickets/1042")
    assert plan.json["ticket"]["comment"]["public"] is False and plan.headers["authorization"] == "Basic <redacted>"
    first = action.execute()
    assert first.created and first.url == "https://acme.zendesk.com/agent/tickets/1042"
    again = note_ticket(config, brief(), "1042", env=ENV, transports={"zendesk": fake.transport()}).execute()
    assert not again.created
    notes = [c for c in fake.comments[1042] if not c["public"]]  # type: ignore[attr-defined]
    assert len(notes) == 2 and marker(action.key) in notes[-1]["body"]


def test_zendesk_note_on_a_missing_ticket_and_bad_ids() -> None:
    config, fake = wired("zendesk")
    with pytest.raises(ConnectorError, match="not found"):
        note_ticket(config, brief(), "777", env=ENV, transports={"zendesk": fake.transport()}).execute()
    with pytest.raises(ConfigError, match="not a Zendesk ticket id"):
        note_ticket(config, brief(), "../users/me", env=ENV)


def test_a_missing_token_names_the_variable() -> None:
    config, _ = wired("zendesk")
    with pytest.raises(ConfigError, match="ZENDESK_API_TOKEN is not set"):
        note_ticket(config, brief(), "1042", env={})
