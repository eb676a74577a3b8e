"""Linear (GraphQL at `/graphql`): `searchIssues` and `issue(id:)`.

GraphQL failures arrive inside HTTP 200 (or 400) as `errors[]`; `inspect` reads them, including
`extensions.type == "ratelimited"` / `RATELIMITED`, whose wait comes from the
`X-RateLimit-Requests-Reset` header. Personal API keys are sent bare in `Authorization`; OAuth
tokens as `Bearer` (scope `read`, plus `issues:create` for filing). `searchIssues(term:)` ranks by
full text and meaning itself and is limited to about 30 requests a minute; a term of several words
can still miss an issue worded differently, so a search sends the request's three key terms
together and, when they find fewer than three issues, each term alone, ranking the merged hits by
terms matched (`connectors.http.terms`). Linear has no customer filter on `searchIssues`, so a
customer's name is not added as a word. No secondary lookups.

Docs: https://linear.app/developers/graphql · https://linear.app/developers/rate-limiting ·
https://linear.app/developers/pagination · schema: github.com/linear/linear `packages/sdk/src/schema.graphql`
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

import httpx2
from pydantic import Field

from connectors.http.adapter import HttpAdapter
from connectors.http.client import HttpSource, NotFound, VendorError, bearer
from connectors.http.retry import Retryable
from connectors.http.settings import BuildContext, HttpSettings
from connectors.http.terms import search_by_terms
from connectors.records import TrackerIssue
from connectors.vendors.linear import issue_record
from connectors.vendors.parse import dig, key_terms, text

_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9]{0,9}-\d{1,9}|[0-9a-fA-F-]{36})$")
"""An identifier like `ENG-123` or an issue UUID; anything else cannot exist."""
ISSUE_FIELDS = """
    id identifier title url description priorityLabel createdAt completedAt canceledAt
    state { name type } assignee { name displayName } team { key name } labels { nodes { name } }
"""
SEARCH = (
    "query Search($term: String!, $first: Int!, $after: String) {"
    " searchIssues(term: $term, first: $first, after: $after) {"
    f" pageInfo {{ hasNextPage endCursor }} nodes {{ {ISSUE_FIELDS} }} }} }}"
)
ISSUE = f"query Issue($id: String!) {{ issue(id: $id) {{ {ISSUE_FIELDS} }} }}"
VIEWER = "query { viewer { id name } }"


class LinearSettings(HttpSettings):
    """`[tracker] backend = "linear"`."""

    backend: Literal["linear"] = "linear"
    base_url: str = "https://api.linear.app"
    token_env: str = "LINEAR_API_KEY"
    oauth: bool = False
    """True when the token is an OAuth access token (sent as Bearer)."""
    team_id: str | None = None
    """Team UUID (not the key) where `escalate act file-issue` creates issues."""
    label_ids: list[str] = Field(default_factory=list)
    """Label UUIDs added to created issues."""


def inspect(_response: httpx2.Response, body: Any) -> None:
    """GraphQL `errors[]`: rate limits retry, a missing entity is `NotFound`, the rest is final."""
    errors = body.get("errors") if isinstance(body, dict) else None
    if not errors:
        return
    first = errors[0] if isinstance(errors[0], dict) else {}
    kinds = {str(dig(e, "extensions", "type") or dig(e, "extensions", "code") or "").lower() for e in errors}
    message = text(dig(first, "extensions", "userPresentableMessage")) or text(first.get("message")) or "error"
    if "ratelimited" in kinds:
        raise Retryable("rate-limited", rate_limited=True)
    if "authentication error" in kinds:
        raise VendorError(f"authentication failed: {message}")
    if "forbidden" in kinds:
        raise VendorError(f"access denied: {message}")
    if str(first.get("message", "")).lower().startswith("entity not found"):
        raise NotFound(message)
    raise VendorError(f"GraphQL error: {message}")


class LinearTracker(HttpAdapter):
    """`Tracker` over Linear."""

    name = "linear"
    api_version = "GraphQL"
    scopes = ("read", "issues:create (file-issue)")

    def __init__(self, http: HttpSource, settings: LinearSettings) -> None:
        self.http = http
        self.settings = settings

    def graphql(self, query: str, variables: Mapping[str, Any], read: bool = True) -> Any:
        """The `data` of one GraphQL operation (None when an entity is missing)."""
        body = self.http.post("/graphql", {"query": query, "variables": dict(variables)}, read=read, missing_ok=True)
        return (body or {}).get("data")

    def check(self) -> str:
        """Call the API once; who the key belongs to."""
        data = self.graphql(VIEWER, {}) or {}
        return f"authenticated as {dig(data, 'viewer', 'name')}"

    def search_issues(self, query: str, limit: int = 20) -> list[TrackerIssue]:
        """Issues matching the query's key terms, those matching the most first: the terms together,
        and when they find too few, each term alone (following `endCursor`)."""
        terms = key_terms(query, limit=3)
        found = search_by_terms(
            terms,
            lambda words: self._search(" ".join(words), limit),
            lambda n: str(n.get("id")),
            lambda n: f"{n.get('identifier') or ''} {n.get('title') or ''} {n.get('description') or ''}",
            limit,
        )
        return [issue_record(n) for n in found]

    def _search(self, term: str, limit: int) -> list[Mapping[str, Any]]:
        variables: dict[str, Any] = {"term": term, "first": min(max(limit, 1), 50), "after": None}
        found: list[Mapping[str, Any]] = []
        for _ in range(self.settings.max_pages):
            result = dig(self.graphql(SEARCH, variables), "searchIssues") or {}
            found += result.get("nodes") or []
            after = dig(result, "pageInfo", "endCursor")
            if len(found) >= limit or not dig(result, "pageInfo", "hasNextPage") or not after:
                break
            variables = {**variables, "after": after}
        return found[:limit]

    def get_issue(self, key: str) -> TrackerIssue | None:
        """The issue with this identifier (e.g. `ENG-123`) or id, or None."""
        key = key.strip()
        if not _KEY.match(key):
            return None
        raw = dig(self.graphql(ISSUE, {"id": key}), "issue")
        return issue_record(raw) if raw else None


def build(settings: LinearSettings, ctx: BuildContext) -> LinearTracker:
    """The configured Linear connector."""
    token = ctx.secret(settings.token_env)
    auth = bearer(token) if settings.oauth else {"Authorization": token}
    return LinearTracker(ctx.source(settings, auth, inspect=inspect), settings)
