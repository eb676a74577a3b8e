"""Notion API (`/v1`, `Notion-Version: 2026-03-11`): `POST /search` over pages shared with the
integration (an internal integration with the "Read content" capability).

Notion search matches titles only, and a title holds few words: a search sends the request's three
key terms together and, when they find fewer than three pages, each term alone, ranking the merged
pages by terms their titles match (`connectors.http.terms`). The top `content_pages` (3) then have
their text read from `GET /blocks/{id}/children` at the same time, since a title is too little to
judge a known issue by; a body that cannot be read is secondary (the page comes back without it,
with a warning). Notion has no customer filter, so a customer's name is not a search word. Pages in the trash
(`in_trash`, the 2026-03-11 name of `archived`) are left out.

Docs: https://developers.notion.com/reference/post-search ·
https://developers.notion.com/reference/get-block-children ·
https://developers.notion.com/guides/get-started/upgrade-guide-2026-03-11 ·
https://developers.notion.com/reference/request-limits
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from connectors.http.adapter import HttpAdapter
from connectors.http.client import HttpSource, bearer, concurrently
from connectors.http.settings import BuildContext, HttpSettings
from connectors.http.terms import search_by_terms
from connectors.records import Article
from connectors.vendors.notion import blocks_text, page_article, page_title
from connectors.vendors.parse import key_terms

_ID = re.compile(r"^[0-9a-fA-F-]{32,36}$")


class NotionSettings(HttpSettings):
    """`[kb] backend = "notion"`."""

    backend: Literal["notion"] = "notion"
    base_url: str = "https://api.notion.com/v1"
    token_env: str = "NOTION_TOKEN"
    notion_version: str = "2026-03-11"
    content_pages: int = Field(3, ge=0, le=10)
    """How many top results get their text fetched (one request each)."""


class NotionKB(HttpAdapter):
    """`KnowledgeBase` over Notion pages."""

    name = "notion"
    scopes = ("Read content",)

    def __init__(self, http: HttpSource, settings: NotionSettings) -> None:
        self.http = http
        self.settings = settings
        self.api_version = settings.notion_version

    def check(self) -> str:
        """Call the API once; the integration's bot user."""
        me = self.http.get("/users/me") or {}
        return f"authenticated as {me.get('name') or me.get('id')}"

    def search_articles(self, query: str, limit: int = 10) -> list[Article]:
        """Pages whose titles match the query's key terms, those matching the most first, the top
        `content_pages` with their text: the terms together, and when they find too few, each alone."""
        terms = key_terms(query, limit=3)
        found = search_by_terms(
            terms,
            lambda words: self._search(" ".join(words), limit),
            lambda raw: str(raw.get("id")),
            page_title,
            limit,
        )
        head = found[: self.settings.content_pages]
        bodies = concurrently(*(lambda raw=raw: self._body(str(raw["id"])) for raw in head))
        bodies += [""] * (len(found) - len(head))
        return [page_article(raw, body) for raw, body in zip(found, bodies, strict=True)]

    def _search(self, words: str, limit: int) -> list[Mapping[str, Any]]:
        """Pages (not in the trash) of one title search, most recently edited first."""
        body: dict[str, Any] = {
            "query": words,
            "filter": {"property": "object", "value": "page"},
            "sort": {"direction": "descending", "timestamp": "last_edited_time"},
            "page_size": min(max(limit, 1), 100),
        }
        found: list[Mapping[str, Any]] = []
        for _ in range(self.settings.max_pages):
            page = self.http.post("/search", body) or {}
            found += [
                r for r in page.get("results") or () if r.get("object", "page") == "page" and not r.get("in_trash")
            ]
            cursor = page.get("next_cursor")
            if len(found) >= limit or not page.get("has_more") or not cursor:
                break
            body = {**body, "start_cursor": cursor}
        return found[:limit]

    def _body(self, page_id: str) -> str:
        return self.secondary("page body", lambda: self.page_text(page_id), "")

    def page_text(self, page_id: str) -> str:
        """The text of a page's first hundred top-level blocks."""
        if not _ID.match(page_id):
            return ""
        body = self.http.get(f"/blocks/{page_id}/children", params={"page_size": 100}, missing_ok=True)
        return blocks_text((body or {}).get("results"))


def build(settings: NotionSettings, ctx: BuildContext) -> NotionKB:
    """The configured Notion connector."""
    http = ctx.source(
        settings, bearer(ctx.secret(settings.token_env)), extra_headers={"Notion-Version": settings.notion_version}
    )
    return NotionKB(http, settings)
