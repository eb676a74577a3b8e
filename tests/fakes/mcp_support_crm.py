"""A fake MCP server acting as a support platform (Intercom-like tools) and a CRM (HubSpot-like
tools), built with the same SDK. Run it over stdio (`python tests/fakes/mcp_support_crm.py`) or
connect to `build_server()` in process.

The story: three customers report intermittent API 500s (Acme Corp, an Enterprise account up for
renewal, plus Globex and Initech); one unrelated billing question. It also has write tools
(`reply_to_conversation`, `manage_crm_objects`) that must never be offered while gathering.
Started as a subprocess it refuses to run without FAKE_MCP_TOKEN=s3cret, to prove that secrets
reach stdio servers through `${VAR}` expansion.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations

TOKEN = "s3cret"
INBOX = "https://fake-support.example/inbox/conversation/"
CRM = "https://fake-crm.example/record/0-2/"


def _ts(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


def _conversation(
    cid: str, company: str, subject: str, body: str, created: str, parts: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "type": "conversation", "id": cid, "title": subject, "state": "open", "priority": "priority",
        "created_at": _ts(created), "updated_at": _ts(created) + 3600,
        "company": {"id": company.lower().replace(" ", "-"), "name": company},
        "source": {"type": "email", "subject": subject, "body": f"<p>{body}</p>",
                   "author": {"type": "user", "name": f"Admin at {company}", "email": "admin@example.com"}},
        "conversation_parts": {"total_count": len(parts), "conversation_parts": parts},
    }  # fmt: skip


def _part(pid: str, kind: str, who: str, author_type: str, body: str, created: str) -> dict[str, Any]:
    return {"id": pid, "part_type": kind, "body": f"<p>{body}</p>", "created_at": _ts(created),
            "author": {"type": author_type, "name": who}}  # fmt: skip


CONVERSATIONS: dict[str, dict[str, Any]] = {
    "9001": _conversation(
        "9001", "Acme Corp", "API returning 500 errors intermittently",
        "Our checkout calls to /v2/orders fail with HTTP 500 about 20% of the time. Production is impacted "
        "and our users cannot complete orders.", "2026-11-20T09:00:00",
        [
            _part("p-11", "comment", "Sam Rivera", "admin", "Thanks, we are looking into the 500 errors.", "2026-11-20T10:00:00"),
            _part("p-12", "note", "Sam Rivera", "admin", "Cleared cache and retried: still failing. Logs show 500s from orders-api.",
                  "2026-11-21T09:00:00"),
            _part("p-13", "comment", "Dana Smith", "user", "This is blocking our checkout. We need a fix before our renewal.",
                  "2026-11-25T09:00:00"),
        ],
    ),
    "9002": _conversation("9002", "Globex", "Intermittent 500 errors from the orders API",
                          "Since last week the orders API returns 500 errors intermittently.", "2026-11-24T08:00:00", []),
    "9003": _conversation("9003", "Initech", "Getting HTTP 500 errors on API calls",
                          "API calls fail with 500 errors several times an hour.", "2026-11-25T15:00:00", []),
    "9004": _conversation("9004", "Acme Corp", "Change invoice email",
                          "How do I change the email our invoices go to?", "2026-11-10T12:00:00", []),
}  # fmt: skip

COMPANIES: dict[str, dict[str, Any]] = {
    "5001": {"id": "5001", "properties": {"name": "Acme Corp", "domain": "acme.example", "arr": "480000",
             "plan": "Enterprise", "renewal_date": "2027-01-15", "csm": "Jordan Lee"}, "url": f"{CRM}5001"},
    "5002": {"id": "5002", "properties": {"name": "Globex", "domain": "globex.example", "arr": "60000",
             "plan": "Business"}, "url": f"{CRM}5002"},
    "5003": {"id": "5003", "properties": {"name": "Initech", "domain": "initech.example", "arr": "12000",
             "plan": "Starter"}, "url": f"{CRM}5003"},
}  # fmt: skip


def _value(conversation: dict[str, Any], field: str) -> Any:
    value: Any = conversation
    for step in field.split("."):
        value = value.get(step) if isinstance(value, dict) else None
    return value


def matches(conversation: dict[str, Any], node: dict[str, Any]) -> bool:
    """Evaluate Intercom's search DSL (AND/OR, `~`, `=`, `>`, `<`, `IN`) on one conversation."""
    op = node.get("operator")
    if op in ("AND", "OR"):
        results = [matches(conversation, child) for child in node.get("value") or []]
        return all(results) if op == "AND" else any(results)
    actual, wanted = _value(conversation, str(node.get("field"))), node.get("value")
    if op == "~":
        return str(wanted).lower() in str(actual or "").lower()
    if op == "=":
        return bool(actual == wanted)
    if op in (">", "<"):
        return isinstance(actual, int) and (actual > int(wanted) if op == ">" else actual < int(wanted))
    if op == "IN":
        return actual in (wanted or [])
    raise ToolError(f"unsupported operator {op!r}")


def build_server() -> MCPServer:
    """The fake server (no token check: that is done when run as a script)."""
    server = MCPServer("fake-support-crm", version="1.0", log_level="WARNING")

    @server.tool(description="Search conversations with the query DSL.")
    def search_conversations(query: dict[str, Any], per_page: int = 20) -> dict[str, Any]:
        found = [c for c in CONVERSATIONS.values() if matches(c, query)]
        listed = [{k: v for k, v in c.items() if k != "conversation_parts"} for c in found[:per_page]]
        return {"type": "conversation.list", "conversations": listed, "total_count": len(found)}

    @server.tool(description="Get one conversation with all its parts.")
    def get_conversation(id: str) -> dict[str, Any]:
        if id not in CONVERSATIONS:
            raise ToolError(f"conversation {id} not found")
        return CONVERSATIONS[id]

    @server.tool(description="Search CRM objects (companies) by free text.")
    def search_crm_objects(objectType: str, query: str = "", limit: int = 10) -> dict[str, Any]:
        if objectType != "companies":
            return {"results": [], "total": 0}
        words = query.lower().split()
        found = [c for c in COMPANIES.values() if all(w in str(c["properties"]).lower() for w in words)]
        return {"results": found[:limit], "total": len(found)}

    @server.tool(description="List tag names.", annotations=ToolAnnotations(read_only_hint=True))
    def list_tags() -> list[str]:
        return ["api", "billing"]

    @server.tool(description="Reply to a conversation (sends a message to the customer).")
    def reply_to_conversation(id: str, body: str) -> str:
        raise ToolError("the fake never sends")

    @server.tool(description="Create or update CRM objects.")
    def manage_crm_objects(objectType: str, changes: list[dict[str, Any]]) -> str:
        raise ToolError("the fake never writes")

    return server


if __name__ == "__main__":
    if os.environ.get("FAKE_MCP_TOKEN") != TOKEN:
        print("fake-support-crm: FAKE_MCP_TOKEN is missing or wrong", file=sys.stderr)
        sys.exit(3)
    build_server().run()
