"""Atlassian Document Format: plain text out of it (descriptions we read) and a small markdown
subset into it (the brief we file). Jira Cloud v3 rejects plain strings in rich-text fields, and
ADF rejects empty text nodes, so the writer never emits one."""

from __future__ import annotations

import re
from typing import Any

_BLOCKS = {"paragraph", "heading", "codeBlock", "blockquote", "rule", "panel", "table", "tableRow"}
_INLINE = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)|\*\*([^*]+)\*\*|`([^`]+)`")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_ORDERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")


def adf_to_text(node: Any) -> str:
    """The readable text of an ADF document or node (lists as `- ` lines)."""
    if isinstance(node, str):
        return node
    if not isinstance(node, dict):
        return ""
    kind = node.get("type")
    if kind == "text":
        return str(node.get("text") or "")
    if kind == "hardBreak":
        return "\n"
    if kind in ("mention", "emoji", "status", "date"):
        return str((node.get("attrs") or {}).get("text") or "")
    if kind in ("inlineCard", "blockCard"):
        return str((node.get("attrs") or {}).get("url") or "")
    children = node.get("content") or []
    if kind in ("bulletList", "orderedList"):
        return "\n".join("- " + adf_to_text(item).strip() for item in children) + "\n"
    inner = "".join(adf_to_text(child) for child in children)
    if kind in _BLOCKS:
        return inner.strip("\n") + "\n"
    if kind == "doc":
        return re.sub(r"\n{3,}", "\n\n", inner).strip()
    return inner


def inline(text: str) -> list[dict[str, Any]]:
    """Text nodes for one line: links, `**bold**` and `` `code` `` become marks."""
    nodes: list[dict[str, Any]] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            nodes.append({"type": "text", "text": text[position : match.start()]})
        label, href, bold, code = match.groups()
        if label:
            nodes.append({"type": "text", "text": label, "marks": [{"type": "link", "attrs": {"href": href}}]})
        elif bold:
            nodes.append({"type": "text", "text": bold, "marks": [{"type": "strong"}]})
        elif code:
            nodes.append({"type": "text", "text": code, "marks": [{"type": "code"}]})
        position = match.end()
    if position < len(text):
        nodes.append({"type": "text", "text": text[position:]})
    return [n for n in nodes if n["text"]]


def _paragraph(lines: list[str]) -> dict[str, Any] | None:
    content: list[dict[str, Any]] = []
    for index, line in enumerate(lines):
        if index:
            content.append({"type": "hardBreak"})
        content += inline(line.strip())
    return {"type": "paragraph", "content": content} if any(n["type"] == "text" for n in content) else None


def markdown_to_adf(markdown: str) -> dict[str, Any]:
    """An ADF document from markdown headings, paragraphs, lists, code fences and rules."""
    blocks: list[dict[str, Any]] = []
    paragraph: list[str] = []
    items: list[tuple[str, str]] = []
    code: list[str] | None = None

    def flush() -> None:
        block = _paragraph(paragraph)
        if block:
            blocks.append(block)
        paragraph.clear()
        if items:
            kind = items[0][0]
            entries = [{"type": "listItem", "content": [p]} for _, t in items if (p := _paragraph([t]))]
            if entries:
                blocks.append({"type": kind, "content": entries})
            items.clear()

    for line in markdown.splitlines():
        if code is not None:
            if line.strip().startswith("```"):
                blocks.append({"type": "codeBlock", "content": [{"type": "text", "text": "\n".join(code) or " "}]})
                code = None
            else:
                code.append(line)
            continue
        stripped = line.strip()
        heading, bullet = _HEADING.match(stripped), _BULLET.match(line)
        listed = bullet or _ORDERED.match(line)
        if stripped.startswith("```"):
            flush()
            code = []
        elif not stripped:
            flush()
        elif stripped in ("---", "***", "___"):
            flush()
            blocks.append({"type": "rule"})
        elif heading:
            flush()
            content = inline(heading.group(2).strip())
            if content:
                blocks.append({"type": "heading", "attrs": {"level": len(heading.group(1))}, "content": content})
        elif listed:
            kind = "bulletList" if bullet else "orderedList"
            if paragraph or (items and items[0][0] != kind):
                flush()
            items.append((kind, listed.group(1)))
        else:
            if items:
                flush()
            paragraph.append(stripped)
    if code is not None:
        blocks.append({"type": "codeBlock", "content": [{"type": "text", "text": "\n".join(code) or " "}]})
    flush()
    if not blocks:
        blocks.append({"type": "paragraph", "content": [{"type": "text", "text": " "}]})
    return {"type": "doc", "version": 1, "content": blocks}
