"""`tools/list` answers of the hosted MCP servers the presets cover, as the presets' argument
building sees them (name and input schema of each read tool).

Written down from each vendor's published tool documentation (tool names, argument names, which
are required), not captured from a live server: this suite runs without network. When a capture
is available, paste its `tools` array here in place of the hand-written one. Where a vendor
publishes its tools' parameters in a public repository, the entries follow it:

- Intercom: github.com/intercom/claude-plugin-external, `skills/intercom-insights/references/mcp-tools.md`
  (`search_conversations`, `get_conversation`, `search_contacts`, `get_contact`, `search`, `fetch`)
- Atlassian v2: github.com/atlassian/atlassian-mcp-server, `skills/v2/search-company-knowledge/SKILL.md`
  (`searchConfluence(cloudId, cql)`, `getConfluenceContent(cloudId, content_id, content_format)`,
  `getJiraIssue(cloudId, issueIdOrKey)`, `search(cloudId, query)`)

- Atlassian Rovo v2, https://mcp.atlassian.com/v2/mcp?tools=all (every tool needs `cloudId`)
- Intercom, https://mcp.intercom.com/mcp
- HubSpot, https://mcp.hubspot.com/anthropic
- Slack, https://mcp.slack.com/mcp
- Notion, https://mcp.notion.com/mcp
"""

from __future__ import annotations

from typing import Any


def _tool(name: str, required: tuple[str, ...] = (), **properties: str) -> dict[str, Any]:
    return {
        "name": name,
        "description": name,
        "inputSchema": {
            "type": "object",
            "properties": {key: {"type": kind} for key, kind in properties.items()},
            "required": list(required),
        },
        "annotations": {"readOnlyHint": True},
    }


TOOLS: dict[str, list[dict[str, Any]]] = {
    "atlassian": [
        _tool("searchJiraIssuesUsingJql", ("cloudId", "jql"), cloudId="string", jql="string", fields="array",
              maxResults="integer", nextPageToken="string"),
        _tool("getJiraIssue", ("cloudId", "issueIdOrKey"), cloudId="string", issueIdOrKey="string", fields="array"),
        _tool("searchConfluence", ("cloudId", "cql"), cloudId="string", cql="string", limit="integer", cursor="string"),
        _tool("getConfluenceContent", ("cloudId", "content_id"), cloudId="string", content_id="string",
              content_format="string"),
        _tool("listJiraProjects", ("cloudId",), cloudId="string", searchString="string", maxResults="integer"),
        _tool("listJiraProjectIssueTypesMetadata", ("cloudId", "projectIdOrKey"), cloudId="string",
              projectIdOrKey="string"),
        _tool("search", ("cloudId", "query"), cloudId="string", query="string"),
        _tool("fetch", ("cloudId", "id"), cloudId="string", id="string"),
    ],
    "intercom": [
        _tool("search_conversations", ("query",), query="object", per_page="number", starting_after="string"),
        _tool("get_conversation", ("id",), id="string"),
        _tool("search_contacts", ("query",), query="object", per_page="number", starting_after="string"),
        _tool("get_contact", ("id",), id="string"),
        _tool("search", ("query", "object_type"), query="string", object_type="string", per_page="number",
              starting_after="string"),
        _tool("fetch", ("id",), id="string"),
    ],
    "hubspot": [
        _tool("search_crm_objects", ("objectType",), objectType="string", query="string", filterGroups="array",
              properties="array", limit="integer", after="string"),
        _tool("get_crm_objects", ("objectType", "objectIds"), objectType="string", objectIds="array",
              properties="array"),
        _tool("search_properties", ("objectType",), objectType="string", keywords="array"),
        _tool("search_owners", (), searchQuery="string", limit="integer"),
    ],
    "slack": [
        _tool("slack_search_public", ("query",), query="string", sort="string", limit="integer", cursor="string"),
        _tool("slack_search_channels", ("query",), query="string", limit="integer"),
        _tool("slack_read_channel", ("channel_id",), channel_id="string", limit="integer", oldest="string"),
        _tool("slack_read_thread", ("channel_id", "message_ts"), channel_id="string", message_ts="string"),
        _tool("slack_read_user_profile", ("user_id",), user_id="string"),
    ],
    "notion": [
        _tool("notion-search", ("query",), query="string", query_type="string", page_size="integer"),
        _tool("notion-fetch", ("id",), id="string"),
        _tool("notion-get-users", (), query="string"),
    ],
}  # fmt: skip
"""Tools by preset name."""

FIXED_ARGUMENTS: dict[str, dict[str, Any]] = {"atlassian": {"cloudId": "00000000-0000-0000-0000-000000000000"}}
"""What `[mcp.<name>] arguments` would hold for each server."""
