"""Confluence Cloud (REST v1 `/wiki/rest/api/search`, the only API with CQL search).

User text reaches CQL only as keywords inside one quoted `text ~` literal (`cql_string`). Labels
(`expand=content.metadata.labels`) tell known issues and their status apart from how-tos.
Pagination follows `_links.next`, only on the configured host.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator

from connectors.http.adapter import HttpAdapter
from connectors.http.client import HttpSource, basic, bearer
from connectors.http.settings import BuildContext, HttpSettings
from connectors.records import Article
from connectors.vendors.confluence import result_article, search_cql
from connectors.vendors.parse import dig

_SPACE = re.compile(r"^[A-Za-z0-9_~-]+$")


class ConfluenceSettings(HttpSettings):
    """`[kb] backend = "confluence"`."""

    backend: Literal["confluence"] = "confluence"
    token_env: str = "CONFLUENCE_API_TOKEN"
    email: str | None = None
    """Atlassian account email for API-token auth; leave out for an OAuth bearer token."""
    spaces: list[str] = Field(default_factory=list)
    """Space keys searched (all visible spaces when empty)."""
    web_url: str | None = None
    """`https://{site}.atlassian.net/wiki`; defaults to `base_url` without `/rest/api`."""

    @field_validator("spaces")
    @classmethod
    def _keys(cls, value: list[str]) -> list[str]:
        bad = [k for k in value if not _SPACE.match(k)]
        if bad:
            raise ValueError(f"not Confluence space keys: {', '.join(bad)}")
        return value


def wiki_root(settings: ConfluenceSettings) -> str:
    """The wiki root that `webui` links are relative to."""
    return (settings.web_url or re.sub(r"/rest/api/?$", "", settings.base_url)).rstrip("/")


class ConfluenceKB(HttpAdapter):
    """`KnowledgeBase` over Confluence pages."""

    name = "confluence"

    def __init__(self, http: HttpSource, settings: ConfluenceSettings) -> None:
        self.http = http
        self.settings = settings
        self.wiki = wiki_root(settings)

    def check(self) -> str:
        """Call the API once; who the credentials belong to."""
        me = self.http.get("/user/current") or {}
        return f"authenticated as {me.get('displayName') or me.get('accountId')}"

    def search_articles(self, query: str, limit: int = 10) -> list[Article]:
        """Pages matching the query's keywords, best first (follows `_links.next`)."""
        cql = search_cql(query, self.settings.spaces)
        if not cql:
            return []
        url = "/search"
        params: dict[str, Any] | None = {
            "cql": cql,
            "limit": min(max(limit, 1), 50),
            "expand": "content.metadata.labels",
        }
        found: list[Mapping[str, Any]] = []
        for _ in range(self.settings.max_pages):
            body = self.http.get(url, params=params) or {}
            found += body.get("results") or []
            next_link = dig(body, "_links", "next")
            if len(found) >= limit or not next_link:
                break
            base = str(dig(body, "_links", "base") or self.wiki)
            url, params = self.http.url(base.rstrip("/") + next_link), None
        return [result_article(r, self.wiki) for r in found[:limit]]


def build(settings: ConfluenceSettings, ctx: BuildContext) -> ConfluenceKB:
    """The configured Confluence connector."""
    token = ctx.secret(settings.token_env)
    auth = basic(settings.email, token) if settings.email else bearer(token)
    return ConfluenceKB(ctx.source(settings, auth), settings)
