"""Jira Cloud REST v3: issue search over `POST /search/jql` (`nextPageToken`/`isLast`; the old
`/search` answers 410 Gone) and `GET /issue/{key}`.

A `text ~ "..."` clause matches only issues holding every word of its phrase, so a search is one
clause per keyword, OR'd, and the hits are ranked here by how many keywords each matches (Jira's
own order breaks ties). User text reaches JQL only as keywords, each in its own quoted literal
(`jql_string`), and searches are bounded by project and age as Atlassian asks. `/search/jql` is
eventually consistent: an issue created a moment ago may be missing (filing reconciles by marker).

Auth: `Basic email:api_token` against the site when `email` is set; otherwise an OAuth 2.0 (3LO)
bearer token, whose requests go through `https://api.atlassian.com/ex/jira/{cloud_id}/rest/api/3`
(set `cloud_id` and `web_url`, the site, which links keep pointing at). Scopes (OAuth):
`read:jira-work` (search, issues) and `write:jira-work` (filing).

Docs: https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/ ·
https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/ ·
https://developer.atlassian.com/cloud/jira/platform/jql/ (the `text ~` operator) ·
https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from connectors.http import atlassian
from connectors.http.adapter import HttpAdapter
from connectors.http.client import HttpSource, basic, bearer
from connectors.http.settings import BuildContext, HttpSettings
from connectors.records import TrackerIssue
from connectors.vendors.jira import FIELDS, ISSUE_KEY, issue_record, search_jql, search_terms
from connectors.vendors.parse import term_hits

_PROJECT = re.compile(r"^[A-Z][A-Z0-9_]+$")


class JiraSettings(HttpSettings):
    """`[tracker] backend = "jira"`."""

    backend: Literal["jira"] = "jira"
    token_env: str = "JIRA_API_TOKEN"
    email: str | None = None
    """Atlassian account email for API-token auth; leave out for an OAuth bearer token."""
    cloud_id: str | None = None
    """The site's cloud id, for OAuth (3LO): requests then go through `api.atlassian.com/ex/jira/...`."""
    projects: list[str] = Field(default_factory=list)
    """Project keys searched (all visible projects when empty)."""
    search_days: int = 365
    """Only issues updated within this many days are searched."""
    web_url: str | None = None
    """Site root for `/browse/KEY` links; defaults to `base_url` without `/rest/api/3` (required
    with `cloud_id`, since the OAuth gateway is not where people open issues)."""
    project_key: str | None = None
    """Where `escalate act file-issue` creates issues."""
    issue_type: str = "Bug"
    priority_names: dict[str, str] = Field(default_factory=dict)
    """Brief priority to Jira priority name, e.g. `{P1 = "Highest"}`; unset means no priority."""

    @model_validator(mode="before")
    @classmethod
    def _oauth_base(cls, data: Any) -> Any:
        return atlassian.fill_oauth_base(data, "jira", "/rest/api/3")

    @field_validator("projects")
    @classmethod
    def _keys(cls, value: list[str]) -> list[str]:
        bad = [k for k in value if not _PROJECT.match(k)]
        if bad:
            raise ValueError(f"not Jira project keys: {', '.join(bad)}")
        return value

    @field_validator("project_key")
    @classmethod
    def _key(cls, value: str | None) -> str | None:
        if value is not None and not _PROJECT.match(value):
            raise ValueError(f"{value!r} is not a Jira project key")
        return value


def site_root(settings: JiraSettings) -> str:
    """`https://{site}.atlassian.net`."""
    return (settings.web_url or re.sub(r"/rest/api/\d+/?$", "", settings.base_url)).rstrip("/")


class JiraTracker(HttpAdapter):
    """`Tracker` over Jira Cloud."""

    name = "jira"
    api_version = "REST v3"
    scopes = ("read:jira-work", "write:jira-work (file-issue)")

    def __init__(self, http: HttpSource, settings: JiraSettings) -> None:
        self.http = http
        self.settings = settings
        self.site = site_root(settings)

    def check(self) -> str:
        """Call the API once; who the credentials belong to."""
        me = self.http.get("/myself") or {}
        return f"authenticated as {me.get('displayName') or me.get('accountId')}"

    def search(self, jql: str, limit: int) -> list[TrackerIssue]:
        """Issues matching raw JQL (callers build it with `jql_string`), following `nextPageToken`."""
        body: dict[str, Any] = {"jql": jql, "fields": FIELDS, "maxResults": min(max(limit, 1), 100)}
        found: list[Mapping[str, Any]] = []
        for _ in range(self.settings.max_pages):
            page = self.http.post("/search/jql", body) or {}
            found += page.get("issues") or []
            token = page.get("nextPageToken")
            if len(found) >= limit or page.get("isLast", True) or not token:
                break
            body = {**body, "nextPageToken": token}
        return [issue_record(i, self.site) for i in found[:limit]]

    def search_issues(self, query: str, limit: int = 20) -> list[TrackerIssue]:
        """Issues matching any of the query's keywords, those matching the most first."""
        jql = search_jql(query, self.settings.projects, self.settings.search_days)
        if not jql:
            return []
        terms = search_terms(query)
        found = self.search(jql, min(100, max(3 * limit, 25)))  # one page, ranked here
        found.sort(key=lambda i: -term_hits(terms, i.key, i.title, i.description, " ".join(i.labels)))
        return found[:limit]

    def granted_scopes(self) -> tuple[str, ...] | None:
        """With OAuth, the scopes `accessible-resources` lists for this site; API tokens have none."""
        if not self.settings.cloud_id or not atlassian.is_oauth(self.settings.base_url):
            return None
        return atlassian.granted_scopes(self.http.get(atlassian.RESOURCES), self.settings.cloud_id)

    def unreported_scopes(self) -> str:
        """API tokens carry no scopes: the account's own permissions apply."""
        if self.settings.email:
            return "API tokens report no scopes (the account's permissions apply)"
        return super().unreported_scopes()

    def get_issue(self, key: str) -> TrackerIssue | None:
        """The issue with this key, or None."""
        key = key.strip().upper()
        if not ISSUE_KEY.match(key):
            return None
        raw = self.http.get(f"/issue/{key}", params={"fields": ",".join(FIELDS)}, missing_ok=True)
        return issue_record(raw, self.site) if raw and raw.get("key") else None


def auth_headers(settings: JiraSettings, ctx: BuildContext) -> dict[str, str]:
    """Basic with the account email when configured, else Bearer (shared with Confluence)."""
    token = ctx.secret(settings.token_env)
    return basic(settings.email, token) if settings.email else bearer(token)


def build(settings: JiraSettings, ctx: BuildContext) -> JiraTracker:
    """The configured Jira connector."""
    return JiraTracker(ctx.source(settings, auth_headers(settings, ctx)), settings)
