"""Presets: how the tools of well-known MCP servers map to our five connector categories.

A preset lets the offline model (and the rules) use an MCP server exactly like a REST connector:
`search_tickets` becomes Intercom's `search_conversations`, `find_account` HubSpot's
`search_crm_objects`, and each tool result is mapped back to typed records.
"""

from __future__ import annotations

from connectors.mcp.presets.base import OP_CATEGORY, Call, MapContext, Op, Preset, Query
from connectors.mcp.presets.crm import HUBSPOT
from connectors.mcp.presets.support import INTERCOM, ZENDESK
from connectors.mcp.presets.work import ATLASSIAN, GURU, NOTION, SLACK

PRESETS: dict[str, Preset] = {p.name: p for p in (INTERCOM, ZENDESK, HUBSPOT, SLACK, ATLASSIAN, NOTION, GURU)}
"""Every preset by name."""

__all__ = ["OP_CATEGORY", "PRESETS", "Call", "MapContext", "Op", "Preset", "Query"]
