"""Intercom conversations as tickets and comments, and the conversation-search body."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from connectors.records import Comment, Ticket
from connectors.vendors.parse import EPOCH, dig, text, text_of_html, tracker_keys_in, when

_STATES = {"open": "open", "snoozed": "pending", "closed": "closed"}


def conversation_url(web_url: str, workspace_id: str, conversation_id: object) -> str:
    """The inbox link of a conversation."""
    return f"{web_url.rstrip('/')}/a/inbox/{workspace_id}/inbox/conversation/{conversation_id}"


def conversation_ticket(raw: Mapping[str, Any], url: str | None, account: str | None = None) -> Ticket:
    """An Intercom conversation as a `Ticket`; its tracker keys are those its messages mention
    (every part, when the conversation was retrieved whole)."""
    source = raw.get("source") or {}
    body = text_of_html(source.get("body"))
    subject = text(raw.get("title")) or text(text_of_html(source.get("subject"))) or (body[:80] or "(no subject)")
    author = source.get("author") or {}
    return Ticket(
        source="intercom",
        source_id=str(raw["id"]),
        url=url,
        subject=subject,
        description=body,
        status=_STATES.get(str(raw.get("state")), "open"),
        priority="high" if raw.get("priority") == "priority" else None,
        requester=text(author.get("name")) or text(author.get("email")),
        account=account,
        created_at=when(raw.get("created_at")) or EPOCH,
        updated_at=when(raw.get("updated_at")),
        tags=tuple(str(t.get("name")) for t in dig(raw, "tags", "tags") or () if isinstance(t, dict)),
        tracker_keys=tracker_keys_in(
            subject,
            body,
            *(text_of_html(p.get("body")) for p in dig(raw, "conversation_parts", "conversation_parts") or ()),
        ),
    )


def _role(author_type: object, public: bool) -> Literal["customer", "agent", "internal", "system"]:
    if author_type in ("user", "lead", "contact"):
        return "customer"
    if author_type == "admin":
        return "agent" if public else "internal"
    return "system"


def conversation_comments(raw: Mapping[str, Any], url: str | None) -> list[Comment]:
    """The opening message and every part with a body, oldest first."""
    conv_id = str(raw["id"])
    source = raw.get("source") or {}
    out = [
        Comment(
            source="intercom",
            source_id=f"{conv_id}-source",
            url=url,
            ticket_id=conv_id,
            author=text(dig(source, "author", "name")) or text(dig(source, "author", "email")) or "customer",
            author_role=_role(dig(source, "author", "type"), True),
            created_at=when(raw.get("created_at")) or EPOCH,
            body=text_of_html(source.get("body")),
        )
    ]
    for part in dig(raw, "conversation_parts", "conversation_parts") or ():
        body = text_of_html(part.get("body"))
        if not body:
            continue
        public = part.get("part_type") != "note"
        author = part.get("author") or {}
        out.append(
            Comment(
                source="intercom",
                source_id=str(part.get("id")),
                url=url,
                ticket_id=conv_id,
                author=text(author.get("name")) or text(author.get("email")) or str(author.get("type")),
                author_role=_role(author.get("type"), public),
                public=public,
                created_at=when(part.get("created_at")) or EPOCH,
                body=body,
            )
        )
    return sorted(out, key=lambda c: c.created_at)


def search_body(words: list[str], contact_ids: list[str], since: datetime | None, per_page: int) -> dict[str, Any]:
    """The `/conversations/search` body: (any word in subject or body) AND contacts AND time."""
    filters: list[dict[str, Any]] = []
    if words:
        filters.append(
            {
                "operator": "OR",
                "value": [
                    {"field": field, "operator": "~", "value": word}
                    for word in words
                    for field in ("source.subject", "source.body")
                ],
            }
        )
    if contact_ids:
        filters.append({"field": "contact_ids", "operator": "IN", "value": contact_ids})
    # `>` is strict and timestamps are whole seconds: one second earlier makes it "at or after".
    filters.append({"field": "created_at", "operator": ">", "value": int(since.timestamp()) - 1 if since else 0})
    query = filters[0] if len(filters) == 1 else {"operator": "AND", "value": filters}
    return {"query": query, "pagination": {"per_page": min(max(per_page, 1), 150)}}
