"""Fake Zendesk Support API (`https://acme.zendesk.com/api/v2`), shaped like the documented one:
offset search with `next_page`, cursor pagination (`page[size]`, `meta.has_more`, `links.next`),
`show_many`, `include=slas`, Basic `{email}/token:{token}` auth, `X-Rate-Limit` headers."""

from __future__ import annotations

import base64
import re
from typing import Any, ClassVar
from urllib.parse import urlencode

import httpx2

from tests.fakes.vendors.base import FakeVendor, body_of, reply, words_in

BASE = "https://acme.zendesk.com/api/v2"
EMAIL = "agent@acme.example"
TOKEN = "zd-secret-token-7f3a9c"

USERS = {
    9001: {"id": 9001, "name": "Dana Smith", "email": "dana@acme.example", "role": "end-user", "organization_id": 501},
    9002: {"id": 9002, "name": "Sam Rivera", "email": "sam@support.example", "role": "agent", "organization_id": None},
    9003: {"id": 9003, "name": "Lee Chen", "email": "lee@globex.example", "role": "end-user", "organization_id": 502},
}
ORGS = {
    501: {"id": 501, "name": "Acme Corp", "domain_names": ["acme.example"]},
    502: {"id": 502, "name": "Globex", "domain_names": ["globex.example"]},
}


def _ticket(tid: int, subject: str, org: int, requester: int, created: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": tid,
        "url": f"{BASE}/tickets/{tid}.json",
        "subject": subject,
        "description": extra.pop("description", subject),
        "status": extra.pop("status", "open"),
        "priority": extra.pop("priority", "normal"),
        "type": "incident",
        "requester_id": requester,
        "assignee_id": 9002,
        "organization_id": org,
        "tags": extra.pop("tags", []),
        "created_at": created,
        "updated_at": created,
        **extra,
    }


TICKETS = {
    1042: _ticket(
        1042,
        "API returning 500 errors intermittently",
        501,
        9001,
        "2026-10-19T09:30:00Z",
        priority="high",
        tags=["api", "enterprise"],
        description="About 1 in 20 POST /v1/ingest calls fail with HTTP 500 internal_error since Monday.",
    ),
    1043: _ticket(1043, "Export missing rows", 502, 9003, "2026-10-18T10:00:00Z"),
    1030: _ticket(1030, "API 500 errors on batch import", 501, 9001, "2026-09-01T08:00:00Z", status="solved"),
}
COMMENTS = {
    1042: [
        {"id": 1, "author_id": 9001, "public": True, "created_at": "2026-10-19T09:30:00Z",
         "body": "About 1 in 20 POST /v1/ingest calls fail with HTTP 500.", "plain_body": "About 1 in 20 POST /v1/ingest calls fail with HTTP 500."},
        {"id": 2, "author_id": 9002, "public": True, "created_at": "2026-10-19T11:00:00Z",
         "body": "Thanks, we are looking into it.", "plain_body": "Thanks, we are looking into it."},
        {"id": 3, "author_id": 9002, "public": False, "created_at": "2026-10-19T12:00:00Z",
         "body": "Seeing the same on ENG-1423.", "plain_body": "Seeing the same on ENG-1423."},
    ],
}  # fmt: skip
AUDITS = {
    1042: [
        {"id": 77, "ticket_id": 1042, "author_id": 9002, "created_at": "2026-10-19T10:00:00Z",
         "events": [{"id": 771, "type": "Change", "field_name": "priority", "value": "high", "previous_value": "normal"},
                    {"id": 772, "type": "Notification", "body": "ignored"}]},
    ],
}  # fmt: skip


