"""Support-platform presets: Intercom's hosted MCP server, and a Zendesk one.

Intercom (https://mcp.intercom.com/mcp): `search_conversations` gets the conversation search DSL
as its `query` when the tool's schema takes an object, and the keywords when it takes a string
(`connectors.mcp.arguments` reshapes it); a schema without `query` is an error, since a search
without it would list recent conversations. `get_conversation` returns the conversation with its parts. Zendesk has no official server; the
preset follows the widely used community server (`get_tickets`, `get_ticket`,
`get_ticket_comments`) and also accepts a `search_tickets(query)` tool when a server offers one.
"""

from __future__ import annotations

import re
from typing import Any

from connectors.mcp import mapping as m
from connectors.mcp.presets.base import Call, MapContext, Op, Preset, Query, same
from connectors.records import Record
from connectors.vendors import intercom, zendesk
from connectors.vendors.parse import keywords

_API_TICKET = re.compile(r"^(https://[^/]+)/api/v2/tickets/(\d+)(?:\.json)?$")


def _intercom_search(q: Query) -> dict[str, Any]:
    # Conversations cannot be searched by company, so a customer's tickets are picked from a wider page.
    body = intercom.search_body(keywords(q.text, limit=4), [], q.since, 150 if q.customer else q.limit)
    return {"query": body["query"], "per_page": body["pagination"]["per_page"]}


def _conversations(payload: Any, ctx: MapContext) -> list[Record]:
    """Conversations as tickets; a full conversation also yields its opening message and parts."""
    out: list[Record] = []
    for raw in m.items(payload, "conversations", "conversation"):
        ticket = m.ticket(raw, "intercom", ctx.link)
        if ticket is None:
            continue
        out.append(ticket)
        parts = m.items(m.pick(raw, "conversation_parts") or [], "conversation_parts")
        if not parts and not ctx.ident:
            continue  # a search hit: the timeline comes with get_conversation
        opening = {
            "id": f"{ticket.source_id}-source",
            "body": m.pick(raw, "source.body"),
            "author": m.pick(raw, "source.author") or {},
            "created_at": m.pick(raw, "created_at"),
            "public": True,
        }
        out.extend(m.chronological(m.every(m.comment, [opening, *parts], ticket.source_id, "intercom", ticket.url)))
    return out


INTERCOM = Preset(
    name="intercom",
    summary="Intercom conversations as tickets (hosted server https://mcp.intercom.com/mcp)",
    ops={
        "search_tickets": Op((Call("search_conversations", _intercom_search, needs=("query",)),), _conversations),
        "get_ticket": Op((Call("get_conversation", lambda q: {"id": q.ident}, needs=("id",)),), _conversations),
        "ticket_comments": Op((Call("get_conversation", lambda q: {"id": q.ident}, needs=("id",)),), _conversations),
    },
    read_tools=("search_conversations", "get_conversation", "search_contacts", "get_contact", "search", "fetch"),
)


def _number(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def _ui_link(raw: dict[str, Any]) -> dict[str, Any]:
    # Zendesk objects carry their API url; people need the agent UI link.
    match = _API_TICKET.match(str(raw.get("url") or ""))
    return {**raw, "url": f"{match.group(1)}/agent/tickets/{match.group(2)}"} if match else raw


def _tickets(payload: Any, ctx: MapContext) -> list[Record]:
    found = [_ui_link(raw) for raw in m.items(payload, "tickets", "ticket")]
    return m.every(m.ticket, found, "zendesk", ctx.link)


def _comments(payload: Any, ctx: MapContext) -> list[Record]:
    url = ctx.link.replace("{id}", ctx.ident) if ctx.link else None
    return list(m.chronological(m.every(m.comment, m.items(payload, "comments"), ctx.ident, "zendesk", url)))


ZENDESK = Preset(
    name="zendesk",
    summary="Zendesk tickets and comments (community servers, e.g. reminia/zendesk-mcp-server)",
    ops={
        "search_tickets": Op(
            (
                Call(
                    "search_tickets",
                    lambda q: {"query": zendesk.search_query(q.text, q.customer, q.since)},
                    filters_customer=True,
                    needs=("query",),
                ),
                Call(
                    "get_tickets",
                    same(page=1, per_page=100, sort_by="updated_at", sort_order="desc"),
                    True,
                ),
            ),
            _tickets,
        ),
        "get_ticket": Op(
            (Call("get_ticket", lambda q: {"ticket_id": _number(q.ident)}, needs=("ticket_id",)),), _tickets
        ),
        "ticket_comments": Op(
            (Call("get_ticket_comments", lambda q: {"ticket_id": _number(q.ident)}, needs=("ticket_id",)),), _comments
        ),
    },
    read_tools=("get_ticket", "get_tickets", "get_ticket_comments", "search_tickets"),
)
