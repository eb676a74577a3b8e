"""Forgiving mappers from MCP tool results (loosely shaped JSON) to our records.

MCP servers wrap vendor APIs but rarely document their result shapes, and the shapes drift. So
each mapper tries the field names the known servers use (REST-style objects from Intercom,
Zendesk, HubSpot, Jira; Slack search matches; Notion/Confluence/Guru search hits) and gives up
on an item, never on the whole result, when it has no id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal

from connectors.records import Account, Article, ChatMessage, Comment, Deal, Ticket, TrackerIssue
from connectors.vendors.adf import adf_to_text
from connectors.vendors.parse import EPOCH, article_kind, day, number, text, text_of_html, tracker_keys_in, when

LIST_KEYS = (
    "results", "items", "data", "records", "conversations", "tickets", "issues", "objects", "companies",
    "messages", "matches", "pages", "cards", "documents", "articles", "comments", "conversation_parts", "hits",
)  # fmt: skip
_STATUS = {"snoozed": "pending", "new": "new", "open": "open", "pending": "pending", "hold": "hold",
           "on-hold": "hold", "solved": "solved", "resolved": "solved", "closed": "closed"}  # fmt: skip
_DONE = {"done", "closed", "resolved", "fixed", "complete", "completed", "canceled", "cancelled"}


def items(payload: Any, *keys: str) -> list[dict[str, Any]]:
    """The objects in a payload: a list itself, or the first list under a known key (two levels deep)."""
    if isinstance(payload, list):
        return [x for x in payload if isinstance(x, dict)]
    if not isinstance(payload, dict):
        return []
    for key in (*keys, *LIST_KEYS):
        value = payload.get(key)
        if isinstance(value, list):
            return [x for x in value if isinstance(x, dict)]
        if isinstance(value, dict) and key in keys:
            return items(value, *keys)
    for wrapper in ("result", "data", "response"):
        if isinstance(payload.get(wrapper), dict | list):
            return items(payload[wrapper], *keys)
    return [payload] if any(k in payload for k in ("id", "key", "ts")) else []


def pick(item: Any, *paths: str) -> Any:
    """The first non-empty value at one of the dotted paths (`source.body`, `companies.0.name`)."""
    for path in paths:
        value = item
        for step in path.split("."):
            if isinstance(value, dict):
                value = value.get(step)
            elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
                value = value[int(step)]
            else:
                value = None
                break
        if value not in (None, "", [], {}):
            return value
    return None


def words(item: Any, *paths: str) -> tuple[str, ...]:
    """Strings from a list of strings or of objects with a `name` (tags, labels, contacts)."""
    raw = pick(item, *paths)
    if isinstance(raw, dict):
        raw = next((v for v in raw.values() if isinstance(v, list)), [])
    out: list[str] = []
    for entry in raw if isinstance(raw, list) else ():
        value = entry if isinstance(entry, str) else pick(entry, "name", "label", "email", "title")
        if value:
            out.append(str(value))
    return tuple(out)


def plain(value: Any) -> str:
    """Readable text from HTML, Atlassian document format, or a plain value."""
    if isinstance(value, dict):
        return adf_to_text(value)
    return text_of_html(value) if isinstance(value, str) else ""


def link(item: Any, template: str | None, ident: str, *paths: str) -> str | None:
    """The item's own web link, else the configured template filled with its id."""
    own = text(pick(item, *paths, "url", "html_url", "web_url", "webUrl", "link", "permalink", "links.web"))
    if own and own.startswith("http"):
        return own
    return template.replace("{id}", ident) if template else None


def moment(value: Any) -> datetime | None:
    """`when()`, plus Slack-style `1712345678.000200` timestamps."""
    if isinstance(value, str) and re.fullmatch(r"\d{9,11}\.\d+", value.strip()):
        return datetime.fromtimestamp(float(value), UTC)
    return when(value)


def ident(item: Any, *paths: str) -> str | None:
    """The item's id as text."""
    value = pick(item, *paths, "id")
    return str(value) if value not in (None, "") else None