class FakeZendesk(FakeVendor):
    """Zendesk Support with three tickets for two organizations."""

    base_url = BASE
    token = TOKEN
    page_cap = 100
    """Largest page a cursor endpoint serves (lower it to force pagination)."""
    search_cap = 100
    """Largest search page (Zendesk's own cap is 100)."""
    sideload = True
    """Honour `include=` (turn off to exercise the `show_many` fallback)."""

    def setup(self) -> None:
        self.tickets = {k: dict(v) for k, v in TICKETS.items()}
        self.comments = {k: list(v) for k, v in COMMENTS.items()}
        self.route("GET", r"/api/v2/users/me", lambda r: reply(200, {"user": USERS[9002]}))
        self.route("GET", r"/api/v2/tickets/(\d+)", self.get_ticket)
        self.route("PUT", r"/api/v2/tickets/(\d+)", self.update_ticket)
        self.route(
            "GET",
            r"/api/v2/tickets/(\d+)/comments",
            lambda r, t: self.cursor(r, "comments", self.comments.get(int(t), [] if int(t) in self.tickets else None)),
        )
        self.route(
            "GET", r"/api/v2/tickets/(\d+)/audits", lambda r, t: self.cursor(r, "audits", AUDITS.get(int(t), []))
        )
        self.route("GET", r"/api/v2/users/show_many", lambda r: self.show_many(r, "users", USERS))
        self.route("GET", r"/api/v2/organizations/show_many", lambda r: self.show_many(r, "organizations", ORGS))
        self.route("GET", r"/api/v2/search\.json", self.search)
        self.route("GET", r"/api/v2/oauth/tokens/current(?:\.json)?", self.current_token)

    oauth_scopes: ClassVar[dict[str, list[str]]] = {}
    """OAuth access tokens this fake accepts as Bearer tokens, with their scopes."""

    def authorized(self, request: httpx2.Request) -> bool:
        pair = base64.b64encode(f"{EMAIL}/token:{TOKEN}".encode()).decode()
        header = request.headers.get("authorization", "")
        return header == f"Basic {pair}" or header.removeprefix("Bearer ") in self.oauth_scopes

    def current_token(self, request: httpx2.Request) -> httpx2.Response:
        """`GET /oauth/tokens/current`: the OAuth token making the request (an API token has none)."""
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.oauth_scopes:
            return self.not_found()
        return reply(200, {"token": {"id": 1, "token": token[:10], "scopes": self.oauth_scopes[token],
                                     "url": f"{BASE}/oauth/tokens/1.json", "user_id": 9002}})  # fmt: skip

    def unauthorized(self) -> httpx2.Response:
        return reply(401, {"error": "Couldn't authenticate you"})

    def not_found(self) -> httpx2.Response:
        return reply(404, {"error": "RecordNotFound", "description": "Not found"})

    def rate_headers(self) -> dict[str, str]:
        return {"X-Rate-Limit": "400", "X-Rate-Limit-Remaining": "398"}

    def get_ticket(self, request: httpx2.Request, tid: str) -> httpx2.Response:
        ticket = self.tickets.get(int(tid))
        if ticket is None:
            return self.not_found()
        include = request.url.params.get("include", "").split(",")
        if "slas" in include and int(tid) == 1042:
            metric = {"metric": "next_reply_time", "stage": "active", "breach_at": "2026-10-20T13:30:00Z"}
            ticket = {**ticket, "slas": {"policy_metrics": [metric]}}
        return reply(200, {"ticket": ticket, **self.sideloads(include, [ticket])})

    def sideloads(
        self, include: list[str], tickets: list[dict[str, Any]], authors: list[Any] | None = None
    ) -> dict[str, Any]:
        """`users`/`organizations` arrays for what the records reference, when asked for."""
        if not self.sideload:
            return {}
        out: dict[str, Any] = {}
        if "users" in include:
            ids = {t.get("requester_id") for t in tickets} | set(authors or [])
            out["users"] = [USERS[i] for i in sorted(ids, key=str) if i in USERS]
        if "organizations" in include:
            ids = {t.get("organization_id") for t in tickets}
            out["organizations"] = [ORGS[i] for i in sorted(ids, key=str) if i in ORGS]
        return out

    def update_ticket(self, request: httpx2.Request, tid: str) -> httpx2.Response:
        if int(tid) not in self.tickets:
            return self.not_found()
        comment = body_of(request)["ticket"]["comment"]
        entry = {"id": 100 + len(self.comments.setdefault(int(tid), [])), "author_id": 9002,
                 "public": comment.get("public", True), "created_at": "2026-10-20T12:00:00Z",
                 "body": comment["body"], "plain_body": comment["body"]}  # fmt: skip
        self.comments[int(tid)].append(entry)
        return reply(200, {"ticket": self.tickets[int(tid)], "audit": {"id": 900, "events": [{"type": "Comment"}]}})

    def cursor(self, request: httpx2.Request, key: str, items: list[dict[str, Any]] | None) -> httpx2.Response:
        if items is None:
            return self.not_found()
        size = min(int(request.url.params.get("page[size]", 100)), self.page_cap)
        start = int(request.url.params.get("page[after]", 0))
        chunk, more = items[start : start + size], start + size < len(items)
        after = str(start + size)
        query = {**dict(request.url.params), "page[size]": size, "page[after]": after}
        links = {"next": f"https://acme.zendesk.com{request.url.path}?{urlencode(query)}" if more else None}
        meta = {"has_more": more, "after_cursor": after if more else None, "before_cursor": None}
        include = request.url.params.get("include", "").split(",")
        loaded = self.sideloads(include, [], [item.get("author_id") for item in chunk])
        return reply(200, {key: chunk, "meta": meta, "links": links, **loaded})

    def show_many(self, request: httpx2.Request, key: str, table: dict[int, Any]) -> httpx2.Response:
        ids = [int(i) for i in request.url.params.get("ids", "").split(",") if i]
        return reply(200, {key: [table[i] for i in ids if i in table]})

    def search(self, request: httpx2.Request) -> httpx2.Response:
        query = request.url.params.get("query", "")
        org = re.search(r'organization:"([^"]*)"', query)
        created = re.search(r"created(>=?)(\S+)", query)
        words = re.sub(r'\w+:"[^"]*"|\w+[:<>]\S+', " ", query).split()
        hits = []
        for ticket in sorted(self.tickets.values(), key=lambda t: t["created_at"], reverse=True):
            org_name = str(ORGS[ticket["organization_id"]]["name"])
            if org and org.group(1).lower() not in org_name.lower():
                continue
            if created and created.group(1) == ">" and ticket["created_at"][:10] <= created.group(2):
                continue
            if created and created.group(1) == ">=" and ticket["created_at"] < created.group(2):
                continue
            if words_in(" ".join(words), f"{ticket['subject']} {ticket['description']}"):
                hits.append({**ticket, "result_type": "ticket"})
        per_page = min(int(request.url.params.get("per_page", 100)), self.search_cap)
        page = int(request.url.params.get("page", 1))
        chunk = hits[(page - 1) * per_page : page * per_page]
        more = page * per_page < len(hits)
        params = {**dict(request.url.params), "page": page + 1, "per_page": per_page}
        next_page = f"{BASE}/search.json?{urlencode(params)}" if more else None
        include = request.url.params.get("include", "").removeprefix("tickets(").removesuffix(")").split(",")
        body = {"results": chunk, "count": len(hits), "next_page": next_page, "previous_page": None}
        return reply(200, {**body, **self.sideloads(include, chunk)})
