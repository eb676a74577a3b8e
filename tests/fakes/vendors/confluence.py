"""Fake Confluence Cloud REST v1 (`/wiki/rest/api`): CQL `search` with `_links.next` (relative,
with a cursor) and `_links.base`, `text ~` clauses that need every word of their phrase, highlighted
excerpts, labels under `content.metadata.labels`, `/user/current`, Basic `email:api_token` auth; and
REST v2 page bodies (`/wiki/api/v2/pages/{id}?body-format=storage`)."""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import urlencode

import httpx2

from tests.fakes.vendors.base import FakeVendor, reply, text_clauses_match

SITE = "https://acme.atlassian.net"
BASE = f"{SITE}/wiki/rest/api"
EMAIL = "bot@acme.example"
TOKEN = "confluence-token-secret-77"


def _page(pid: str, title: str, space: str, excerpt: str, labels: list[str]) -> dict[str, Any]:
    webui = f"/spaces/{space}/pages/{pid}/{title.replace(' ', '+')}"
    return {
        "content": {"id": pid, "type": "page", "title": title, "_links": {"webui": webui},
                    "metadata": {"labels": {"results": [{"prefix": "global", "name": n} for n in labels]}}},
        "title": title, "excerpt": excerpt, "url": webui, "lastModified": "2026-10-18T16:00:00.000Z",
        "space": space,
    }  # fmt: skip


PAGES = [
    _page("3001", "Known issue: ingest API 500 errors", "KB", "Intermittent @@@hl@@@500@@@endhl@@@ errors &amp; retries",
          ["known-issue", "workaround"]),
    _page("3002", "How to retry ingest API calls", "KB", "Use exponential backoff for API 500 errors", ["how-to"]),
    _page("3003", "Export limits", "SUP", "Exports are capped at 10k rows", ["limitation"]),
]  # fmt: skip


BODIES = {
    "3001": "<p>Since 14 October some <strong>POST /v1/ingest</strong> calls fail with HTTP 500 internal_error "
            "for tenants on the EU cluster. Tracked in ENG-1423.</p><p>Workaround: retry with exponential backoff; "
            "requests are idempotent.</p>",
    "3002": "<p>Retry 5xx responses with exponential backoff and jitter, at most five times.</p>",
    "3003": "<p>Exports stop at 10,000 rows; use the bulk export API for more.</p>",
}  # fmt: skip
"""Page bodies (storage format), served by REST v2 and searched by `text ~` like the real wiki."""


class FakeConfluence(FakeVendor):
    """Confluence with three pages in two spaces; results come `page_size` at a time."""

    base_url = BASE
    token = TOKEN
    page_size = 25

    def setup(self) -> None:
        self.route(
            "GET",
            r"/wiki/rest/api/user/current",
            lambda r: reply(200, {"accountId": "5b10", "displayName": "Escalation Bot"}),
        )
        self.route("GET", r"/wiki/rest/api/search", self.search)
        self.route("GET", r"/wiki/api/v2/pages/(\d+)", self.page)

    def authorized(self, request: httpx2.Request) -> bool:
        pair = base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
        return request.headers.get("authorization") == f"Basic {pair}"

    def unauthorized(self) -> httpx2.Response:
        return reply(401, {"statusCode": 401, "message": "Unauthorized; scope does not match"})

    def search(self, request: httpx2.Request) -> httpx2.Response:
        cql = request.url.params["cql"]
        spaces = re.search(r"space in \(([^)]*)\)", cql)
        hits = [
            p for p in PAGES if text_clauses_match(cql, f"{p['title']} {p['excerpt']} {BODIES[p['content']['id']]}")
        ]
        if spaces:
            keys = re.findall(r'"([^"]+)"', spaces.group(1))
            hits = [p for p in hits if p["space"] in keys]
        limit = min(int(request.url.params.get("limit", 25)), self.page_size)
        start = int(request.url.params.get("cursor", 0))
        chunk, more = hits[start : start + limit], start + limit < len(hits)
        links: dict[str, Any] = {"base": f"{SITE}/wiki", "context": "/wiki"}
        if more:
            links["next"] = "/rest/api/search?" + urlencode(
                {"next": "true", "cursor": start + limit, "limit": limit, "cql": cql}
            )
        return reply(200, {"results": chunk, "start": start, "limit": limit, "size": len(chunk),
                           "totalSize": len(hits), "_links": links})  # fmt: skip

    def page(self, request: httpx2.Request, pid: str) -> httpx2.Response:
        """REST v2 `GET /wiki/api/v2/pages/{id}?body-format=storage`."""
        found = next((p for p in PAGES if p["content"]["id"] == pid), None)
        if found is None:
            return reply(404, {"errors": [{"status": 404, "code": "NOT_FOUND", "title": "Not Found"}]})
        storage = {"representation": "storage", "value": BODIES[pid]}
        return reply(200, {"id": pid, "status": "current", "title": found["title"], "body": {"storage": storage}})
