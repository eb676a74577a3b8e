"""Confluence Cloud: CQL search over REST v1 (`/wiki/rest/api/search`, the only API with CQL) and
page bodies over REST v2 (`/wiki/api/v2/pages/{id}?body-format=storage`).

A `text ~ "..."` clause matches only pages holding every word of its phrase, so a search is one
clause per keyword, OR'd, ranked here by how many keywords each page's title and excerpt match;
the top pages' bodies are then read (a ~280-character excerpt is too little to judge a known
issue by). A body that cannot be read is secondary: the page keeps its excerpt, with a warning.
User text reaches CQL only as keywords, each in its own quoted literal (`cql_string`). Labels
(`expand=content.metadata.labels`) tell known issues and their status apart from how-tos.
Pagination follows `_links.next`, only on the configured host.

Auth: `Basic email:api_token` against the site, or an OAuth 2.0 (3LO) bearer token through
`https://api.atlassian.com/ex/confluence/{cloud_id}/wiki/rest/api` (set `cloud_id` and `web_url`,
the site's `/wiki`, which links keep pointing at). Scopes (OAuth): `search:confluence`,
`read:page:confluence` (v2 bodies), `read:confluence-content.summary`.

Docs: https://developer.atlassian.com/cloud/confluence/rest/v1/api-group-search/ ·
https://developer.atlassian.com/cloud/confluence/advanced-searching-using-cql/ ·
https://developer.atlassian.com/cloud/confluence/rest/v2/api-group-page/#api-pages-id-get ·
https://developer.atlassian.com/cloud/confluence/rate-limiting/
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from connectors.http import atlassian
from connectors.http.adapter import HttpAdapter
from connectors.http.client import HttpSource, basic, bearer, concurrently
from connectors.http.settings import BuildContext, HttpSettings
from connectors.records import Article
from connectors.vendors.confluence import page_body, result_article, search_cql
from connectors.vendors.parse import dig, keywords, term_hits

_SPACE = re.compile(r"^[A-Za-z0-9_~-]+$")
_PAGE_ID = re.compile(r"^\d{1,20}$")


class ConfluenceSettings(HttpSettings):
    """`[kb] backend = "confluence"`."""

    backend: Literal["confluence"] = "confluence"
    token_env: str = "CONFLUENCE_API_TOKEN"
    email: str | None = None
    """Atlassian account email for API-token auth; leave out for an OAuth bearer token."""
    cloud_id: str | None = None
    """The site's cloud id, for OAuth (3LO): requests then go through `api.atlassian.com/ex/confluence/...`."""
    spaces: list[str] = Field(default_factory=list)
    """Space keys searched (all visible spaces when empty)."""
    web_url: str | None = None
    """`https://{site}.atlassian.net/wiki`; defaults to `base_url` without `/rest/api` (required with
    `cloud_id`)."""
    body_pages: int = Field(2, ge=0, le=10)
    """How many of the best-ranked pages get their body read (one request each)."""

    @model_validator(mode="before")
    @classmethod
    def _oauth_base(cls, data: Any) -> Any:
        return atlassian.fill_oauth_base(data, "confluence", "/wiki/rest/api")

    @field_validator("spaces")
    @classmethod
    def _keys(cls, value: list[str]) -> list[str]:
        bad = [k for k in value if not _SPACE.match(k)]
        if bad:
            raise ValueError(f"not Confluence space keys: {', '.join(bad)}")
        return value


def api_wiki_root(settings: ConfluenceSettings) -> str:
    """Where requests go: `base_url` without `/rest/api` (the site's `/wiki`, or the OAuth gateway's)."""
    return re.sub(r"/rest/api/?$", "", settings.base_url).rstrip("/")


def wiki_root(settings: ConfluenceSettings) -> str:
    """The wiki root that `webui` links are relative to (always the site)."""
    return (settings.web_url or api_wiki_root(settings)).rstrip("/")


class ConfluenceKB(HttpAdapter):
    """`KnowledgeBase` over Confluence pages."""

    name = "confluence"
    api_version = "REST v1 + v2"
    scopes = ("search:confluence", "read:page:confluence", "read:confluence-content.summary")

    def __init__(self, http: HttpSource, settings: ConfluenceSettings) -> None:
        self.http = http
        self.settings = settings
        self.wiki = wiki_root(settings)
        self.api_wiki = api_wiki_root(settings)

    def check(self) -> str:
        """Call the API once; who the credentials belong to."""
        me = self.http.get("/user/current") or {}
        return f"authenticated as {me.get('displayName') or me.get('accountId')}"

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

    def search_articles(self, query: str, limit: int = 10) -> list[Article]:
        """Pages matching any of the query's keywords, those matching the most first, the top ones
        with their body (follows `_links.next`)."""
        cql = search_cql(query, self.settings.spaces)
        if not cql:
            return []
        terms = keywords(query, limit=6)
        wanted = min(50, max(3 * limit, 10))  # one page, ranked here
        url = "/search"
        params: dict[str, Any] | None = {"cql": cql, "limit": wanted, "expand": "content.metadata.labels"}
        found: list[Mapping[str, Any]] = []
        for _ in range(self.settings.max_pages):
            body = self.http.get(url, params=params) or {}
            found += body.get("results") or []
            next_link = dig(body, "_links", "next")
            if len(found) >= wanted or not next_link:
                break
            # `_links.base` is the site; with OAuth the next page must still go through the gateway.
            link = str(next_link)
            url, params = self.http.url(link if link.startswith("http") else self.api_wiki + link), None
        articles = [result_article(r, self.wiki) for r in found]
        articles.sort(key=lambda a: -term_hits(terms, a.title, a.body, " ".join(a.tags)))
        return self._with_bodies(articles[:limit])

    def _with_bodies(self, articles: list[Article]) -> list[Article]:
        """The articles, the first `body_pages` of them with their page body instead of the excerpt."""
        head = articles[: self.settings.body_pages]
        bodies = concurrently(*(lambda a=a: self._body(a.source_id) for a in head))
        read = [a.model_copy(update={"body": body}) if body else a for a, body in zip(head, bodies, strict=True)]
        return read + articles[len(head) :]

    def _body(self, page_id: str) -> str:
        return self.secondary("page body", lambda: self.page_text(page_id), "")

    def page_text(self, page_id: str) -> str:
        """The plain text of a page's body (REST v2, storage format), cut to 4,000 characters."""
        if not _PAGE_ID.match(page_id):
            return ""
        raw = self.http.get(
            f"{self.api_wiki}/api/v2/pages/{page_id}", params={"body-format": "storage"}, missing_ok=True
        )
        return page_body(raw or {})[:4000]


def build(settings: ConfluenceSettings, ctx: BuildContext) -> ConfluenceKB:
    """The configured Confluence connector."""
    token = ctx.secret(settings.token_env)
    auth = basic(settings.email, token) if settings.email else bearer(token)
    return ConfluenceKB(ctx.source(settings, auth), settings)