def ticket(item: dict[str, Any], source: str, template: str | None) -> Ticket | None:
    """A ticket or conversation object as a `Ticket`."""
    key = ident(item, "ticket_id", "conversation_id", "number")
    if key is None:
        return None
    body = plain(pick(item, "description", "plain_body", "body", "source.body", "content", "text"))
    subject = text(pick(item, "subject", "title", "raw_subject", "name")) or text(plain(pick(item, "source.subject")))
    priority = text(pick(item, "priority"))
    return Ticket(
        source=source,
        source_id=key,
        url=link(item, template, key),
        subject=subject or (body[:80] or "(no subject)"),
        description=body,
        status=_STATUS.get(str(pick(item, "status", "state") or "open").lower(), "open"),
        priority={"priority": "high", "not_priority": None}.get(priority or "", priority),
        requester=text(
            pick(
                item,
                "requester.name",
                "requester.email",
                "source.author.name",
                "source.author.email",
                "author.name",
                "requester_name",
                "contact.name",
            )
        ),
        account=text(
            pick(
                item,
                "account",
                "organization.name",
                "organization_name",
                "company.name",
                "company_name",
                "companies.companies.0.name",
                "companies.0.name",
                "customer",
                "custom_attributes.company",
            )
        ),
        created_at=moment(pick(item, "created_at", "createdAt", "created", "creation_date")) or EPOCH,
        updated_at=moment(pick(item, "updated_at", "updatedAt", "updated")),
        sla_due_at=moment(pick(item, "sla_due_at", "due_at")),
        tags=words(item, "tags"),
        tracker_keys=words(item, "tracker_keys", "linked_issues") or tracker_keys_in(subject or "", body),
    )


def _role(item: dict[str, Any], public: bool) -> Literal["customer", "agent", "internal", "system"]:
    kind = str(pick(item, "author_role", "author.type", "author.role", "role") or "").lower()
    if kind in ("customer", "user", "lead", "contact", "end-user", "end_user", "requester"):
        return "customer"
    if kind in ("system", "bot"):
        return "system"
    return "agent" if public else "internal"


def comment(item: dict[str, Any], ticket_id: str, source: str, url: str | None) -> Comment | None:
    """A comment, conversation part or note as a `Comment` (parts without text are skipped)."""
    key = ident(item)
    body = plain(pick(item, "plain_body", "body", "text", "html_body", "content"))
    if key is None or not body:
        return None
    public = bool(pick(item, "public") if isinstance(item.get("public"), bool) else pick(item, "part_type") != "note")
    return Comment(
        source=source,
        source_id=key,
        url=url,
        ticket_id=ticket_id,
        author=text(pick(item, "author.name", "author.email", "author_name", "author")) or "unknown",
        author_role=_role(item, public),
        public=public,
        created_at=moment(pick(item, "created_at", "createdAt", "created")) or EPOCH,
        body=body,
    )


def _deals(item: dict[str, Any]) -> tuple[Deal, ...]:
    out = []
    for deal in items(pick(item, "open_deals", "deals", "associations.deals") or []):
        if str(pick(deal, "properties.hs_is_closed", "is_closed") or "").lower() == "true":
            continue
        out.append(
            Deal(
                name=text(pick(deal, "name", "dealname", "properties.dealname")) or f"deal {pick(deal, 'id')}",
                amount=number(pick(deal, "amount", "properties.amount")),
                stage=text(pick(deal, "stage", "dealstage", "properties.dealstage")),
                close_date=day(pick(deal, "close_date", "closedate", "properties.closedate")),
            )
        )
    return tuple(out)


def account(item: dict[str, Any], source: str, template: str | None) -> Account | None:
    """A company or account object (flat, or HubSpot-style `properties`) as an `Account`."""
    key = ident(item, "company_id", "account_id", "hs_object_id", "properties.hs_object_id")
    name = text(pick(item, "name", "properties.name", "company_name"))
    if key is None or name is None:
        return None
    return Account(
        source=source,
        source_id=key,
        url=link(item, template, key),
        name=name,
        domain=text(pick(item, "domain", "properties.domain", "website")),
        plan=text(pick(item, "plan.name", "plan", "tier", "properties.plan", "properties.tier")),
        segment=text(pick(item, "segment", "properties.segment")),
        arr=number(
            pick(item, "arr", "properties.arr", "annual_recurring_revenue", "properties.annual_recurring_revenue")
        ),
        renewal_date=day(pick(item, "renewal_date", "properties.renewal_date", "renewal")),
        csm=text(pick(item, "csm", "properties.csm", "owner.name", "account_manager")),
        contacts=words(item, "contacts"),
        reference_customer=str(pick(item, "reference_customer", "properties.reference_customer")).lower() == "true",
        open_deals=_deals(item),
        health=text(pick(item, "health", "properties.health")),
    )


