"""Notion (`/v1`, `Notion-Version` pinned): `POST /search` over pages shared with the integration.

Notion search matches titles only, so the query is cut to a few keywords and the first few hits'
text is read from `GET /blocks/{id}/children` to give the brief something to quote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field

from connectors.http.adapter import HttpAdapter
from connectors.http.client import HttpSource, bearer
from connectors.http.parse import article_kind, dig, keywords, text, when
from connectors.records import Article
from connectors.settings import BuildContext, HttpSettings

_ID = re.compile(r"^[0-9a-fA-F-]{32,36}$")
_TEXT_BLOCKS = (
    "paragraph", "heading_1", "heading_2", "heading_3", "bulleted_list_item", "numbered_list_item",
    "to_do", "quote", "callout", "code", "toggle",
)  # fmt: skip


class NotionSettings(HttpSettings):
    """`[kb] backend = "notion"`."""

    backend: Literal["notion"] = "notion"
    base_url: str = "https://api.notion.com/v1"
    token_env: str = "NOTION_TOKEN"
    notion_version: str = "2025-09-03"
    content_pages: int = Field(3, ge=0, le=10)
    """How many top results get their text fetched (one request each)."""


def plain(rich_text: Any) -> str:
    """The plain text of a rich-text array."""
    return "".join(str(part.get("plain_text") or "") for part in rich_text or () if isinstance(part, dict))


def page_title(raw: Mapping[str, Any]) -> str:
    """The title property of a page (whatever the property is called)."""
    for prop in (raw.get("properties") or {}).values():
        if isinstance(prop, dict) and prop.get("type") == "title":
            return plain(prop.get("title")).strip()
    return ""


def page_tags(raw: Mapping[str, Any]) -> list[str]:
    """Names from every select and multi-select property (tags, type, status)."""
    tags: list[str] = []
    for prop in (raw.get("properties") or {}).values():
        if not isinstance(prop, dict):
            continue
        if prop.get("type") == "multi_select":
            tags += [str(o.get("name")) for o in prop.get("multi_select") or () if o.get("name")]
        elif prop.get("type") in ("select", "status") and isinstance(prop.get(prop["type"]), dict):
            name = prop[prop["type"]].get("name")
            if name:
                tags.append(str(name))
    return tags


def blocks_text(blocks: Any) -> str:
    """Readable text of a page's top-level blocks."""
    lines = []
    for block in blocks or ():
        kind = block.get("type") if isinstance(block, dict) else None
        if kind in _TEXT_BLOCKS:
            line = plain(dig(block, kind, "rich_text"))
            if line.strip():
                lines.append(("- " if kind.endswith("list_item") else "") + line.strip())
    return "\n".join(lines)


def page_article(raw: Mapping[str, Any], body: str = "") -> Article:
    """A Notion page as an `Article`."""
    title = page_title(raw) or "(untitled)"
    tags = page_tags(raw)
    kind, status = article_kind(tags, title)
    return Article(
        source="notion",
        source_id=str(raw["id"]),
        url=text(raw.get("url")),
        title=title,
        article_type=kind,
        status=status,
        body=body[:4000],
        updated_at=when(raw.get("last_edited_time")),
        tags=tuple(tags),
    )


class NotionKB(HttpAdapter):
    """`KnowledgeBase` over Notion pages."""

    name = "notion"

    def __init__(self, http: HttpSource, settings: NotionSettings) -> None:
        self.http = http
        self.settings = settings

    def check(self) -> str:
        """Call the API once; the integration's bot user."""
        me = self.http.get("/users/me") or {}
        return f"authenticated as {me.get('name') or me.get('id')}"

    def search_articles(self, query: str, limit: int = 10) -> list[Article]:
        """Pages whose titles match the query's keywords, most recently edited first."""
        words = keywords(query, limit=3)
        if not words:
            return []
        body: dict[str, Any] = {
            "query": " ".join(words),
            "filter": {"property": "object", "value": "page"},
            "sort": {"direction": "descending", "timestamp": "last_edited_time"},
            "page_size": min(max(limit, 1), 100),
        }
        found: list[Mapping[str, Any]] = []
        for _ in range(self.settings.max_pages):
            page = self.http.post("/search", body) or {}
            found += [r for r in page.get("results") or () if r.get("object", "page") == "page"]
            cursor = page.get("next_cursor")
            if len(found) >= limit or not page.get("has_more") or not cursor:
                break
            body = {**body, "start_cursor": cursor}
        found = found[:limit]
        return [
            page_article(raw, self.page_text(str(raw["id"])) if i < self.settings.content_pages else "")
            for i, raw in enumerate(found)
        ]

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
