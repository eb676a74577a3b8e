"""Fake Intercom REST API: conversations (UNIX-second timestamps, HTML bodies), the search DSL
(AND/OR, `~`, `IN`, `>`), `pages.next.starting_after`, companies by name and their contacts,
`/me`, `X-RateLimit-*` headers and the `error.list` envelope."""

from __future__ import annotations

from typing import Any

import httpx2

from tests.fakes.vendors.base import FakeVendor, body_of, reply

BASE = "https://api.intercom.io"
TOKEN = "ic-secret-token-1b2c3d"
APP_ID = "abc123"

CONVERSATIONS: dict[str, dict[str, Any]] = {
    "215": {
        "type": "conversation", "id": "215", "title": None, "state": "open", "priority": "priority",
        "created_at": 1792402200, "updated_at": 1792406000,
        "source": {"type": "conversation", "subject": "", "body": "<p>Our API calls return <b>500</b> errors</p>",
                   "author": {"type": "user", "id": "c1", "name": "Dana Smith", "email": "dana@acme.example"}},
        "contacts": {"contacts": [{"id": "c1", "external_id": "u-1"}]},
        "tags": {"tags": [{"id": "1", "name": "api"}]},
        "conversation_parts": {"total_count": 2, "conversation_parts": [
            {"id": "p1", "part_type": "comment", "body": "<p>Looking into it</p>", "created_at": 1792403000,
             "author": {"type": "admin", "id": "a1", "name": "Sam Rivera"}},
            {"id": "p2", "part_type": "note", "body": "<p>Linked to ENG-1423</p>", "created_at": 1792404000,
             "author": {"type": "admin", "id": "a1", "name": "Sam Rivera"}},
            {"id": "p3", "part_type": "assignment", "body": None, "created_at": 1792404100,
             "author": {"type": "bot", "id": "b1", "name": "Operator"}},
        ]},
    },
    "216": {
        "type": "conversation", "id": "216", "title": "Export missing rows", "state": "snoozed", "priority": "not_priority",
        "created_at": 1792316000, "updated_at": 1792316000,
        "source": {"type": "email", "subject": "Export", "body": "<p>Rows missing from export</p>",
                   "author": {"type": "lead", "id": "c2", "name": "Lee Chen"}},
        "contacts": {"contacts": [{"id": "c2"}]}, "tags": {"tags": []},
        "conversation_parts": {"total_count": 0, "conversation_parts": []},
    },
}  # fmt: skip
COMPANIES = {
    "Acme Corp": {"type": "company", "id": "co1", "company_id": "acme", "name": "Acme Corp", "plan": {}},
    "Globex": {"type": "company", "id": "co2", "company_id": "globex", "name": "Globex", "plan": {}},
}
COMPANY_CONTACTS = {"co1": [{"type": "contact", "id": "c1"}], "co2": [{"type": "contact", "id": "c2"}]}


def _field(conversation: dict[str, Any], field: str) -> Any:
    if field == "contact_ids":
        return [c["id"] for c in conversation["contacts"]["contacts"]]
    value: Any = conversation
    for step in field.split("."):
        value = (value or {}).get(step)
    return value


def matches(conversation: dict[str, Any], query: dict[str, Any]) -> bool:
    """Evaluate Intercom's search DSL against one conversation."""
    if query.get("operator") in ("AND", "OR"):
        results = [matches(conversation, q) for q in query["value"]]
        return all(results) if query["operator"] == "AND" else any(results)
    value, op, wanted = _field(conversation, query["field"]), query["operator"], query["value"]
    if op == "~":
        return str(wanted).lower() in str(value or "").lower()
    if op == "IN":
        have = value if isinstance(value, list) else [value]
        return any(v in wanted for v in have)
    if op == ">":
        return int(value or 0) > int(wanted)
    if op == "=":
        return bool(value == wanted)
    raise ValueError(f"operator {op} not faked")


