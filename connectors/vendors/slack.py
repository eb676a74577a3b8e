"""Slack search matches and thread replies as `ChatMessage`s, and search-query building."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from connectors.records import ChatMessage
from connectors.vendors.parse import keywords, text


def posted_at(ts: object) -> datetime:
    """A Slack `ts` ("1712345678.000200") as an aware datetime."""
    try:
        return datetime.fromtimestamp(float(str(ts)), UTC)
    except ValueError:
        return datetime.fromtimestamp(0, UTC)


def search_query(query: str, channels: list[str]) -> str:
    """Slack search syntax from free text: keywords only, plus `in:#channel` restrictions."""
    words = keywords(query, limit=4)
    if not words:
        return ""
    scope = [f"in:#{c.lstrip('#')}" for c in channels if re.match(r"^#?[\w-]+$", c)]
    return " ".join(words + scope)


def match_record(raw: Mapping[str, Any]) -> ChatMessage:
    """A `search.messages` match as a `ChatMessage`."""
    channel = raw.get("channel") or {}
    permalink = text(raw.get("permalink"))
    thread = re.search(r"thread_ts=(\d+\.\d+)", permalink or "")
    return ChatMessage(
        source="slack",
        source_id=f"{channel.get('id')}:{raw.get('ts')}",
        url=permalink,
        channel=text(channel.get("name")) or str(channel.get("id")),
        author=text(raw.get("username")) or text(raw.get("user")) or "unknown",
        posted_at=posted_at(raw.get("ts")),
        text=str(raw.get("text") or ""),
        thread_id=thread.group(1) if thread else None,
    )


def reply_record(raw: Mapping[str, Any], channel_id: str, workspace_url: str) -> ChatMessage:
    """A `conversations.replies` message as a `ChatMessage` (the link is built, Slack sends none)."""
    ts = str(raw.get("ts"))
    link = f"{workspace_url.rstrip('/')}/archives/{channel_id}/p{ts.replace('.', '')}"
    thread_ts = text(raw.get("thread_ts"))
    if thread_ts and thread_ts != ts:
        link += f"?thread_ts={thread_ts}&cid={channel_id}"
    return ChatMessage(
        source="slack",
        source_id=f"{channel_id}:{ts}",
        url=link,
        channel=channel_id,
        author=text(raw.get("user")) or text(raw.get("username")) or text(raw.get("bot_id")) or "unknown",
        posted_at=posted_at(ts),
        text=str(raw.get("text") or ""),
        thread_id=thread_ts,
        reply_count=int(raw.get("reply_count") or 0),
    )
