"""Notion pages and blocks as `Article`s."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connectors.records import Article
from connectors.vendors.parse import article_kind, dig, text, when

_TEXT_BLOCKS = (
    "paragraph", "heading_1", "heading_2", "heading_3", "bulleted_list_item", "numbered_list_item",
    "to_do", "quote", "callout", "code", "toggle",
)  # fmt: skip


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
