"""Fake Confluence Cloud REST v1 (`/wiki/rest/api`): CQL `search` with `_links.next` (relative,
with a cursor) and `_links.base`, highlighted excerpts, labels under `content.metadata.labels`,
`/user/current`, Basic `email:api_token` auth."""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import urlencode

import httpx2

from tests.fakes.vendors.base import FakeVendor, reply, words_in

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

    def authorized(self, request: httpx2.Request) -> bool:
        pair = base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
        return request.headers.get("authorization") == f"Basic {pair}"

    def unauthorized(self) -> httpx2.Response:
        return reply(401, {"statusCode": 401, "message": "Unauthorized; scope does not match"})

    def search(self, request: httpx2.Request) -> httpx2.Response:
        cql = request.url.params["cql"]
        text = re.search(r'text ~ "((?:[^"\\]|\\.)*)"', cql)
        spaces = re.search(r"space in \(([^)]*)\)", cql)
        hits = [p for p in PAGES if not text or words_in(text.group(1), f"{p['title']} {p['excerpt']}")]
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
