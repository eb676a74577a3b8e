"""CRM preset: HubSpot's hosted MCP server (`search_crm_objects` over companies)."""

from __future__ import annotations

from typing import Any

from connectors.mcp import mapping as m
from connectors.mcp.presets.base import Call, MapContext, Op, Preset, Query, same
from connectors.records import Record

PROPERTIES = [
    "name", "domain", "arr", "annual_recurring_revenue", "plan", "tier", "segment", "renewal_date", "health", "csm",
    "reference_customer", "hubspot_owner_id",
]  # fmt: skip


def _search(q: Query) -> dict[str, Any]:
    return {"objectType": "companies", "query": q.ident, "properties": PROPERTIES, "limit": 10}


def _companies(payload: Any, ctx: MapContext) -> list[Record]:
    return m.every(m.account, m.items(payload, "companies", "objects"), "hubspot", ctx.link)


HUBSPOT = Preset(
    name="hubspot",
    summary="HubSpot companies as accounts (hosted server https://mcp.hubspot.com/anthropic)",
    ops={
        "find_account": Op((Call("search_crm_objects", _search, needs=("objectType", "query")),), _companies),
        "list_accounts": Op(
            (
                Call(
                    "search_crm_objects",
                    same(objectType="companies", properties=PROPERTIES, limit=100),
                    True,
                    needs=("objectType",),
                ),
            ),
            _companies,
        ),
    },
    read_tools=("search_crm_objects", "get_crm_objects", "search_properties", "search_owners", "get_user_details"),
)