def message(item: dict[str, Any], source: str) -> ChatMessage | None:
    """A chat message or search match as a `ChatMessage`."""
    ts = text(pick(item, "ts", "timestamp", "posted_at", "created_at"))
    channel = text(pick(item, "channel.name", "channel_name", "channel", "channel.id", "channel_id")) or "unknown"
    key = ident(item, "message_id") or (f"{channel}:{ts}" if ts else None)
    body = text(pick(item, "text", "message", "content"))
    if key is None or body is None:
        return None
    return ChatMessage(
        source=source,
        source_id=key,
        url=link(item, None, key),
        channel=channel.lstrip("#"),
        author=text(pick(item, "user_name", "username", "author", "user.name", "user")) or "unknown",
        posted_at=moment(ts) or EPOCH,
        text=plain(body) or body,
        thread_id=text(pick(item, "thread_ts", "thread_id")),
        reply_count=int(number(pick(item, "reply_count")) or 0),
    )


def issue(item: dict[str, Any], source: str, template: str | None) -> TrackerIssue | None:
    """A tracker issue (Jira-style `fields`, or flat) as a `TrackerIssue`."""
    key = text(pick(item, "key", "identifier", "issueKey"))
    if key is None:
        return None
    status = text(pick(item, "fields.status.name", "status.name", "state.name", "status", "state")) or "Open"
    category = text(pick(item, "fields.status.statusCategory.key", "status.statusCategory.key"))
    kind = str(pick(item, "fields.issuetype.name", "issuetype.name", "issue_type", "type") or "").lower()
    return TrackerIssue(
        source=source,
        source_id=ident(item) or key,
        url=link(item, template, key),
        key=key,
        title=text(pick(item, "fields.summary", "summary", "title", "name")) or key,
        issue_type=next((t for t in ("bug", "feature", "incident") if t in kind), "task" if kind else "bug"),
        status=status,
        resolved=category == "done" or status.lower() in _DONE or bool(pick(item, "resolved")),
        assignee=text(pick(item, "fields.assignee.displayName", "assignee.displayName", "assignee.name", "assignee")),
        team=text(pick(item, "fields.components.0.name", "team.name", "team", "fields.project.name")),
        priority=text(pick(item, "fields.priority.name", "priority.name", "priority")),
        labels=words(item, "fields.labels", "labels"),
        linked_tickets=words(item, "linked_tickets"),
        created_at=moment(pick(item, "fields.created", "created_at", "createdAt", "created")),
        resolved_at=moment(pick(item, "fields.resolutiondate", "resolved_at", "resolutiondate")),
        description=plain(pick(item, "fields.description", "description"))[:4000],
        regression_of=text(pick(item, "regression_of")),
    )


def article(item: dict[str, Any], source: str, template: str | None, base: str = "") -> Article | None:
    """A knowledge-base page, card or search hit as an `Article`."""
    key = ident(item, "content.id", "slug")
    title = text(plain(pick(item, "title", "content.title", "preferredPhrase", "name")))
    if key is None or title is None:
        return None
    labels = list(words(item, "labels", "tags", "content.metadata.labels.results"))
    kind, status = article_kind(labels, title)
    webui = text(pick(item, "_links.webui", "content._links.webui"))
    return Article(
        source=source,
        source_id=key,
        url=(base + webui) if webui and webui.startswith("/") and base else link(item, template, key),
        title=title,
        article_type=kind,
        status=status,
        body=plain(pick(item, "excerpt", "highlight", "snippet", "body", "content", "text"))[:4000],
        updated_at=moment(
            pick(item, "lastModified", "last_edited_time", "updated_at", "lastModifiedDate", "timestamp")
        ),
        tags=tuple(labels),
    )


def every(builder: Any, found: Iterable[dict[str, Any]], *args: Any) -> list[Any]:
    """`builder(item, *args)` over the items, without the ones it could not map."""
    return [record for record in (builder(item, *args) for item in found) if record is not None]


def chronological(comments: list[Comment]) -> list[Comment]:
    """Comments oldest first."""
    return sorted(comments, key=lambda c: c.created_at)
