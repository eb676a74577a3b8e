"""The commented `escalation.toml` that `escalate init` writes: every category on the demo backend,
with each vendor's keys shown (commented out) so switching is an edit, not a lookup."""

from __future__ import annotations

TEMPLATE = """\
# escalation.toml: where `escalate` reads context from, and where `escalate act` writes.
#
# Each category picks one backend: "demo" (the embedded demo company), "none" (not connected),
# a vendor shown below, or "mcp" (an MCP server declared in an [mcp.<name>] table; see the end).
# Secrets never go in this file: `token_env` is the NAME of the environment variable holding the
# token. After editing, run `escalate connectors check` (API version, identity, token scopes and
# rate-limit headroom of each connector). docs/connectors.md has each vendor's setup.
#
# Keys every vendor understands (defaults shown):
#   base_url = "..."            API root; vendors with one public host have a default
#   token_env = "..."           environment variable holding the token
#   timeout_seconds = 20.0
#   max_pages = 5               pagination is followed at most this many pages per call
#   max_attempts = 4            attempts per read request (writes are never retried blindly)
#   max_wait_seconds = 30.0     rate-limit waiting one source may spend in a run, then it is
#                               reported as degraded instead of blocking the brief

[support]
backend = "demo"
# backend = "zendesk"
# base_url = "https://YOUR-SUBDOMAIN.zendesk.com/api/v2"
# email = "agent@example.com"          # API-token auth; leave out when the token is OAuth
# token_env = "ZENDESK_API_TOKEN"
# include_audits = true                # status/priority changes (needs the `read` scope)
#
# backend = "intercom"
# token_env = "INTERCOM_ACCESS_TOKEN"
# base_url = "https://api.intercom.io"   # EU: https://api.eu.intercom.io, AU: https://api.au.intercom.io
# workspace_id = "abc123"              # for inbox links; looked up when left out

[crm]
backend = "demo"
# backend = "hubspot"
# token_env = "HUBSPOT_ACCESS_TOKEN"   # private-app token: crm.objects.companies/deals/contacts/owners.read
# api_version = "2026-09"              # date version in every path (/crm/objects/2026-09/...)
# arr_property = "arr"                 # internal name of your ARR company property
# plan_property = "plan"               # optional: plan/tier property
# renewal_property = "renewal_date"    # optional: renewal date property
#
# backend = "salesforce"
# base_url = "https://YOUR-DOMAIN.my.salesforce.com/services/data/v67.0"
# token_env = "SALESFORCE_ACCESS_TOKEN"  # an OAuth access token (e.g. from the JWT bearer flow)
# arr_field = "ARR__c"
# plan_field = "Plan__c"
# renewal_field = "Renewal_Date__c"

[chat]
backend = "demo"
# backend = "slack"
# token_env = "SLACK_USER_TOKEN"       # xoxp- user token: search:read, channels:history, groups:history
# bot_token_env = "SLACK_BOT_TOKEN"    # xoxb- bot token: chat:write, channels:history (for act)
#                                      # a commercially distributed app not approved for the Marketplace
#                                      # reads history 15 messages a call, one call a minute; an
#                                      # internal (single-workspace) app is not limited
# channels = ["support", "eng-backend"]  # optional: only search these channels
# post_channel = "C0123456789"         # channel ID where `escalate act post-chat` posts

[tracker]
backend = "demo"
# backend = "jira"
# base_url = "https://YOUR-SITE.atlassian.net/rest/api/3"   # API token: the site URL
# email = "you@example.com"
# token_env = "JIRA_API_TOKEN"
#   or OAuth 2.0 (3LO): no base_url and no email; requests go through
#   https://api.atlassian.com/ex/jira/CLOUD-ID/rest/api/3, links still point at the site
# cloud_id = "00000000-0000-0000-0000-000000000000"
# web_url = "https://YOUR-SITE.atlassian.net"
# projects = ["ENG"]                   # searched projects (all visible when empty)
# project_key = "ENG"                  # where `escalate act file-issue` files
# issue_type = "Bug"
# priority_names = { P1 = "Highest", P2 = "High", P3 = "Medium", P4 = "Low" }
#
# backend = "linear"
# token_env = "LINEAR_API_KEY"         # personal API key (set oauth = true for an OAuth token)
# team_id = "00000000-0000-0000-0000-000000000000"   # team UUID for `escalate act file-issue`

[kb]
backend = "demo"
# backend = "confluence"
# base_url = "https://YOUR-SITE.atlassian.net/wiki/rest/api"   # API token: the site URL
# email = "you@example.com"
# token_env = "CONFLUENCE_API_TOKEN"
#   or OAuth 2.0 (3LO): cloud_id plus web_url = "https://YOUR-SITE.atlassian.net/wiki"
# body_pages = 2                       # best-ranked pages whose body is read
# spaces = ["KB", "SUP"]               # searched spaces (all visible when empty)
#
# backend = "notion"
# token_env = "NOTION_TOKEN"           # internal integration secret; share the KB pages with it
#
# MCP servers (streamable HTTP or stdio). A category reads through one with backend = "mcp":
#
# [mcp.atlassian]
# url = "https://mcp.atlassian.com/v2/mcp?tools=all"   # ?tools=all: v2 lists only primary tools otherwise
# headers = { Authorization = "Bearer ${ATLASSIAN_MCP_TOKEN}" }   # secrets only as ${ENV_VAR}
# arguments = { cloudId = "00000000-0000-0000-0000-000000000000" }
#
# [tracker]
# backend = "mcp"
# server = "atlassian"                 # the preset defaults to the server's name
"""
