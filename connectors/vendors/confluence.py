"""Confluence search results as `Article`s, and CQL building (user text only inside quoted literals)."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from connectors.records import Article
from connectors.vendors.parse import article_kind, dig, keywords, text, text_of_html, when

_HIGHLIGHT = re.compile(r"@@@(end)?hl@@@")


def cql_string(value: str) -> str:
    """`value` as a double-quoted CQL string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def search_cql(query: str, spaces: list[str]) -> str | None:
    """CQL for a free-text page search: one `text ~` clause per keyword, OR'd (one clause matches
    only pages holding every word of its phrase); the caller ranks by words matched."""
    words = keywords(query, limit=6)
    if not words:
        return None
    clauses = ["type = page", f"({' OR '.join(f'text ~ {cql_string(w)}' for w in words)})"]
    if spaces:
        clauses.append(f"space in ({', '.join(cql_string(s) for s in spaces)})")
    return " AND ".join(clauses)


def _clean(value: Any) -> str:
    return html.unescape(_HIGHLIGHT.sub("", str(value or ""))).strip()


def result_article(raw: Mapping[str, Any], wiki: str) -> Article:
    """A search result (with `content`) as an `Article`."""
    content = raw.get("content") or {}
    labels = [str(x.get("name")) for x in dig(content, "metadata", "labels", "results") or () if x.get("name")]
    title = _clean(raw.get("title") or content.get("title")) or f"page {content.get('id')}"
    kind, status = article_kind(labels, title)
    webui = raw.get("url") or dig(content, "_links", "webui") or ""
    return Article(
        source="confluence",
        source_id=str(content.get("id") or raw.get("url")),
        url=f"{wiki}{webui}" if str(webui).startswith("/") else text(webui),
        title=title,
        article_type=kind,
        status=status,
        body=_clean(raw.get("excerpt")),
        updated_at=when(raw.get("lastModified")),
        tags=tuple(labels),
    )


def page_body(raw: Mapping[str, Any]) -> str:
    """The plain text of a v2 page (`body-format=storage`)."""
    return text_of_html(dig(raw, "body", "storage", "value"))
