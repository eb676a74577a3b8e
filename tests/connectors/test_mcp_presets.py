"""Preset mappers on result shapes of the servers in connectors.md §6, the write-tool guard, and the
small helpers of the MCP connector (argument fitting, result decoding)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from connectors.mcp.arguments import ArgumentMismatch, build_arguments
from connectors.mcp.offered import is_write_tool, namespaced
from connectors.mcp.presets import PRESETS, MapContext, Query
from connectors.mcp.presets.base import Call
from connectors.mcp.wire import outcome_of
from connectors.records import Account, Article, ChatMessage, Comment, Ticket, TrackerIssue


def parse(preset: str, op: str, payload: Any, link: str | None = None, ident: str = "") -> list[Any]:
    return PRESETS[preset].ops[op].parse(payload, MapContext(link=link, ident=ident))


def test_every_preset_serves_what_connectors_md_lists() -> None:
    served = {name: preset.categories() for name, preset in PRESETS.items()}
    assert served == {
        "intercom": {"support"},
        "zendesk": {"support"},
        "hubspot": {"crm"},
        "slack": {"chat"},
        "atlassian": {"tracker", "kb"},
        "notion": {"kb"},
        "guru": {"kb"},
    }
    assert PRESETS["intercom"].ops["search_tickets"].tools() == ("search_conversations",)
    assert PRESETS["atlassian"].ops["search_issues"].tools() == ("searchJiraIssuesUsingJql", "jira_search")
    assert PRESETS["atlassian"].ops["search_articles"].tools()[:2] == ("searchConfluence", "searchConfluenceUsingCql")
    for preset in PRESETS.values():
        assert not [t for t in preset.read_tools if is_write_tool(t) and not t.startswith("API-post")], preset.name


def test_intercom_search_arguments_use_the_conversation_dsl() -> None:
    call = PRESETS["intercom"].ops["search_tickets"].calls[0]
    arguments = call.args(Query(text="Export is missing rows!", limit=5))
    assert arguments is not None and arguments["per_page"] == 5
    values = {c["value"] for c in arguments["query"]["value"][0]["value"]}
    assert values == {"export", "missing", "rows"}


def test_zendesk_tickets_get_agent_links_and_comments_their_ticket() -> None:
    raw = {"tickets": [{"id": 7, "url": "https://acme.zendesk.com/api/v2/tickets/7.json", "subject": "SSO loop",
                        "status": "hold", "created_at": "2026-11-01T10:00:00Z", "tags": ["sso"]}]}  # fmt: skip
    [ticket] = parse("zendesk", "search_tickets", raw)
    assert isinstance(ticket, Ticket) and ticket.url == "https://acme.zendesk.com/agent/tickets/7"
    assert ticket.status == "hold" and ticket.tags == ("sso",)
    comments = {"comments": [{"id": 2, "body": "second", "public": False, "created_at": "2026-11-02T00:00:00Z"},
                             {"id": 1, "body": "first", "author_id": 9, "created_at": "2026-11-01T00:00:00Z"}]}  # fmt: skip
    found = parse("zendesk", "ticket_comments", comments, link="https://acme.zendesk.com/agent/tickets/{id}", ident="7")
    assert [c.body for c in found] == ["first", "second"] and all(isinstance(c, Comment) for c in found)
    assert found[1].author_role == "internal" and found[0].url == "https://acme.zendesk.com/agent/tickets/7"


def test_hubspot_companies_become_accounts() -> None:
    raw = {"results": [{"id": "42", "properties": {"name": "Acme", "domain": "acme.example", "arr": "1,200.5",
                        "plan": "Enterprise", "renewal_date": "2027-01-15"}}], "total": 1}  # fmt: skip
    [account] = parse("hubspot", "find_account", raw, link="https://app.hubspot.com/contacts/1/record/0-2/{id}")
    assert isinstance(account, Account) and account.arr == 1200.5 and account.plan == "Enterprise"
    assert account.url == "https://app.hubspot.com/contacts/1/record/0-2/42"


def test_slack_search_matches_become_messages() -> None:
    raw = {"messages": {"matches": [{"ts": "1790000000.000100", "text": "orders-api 500s again",
            "channel": {"id": "C1", "name": "eng-support"}, "username": "sam",
            "permalink": "https://acme.slack.com/archives/C1/p1790000000000100"}]}}  # fmt: skip
    [message] = parse("slack", "search_messages", raw)
    assert isinstance(message, ChatMessage) and message.channel == "eng-support"
    assert message.posted_at.year == 2026 and message.url and message.url.startswith("https://acme.slack.com")


def test_jira_issues_and_confluence_pages() -> None:
    issue = {"id": "10001", "key": "ENG-1423", "self": "https://api.atlassian.com/ex/jira/x/rest/api/3/issue/10001",
             "fields": {"summary": "orders-api 500s", "status": {"name": "Done", "statusCategory": {"key": "done"}},
                        "issuetype": {"name": "Bug"}, "labels": ["api"], "created": "2026-11-20T10:00:00.000+0000",
                        "description": {"type": "doc", "content": [{"type": "paragraph", "content": [
                            {"type": "text", "text": "Pool exhaustion"}]}]}}}  # fmt: skip
    [found] = parse("atlassian", "search_issues", {"issues": [issue]}, link="https://acme.atlassian.net/browse/{id}")
    assert isinstance(found, TrackerIssue) and found.resolved and found.issue_type == "bug"
    assert found.url == "https://acme.atlassian.net/browse/ENG-1423" and "Pool exhaustion" in found.description
    page = {"results": [{"content": {"id": "99", "title": "Known issue: 500s"}, "title": "Known issue: 500s",
                         "excerpt": "Retry with backoff", "url": "https://acme.atlassian.net/wiki/x/99"}]}  # fmt: skip
    [article] = parse("atlassian", "search_articles", page)
    assert isinstance(article, Article) and article.article_type == "known_issue" and article.source == "confluence"


def test_notion_hits_in_both_shapes() -> None:
    hosted = {
        "results": [{"id": "p1", "title": "Export limits", "url": "https://notion.so/p1", "highlight": "10k rows"}]
    }
    rest = {"results": [{"id": "p2", "url": "https://notion.so/p2", "last_edited_time": "2026-11-01T00:00:00Z",
                         "properties": {"Name": {"type": "title", "title": [{"plain_text": "SSO how-to"}]}}}]}  # fmt: skip
    assert [a.title for a in parse("notion", "search_articles", hosted)] == ["Export limits"]
    assert [a.title for a in parse("notion", "search_articles", rest)] == ["SSO how-to"]


def test_unmappable_items_are_skipped_not_fatal() -> None:
    assert parse("intercom", "search_tickets", {"conversations": [{"no": "id"}, "text", None]}) == []
    assert parse("guru", "search_articles", "plain text, not JSON") == []


@pytest.mark.parametrize(
    ("name", "write"),
    [
        ("slack_send_message", True),
        ("slack_send_message_draft", True),
        ("createJiraIssue", True),
        ("addCommentToJiraIssue", True),
        ("notion-create-pages", True),
        ("manage_crm_objects", True),
        ("create_ticket_comment", True),
        ("conversations_add_message", True),
        ("issue_write", True),
        ("searchJiraIssuesUsingJql", False),
        ("get_ticket_comments", False),
        ("notion-get-comments", False),
        ("slack_read_thread", False),
        ("get_crm_objects", False),
    ],
)
def test_write_tools_are_recognised_by_name(name: str, write: bool) -> None:
    assert is_write_tool(name) is write


def test_annotations_override_a_harmless_name() -> None:
    assert is_write_tool("search", read_only=False) and is_write_tool("lookup", destructive=True)
    assert not is_write_tool("lookup", read_only=True)


def test_helpers() -> None:
    assert namespaced("my.server", "notion-search") == "my_server__notion-search"
    assert len(namespaced("s", "x" * 100)) == 64
    call = Call("search", lambda q: {"query": q.text, "limit": q.limit}, needs=("query",))
    schema = {"type": "object", "properties": {"query": {}, "limit": {}}}
    fixed = {"cloudId": "c"}
    assert build_arguments(call, Query(text="q", limit=1), fixed, schema) == {"query": "q", "limit": 1}
    assert build_arguments(call, Query(text="q"), {}, {"type": "object"}) == {"query": "q", "limit": 20}
    with pytest.raises(ArgumentMismatch, match="takes no 'query' argument"):
        build_arguments(call, Query(text="q"), {}, {"type": "object", "properties": {"limit": {}}})
    required = {"type": "object", "properties": {"query": {}, "cloudId": {}}, "required": ["cloudId"]}
    with pytest.raises(ArgumentMismatch, match="requires 'cloudId'"):
        build_arguments(call, Query(text="q"), {}, required)
    assert build_arguments(call, Query(text="q"), fixed, required) == {"query": "q", "cloudId": "c"}
    text = SimpleNamespace(type="text", text='{"results": [1]}')
    assert outcome_of(SimpleNamespace(content=[text], structured_content=None, is_error=False)).payload == {
        "results": [1]
    }
    wrapped = SimpleNamespace(content=[], structured_content={"result": [1, 2]}, is_error=True)
    assert outcome_of(wrapped).payload == [1, 2] and outcome_of(wrapped).is_error