class FakeIntercom(FakeVendor):
    """Intercom with two conversations and one company."""

    base_url = BASE
    token = TOKEN
    page_cap = 150

    def setup(self) -> None:
        self.route("GET", r"/me", lambda r: reply(200, {"type": "admin", "id": "a1", "name": "Sam Rivera",
                                                        "app": {"id_code": APP_ID, "name": "Acme Support"}}))  # fmt: skip
        self.route("GET", r"/conversations/(\w+)", self.conversation)
        self.route("POST", r"/conversations/search", self.search)
        self.route("POST", r"/contacts/search", self.contacts)
        self.route("GET", r"/companies", self.company)
        self.route("POST", r"/companies/list", self.company_list)
        self.route(
            "GET",
            r"/companies/(\w+)/contacts",
            lambda r, c: reply(200, {"type": "list", "data": COMPANY_CONTACTS.get(c, [])}),
        )

    def unauthorized(self) -> httpx2.Response:
        return reply(401, {"type": "error.list", "request_id": "r-1",
                           "errors": [{"code": "unauthorized", "message": "Access Token Invalid"}]})  # fmt: skip

    def not_found(self) -> httpx2.Response:
        return reply(404, {"type": "error.list", "request_id": "r-2",
                           "errors": [{"code": "not_found", "message": "Resource Not Found"}]})  # fmt: skip

    def rate_headers(self) -> dict[str, str]:
        return {"X-RateLimit-Limit": "167", "X-RateLimit-Remaining": "160", "X-RateLimit-Reset": "1792406010"}

    def conversation(self, request: httpx2.Request, cid: str) -> httpx2.Response:
        found = CONVERSATIONS.get(cid)
        return reply(200, found) if found else self.not_found()

    def contacts(self, request: httpx2.Request) -> httpx2.Response:
        email = body_of(request)["query"]["value"]
        people = [c["source"]["author"] for c in CONVERSATIONS.values() if c["source"]["author"].get("email") == email]
        data = [{"type": "contact", "id": p["id"], "email": email, "role": "user"} for p in people]
        return reply(200, {"type": "list", "data": data, "total_count": len(data)})

    def company(self, request: httpx2.Request) -> httpx2.Response:
        if "name" not in request.url.params:  # the undocumented listing is not served
            return reply(400, {"type": "error.list", "errors": [{"code": "parameter_not_found", "message": "name"}]})
        found = COMPANIES.get(request.url.params.get("name", ""))
        return reply(200, found) if found else self.not_found()

    def company_list(self, request: httpx2.Request) -> httpx2.Response:
        """`POST /companies/list?page=N&per_page=M`, one company per page here."""
        page = int(request.url.params.get("page", 1))
        names = sorted(COMPANIES)
        data = [COMPANIES[n] for n in names[page - 1 : page]]
        pages: dict[str, Any] = {"type": "pages", "page": page, "per_page": 1, "total_pages": len(names)}
        if page < len(names):
            pages["next"] = f"{BASE}/companies/list?per_page=1&page={page + 1}"
        return reply(200, {"type": "list", "data": data, "pages": pages, "total_count": len(names)})

    def search(self, request: httpx2.Request) -> httpx2.Response:
        body = body_of(request)
        hits = [c for c in CONVERSATIONS.values() if matches(c, body["query"])]
        per_page = min(int(body.get("pagination", {}).get("per_page", 20)), self.page_cap)
        start = int(body.get("pagination", {}).get("starting_after") or 0)
        chunk, more = hits[start : start + per_page], start + per_page < len(hits)
        pages: dict[str, Any] = {"type": "pages", "page": start // per_page + 1, "per_page": per_page}
        if more:
            pages["next"] = {"page": pages["page"] + 1, "starting_after": str(start + per_page)}
        return reply(
            200, {"type": "conversation.list", "conversations": chunk, "total_count": len(hits), "pages": pages}
        )
