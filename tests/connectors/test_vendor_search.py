"""Searches the way each vendor's search works (Slack, Linear and Notion term by term when the
terms together find too few) (over fakes that match words as the vendors do),
tracker keys mentioned in ticket text, Atlassian OAuth (3LO) URLs, and Slack's 15-message pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.act.actions import post_chat
from agent.decide.policy import load_policy
from agent.models.offline.model import OfflineModel
from agent.render.contract import BriefOutput
from agent.service import BriefRequest, run_brief
from connectors.config import ConfigError, parse_config
from connectors.configured import workspace_from_config
from connectors.mcp import mapping
from tests.act.test_actions import BRIEF
from tests.fakes.vendors import ENV, FAKES, NOW, connect, no_sleep, vendor_config
from tests.fakes.vendors.base import body_of
from tests.fakes.vendors.notion import PAGE_A
from tests.fakes.vendors.slack import FakeSlack


def test_jira_ors_one_clause_per_word_and_ranks_by_words_matched() -> None:
    tracker, fake = connect("jira")
    # One phrase clause would need all five words in one issue; none has them all.
    found = tracker.search_issues("Acme says ingest API 500 errors intermittently")
    assert [i.key for i in found][:2] == ["ENG-1423", "ENG-1101"]
    assert len(fake.requests) == 1


def test_confluence_finds_the_known_issue_and_reads_the_top_bodies() -> None:
    kb, fake = connect("confluence")
    found = kb.search_articles("Acme ingest API keeps failing with 500s", limit=3)
    assert found[0].source_id == "3001" and found[0].article_type == "known_issue"
    assert "Workaround: retry with exponential backoff" in found[0].body  # the body, not the excerpt
    assert sum(p.startswith("GET /wiki/api/v2/pages/") for p in fake.paths()) == 2


def test_zendesk_retries_word_by_word_when_the_anded_words_find_nothing() -> None:
    support, fake = connect("zendesk")
    found = support.search_tickets("acme ingest failing")  # no ticket holds all three words
    assert [t.source_id for t in found] == ["1042"]
    assert fake.paths().count("GET /api/v2/search.json") == 4


def test_zendesk_tickets_carry_the_tracker_keys_their_notes_mention() -> None:
    support, fake = connect("zendesk")
    ticket = support.get_ticket("1042")
    assert ticket is not None and ticket.tracker_keys == ("ENG-1423",)
    comments = support.ticket_comments("1042")
    assert fake.paths().count("GET /api/v2/tickets/1042/comments") == 1  # read once, for both
    assert any("ENG-1423" in c.body for c in comments)


def test_atlassian_oauth_goes_through_the_gateway_and_links_to_the_site() -> None:
    config = vendor_config(("jira",), jira={"base_url": None, "email": None, "cloud_id": "c1d",
                                           "web_url": "https://acme.atlassian.net"})  # fmt: skip
    settings = config.sources["tracker"]
    assert settings.base_url == "https://api.atlassian.com/ex/jira/c1d/rest/api/3"  # type: ignore[attr-defined]
    kb = vendor_config(("confluence",), confluence={"base_url": None, "email": None, "cloud_id": "c1d",
                                                    "web_url": "https://acme.atlassian.net/wiki"})  # fmt: skip
    assert kb.sources["kb"].base_url == "https://api.atlassian.com/ex/confluence/c1d/wiki/rest/api"  # type: ignore[attr-defined]
    with pytest.raises(ConfigError, match="set web_url to the site"):
        parse_config({"tracker": {"backend": "jira", "cloud_id": "c1d"}}, Path("escalation.toml"))


def test_slack_duplicate_check_reads_fifteen_recent_messages_at_a_time() -> None:
    fake = FakeSlack()
    for n in range(20):  # an earlier post, then twenty newer ones in the way
        fake.posted.append({"channel": "C0SUPPORT", "ts": f"{2_000_000_000 - n}.000100", "text": f"chatter {n}"})
    brief = BriefOutput.model_validate(BRIEF)
    config = vendor_config(("slack",))
    action = post_chat(config, brief, env=ENV, transports={"slack": fake.transport()})
    assert action.find_existing() is None
    history = [r for r in fake.requests if r.url.path == "/api/conversations.history"]
    assert [r.url.params["limit"] for r in history] == ["15", "15"]
    assert all(float(r.url.params["oldest"]) > 0 for r in history)


def test_mcp_tickets_carry_the_tracker_keys_their_text_mentions() -> None:
    found = mapping.ticket(
        {"id": 7, "subject": "500s", "description": "Same as ENG-1423 (UTF-8 body)"}, "zendesk", None
    )
    assert found is not None and found.tracker_keys == ("ENG-1423",)


REWORDED = "Acme says ingest keeps failing with 500s"
"""A request worded unlike the records it should find: no record holds all of its words."""


def test_slack_searches_term_by_term_when_the_terms_together_find_too_few() -> None:
    chat, fake = connect("slack")
    found = chat.search_messages(REWORDED)
    assert found[0].text.startswith("Acme reports API 500 errors on POST /v1/ingest")  # acme + ingest + 500s
    queries = [r.url.params["query"] for r in fake.requests]
    assert queries == ["acme ingest 500s", "acme", "ingest", "500s"]  # generic words ("keeps") are not sent


def test_slack_sends_one_query_when_the_terms_together_find_enough() -> None:
    chat, fake = connect("slack")
    assert len(chat.search_messages("API 500 errors")) == 3
    assert len(fake.requests) == 1


def test_linear_searches_term_by_term_when_the_terms_together_find_too_few() -> None:
    tracker, fake = connect("linear")
    found = tracker.search_issues(REWORDED)
    assert [i.key for i in found] == ["ENG-42"]  # "ingest" alone finds it; together the terms find nothing
    terms = [body_of(r)["variables"]["term"] for r in fake.requests]
    assert terms == ["acme ingest 500s", "acme", "ingest", "500s"]


def test_notion_matches_titles_term_by_term_and_reads_the_top_bodies() -> None:
    kb, fake = connect("notion")
    found = kb.search_articles(REWORDED)
    assert found[0].title == "Ingest API 500 errors" and "1 in 20 calls fail" in found[0].body
    assert [body_of(r)["query"] for r in fake.requests if r.url.path == "/v1/search"] == [
        "acme ingest 500s", "acme", "ingest", "500s",
    ]  # fmt: skip
    assert sum(p.startswith("GET /v1/blocks/") for p in fake.paths()) == len(found)


def test_a_reworded_brief_finds_the_related_chat_tracker_and_kb_records() -> None:
    backends = ("zendesk", "hubspot", "slack", "linear", "notion")
    fakes = {name: FAKES[name]() for name in backends}
    workspace = workspace_from_config(
        vendor_config(backends), env=ENV, transports={n: f.transport() for n, f in fakes.items()}, sleep=no_sleep
    )
    try:
        result = run_brief(
            BriefRequest(text=f"{REWORDED} for Acme Corp", now=NOW), workspace, OfflineModel(), load_policy()
        )
    finally:
        workspace.close()
    refs = set(result.gathered.records)
    assert "chat_message:slack:C0SUPPORT:1792406000.000200" in refs  # "Acme reports API 500 errors on /v1/ingest"
    assert "tracker_issue:linear:uuid-ENG-42" in refs  # "Ingest API returns 500 errors"
    assert f"article:notion:{PAGE_A}" in refs  # "Ingest API 500 errors", read from its blocks
