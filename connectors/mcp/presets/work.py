"""Chat, tracker and knowledge-base presets: Slack, Atlassian (Jira + Confluence), Notion, Guru.

Official servers first, then the widely used community ones (korotovsky/slack-mcp-server,
sooperset/mcp-atlassian, makenotion/notion-mcp-server). Atlassian's hosted server v2
(`https://mcp.atlassian.com/v2/mcp`, where v1 connections are moved) renamed
`searchConfluenceUsingCql` to `searchConfluence`, `getConfluencePage` to `getConfluenceContent`,
`getVisibleJiraProjects` to `listJiraProjects` and `getJiraProjectIssueTypesMetadata` to
`listJiraProjectIssueTypesMetadata`, and lists only its primary tools unless the URL ends in
`?tools=all`; the preset takes the v2 names first and the v1 names still. Its tools need a
`cloudId`: set it once in the server's `arguments`. Guru does not publish its tool names; the preset
tries the search-like names it is known to use, and `tools`/`preset` in the configuration can override.
"""

from __future__ import annotations

from typing import Any

from connectors.mcp import mapping as m
from connectors.mcp.presets.base import Call, MapContext, Op, Preset, Query
from connectors.records import Record
from connectors.vendors import notion
from connectors.vendors.confluence import search_cql
from connectors.vendors.jira import search_jql
from connectors.vendors.parse import keywords

JIRA_FIELDS = [
    "summary", "status", "issuetype", "priority", "assignee", "labels", "components", "created", "resolutiondate",
    "description", "project",
]  # fmt: skip


def _words(q: Query) -> str:
    return " ".join(keywords(q.text, limit=5))


def _messages(payload: Any, _ctx: MapContext) -> list[Record]:
    found = m.items(payload, "messages", "matches")
    if not found and isinstance(m.pick(payload, "messages.matches"), list):
        found = m.items(payload["messages"], "matches")
    return m.every(m.message, found, "slack")


SLACK = Preset(
    name="slack",
    summary="Slack message search (hosted server https://mcp.slack.com/mcp, or korotovsky/slack-mcp-server)",
    ops={
        "search_messages": Op(
            (
                Call("slack_search_public", lambda q: {"query": _words(q)}, needs=("query",)),
                Call(
                    "conversations_search_messages",
                    lambda q: {"search_query": _words(q), "limit": q.limit},
                    needs=("search_query",),
                ),
            ),
            _messages,
        )
    },
    read_tools=(
        "slack_search_public",
        "slack_search_channels",
        "slack_search_users",
        "slack_read_channel",
        "slack_read_thread",
        "slack_read_user_profile",
        "conversations_history",
        "conversations_replies",
        "conversations_search_messages",
        "channels_list",
        "users_search",
    ),
)


def _issues(payload: Any, ctx: MapContext) -> list[Record]:
    return m.every(m.issue, m.items(payload, "issues"), "jira", ctx.link)


def _pages(payload: Any, ctx: MapContext) -> list[Record]:
    return m.every(m.article, m.items(payload, "results", "pages"), "confluence", ctx.link)


def _jql(q: Query) -> dict[str, Any] | None:
    jql = search_jql(q.text, [], 0)
    return {"jql": jql, "maxResults": q.limit, "fields": JIRA_FIELDS} if jql else None


def _cql(q: Query) -> dict[str, Any] | None:
    cql = search_cql(q.text, [])
    return {"cql": cql, "limit": q.limit} if cql else None


ATLASSIAN = Preset(
    name="atlassian",
    summary="Jira issues and Confluence pages (Rovo server https://mcp.atlassian.com/v2/mcp?tools=all, or sooperset/mcp-atlassian)",
    ops={
        "search_issues": Op(
            (
                Call("searchJiraIssuesUsingJql", _jql, needs=("jql",)),
                Call("jira_search", lambda q: {**(_jql(q) or {}), "limit": q.limit}, needs=("jql",)),
            ),
            _issues,
        ),
        "get_issue": Op(
            (
                Call("getJiraIssue", lambda q: {"issueIdOrKey": q.ident}, needs=("issueIdOrKey",)),
                Call("jira_get_issue", lambda q: {"issue_key": q.ident}, needs=("issue_key",)),
            ),
            _issues,
        ),
        "search_articles": Op(
            (
                Call("searchConfluence", _cql, needs=("cql",)),
                Call("searchConfluenceUsingCql", _cql, needs=("cql",)),
                Call("confluence_search", lambda q: {"query": _words(q), "limit": q.limit}, needs=("query",)),
            ),
            _pages,
        ),
    },
    read_tools=(
        "searchJiraIssuesUsingJql",
        "getJiraIssue",
        "listJiraProjects",
        "listJiraProjectIssueTypesMetadata",
        "searchConfluence",
        "getConfluenceContent",
        "getVisibleJiraProjects",
        "getJiraProjectIssueTypesMetadata",
        "lookupJiraAccountId",
        "searchConfluenceUsingCql",
        "getConfluencePage",
        "getConfluenceSpaces",
        "getAccessibleAtlassianResources",
        "search",
        "fetch",
        "jira_search",
        "jira_get_issue",
        "confluence_search",
        "confluence_get_page",
    ),
)


def _notion(payload: Any, ctx: MapContext) -> list[Record]:
    out: list[Record] = []
    for raw in m.items(payload, "results", "pages"):
        found = m.article(raw, "notion", ctx.link)
        if found is None and "properties" in raw and raw.get("id"):
            found = notion.page_article(raw)  # REST-shaped page: the title is a property
        if found is not None:
            out.append(found)
    return out


NOTION = Preset(
    name="notion",
    summary="Notion pages (hosted server https://mcp.notion.com/mcp, or makenotion/notion-mcp-server)",
    ops={
        "search_articles": Op(
            (
                Call("notion-search", lambda q: {"query": _words(q)}, needs=("query",)),
                Call("API-post-search", lambda q: {"query": _words(q)}, needs=("query",)),
            ),
            _notion,
        )
    },
    read_tools=(
        "notion-search",
        "notion-fetch",
        "notion-get-comments",
        "notion-get-users",
        "API-post-search",
        "API-retrieve-a-page",
        "API-get-block-children",
    ),
)


def _cards(payload: Any, ctx: MapContext) -> list[Record]:
    return m.every(m.article, m.items(payload, "results", "cards", "documents"), "guru", ctx.link)


_GURU_SEARCH = ("guru_search_documents", "search_documents", "search_knowledge", "guru_search", "search")

GURU = Preset(
    name="guru",
    summary="Guru cards (hosted server https://mcp.api.getguru.com/mcp; tool names unverified)",
    ops={"search_articles": Op(tuple(Call(name, lambda q: {"query": _words(q)}) for name in _GURU_SEARCH), _cards)},
    read_tools=(*_GURU_SEARCH, "get_card", "guru_get_card", "list_knowledge_agents"),
)
