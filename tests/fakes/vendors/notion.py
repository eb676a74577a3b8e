"""Fake Notion API (`/v1`): title-only `POST /search` with `has_more`/`next_cursor`, block
children, `/users/me`, `missing_version` when `Notion-Version` is absent, the error envelope."""

from __future__ import annotations

from typing import Any

import httpx2

from tests.fakes.vendors.base import FakeVendor, body_of, reply, words_in

BASE = "https://api.notion.com/v1"
TOKEN = "ntn_notion_secret_314159"
PAGE_A = "1a2b3c4d-0000-4000-8000-00000000000a"
PAGE_B = "1a2b3c4d-0000-4000-8000-00000000000b"


def _page(pid: str, title: str, tags: list[str], status: str | None) -> dict[str, Any]:
    props: dict[str, Any] = {
        "Name": {"id": "title", "type": "title", "title": [{"type": "text", "plain_text": title}]},
        "Tags": {"id": "t", "type": "multi_select", "multi_select": [{"name": t} for t in tags]},
    }
    if status:
        props["Status"] = {"id": "s", "type": "status", "status": {"name": status}}
    return {"object": "page", "id": pid, "url": f"https://www.notion.so/{title.replace(' ', '-')}-{pid.replace('-', '')}",
            "last_edited_time": "2026-10-17T08:00:00.000Z", "properties": props}  # fmt: skip


PAGES = [
    _page(PAGE_A, "Ingest API 500 errors", ["Known issue"], "Investigating"),
    _page(PAGE_B, "API rate limits FAQ", ["FAQ"], None),
]
BLOCKS = {
    PAGE_A: [
        {"object": "block", "type": "heading_2", "heading_2": {"rich_text": [{"plain_text": "Symptoms"}]}},
        {"object": "block", "type": "paragraph", "paragraph": {"rich_text": [{"plain_text": "1 in 20 calls fail"}]}},
        {
            "object": "block",
            "type": "bulleted_list_item",
            "bulleted_list_item": {"rich_text": [{"plain_text": "Retry"}]},
        },
        {"object": "block", "type": "image", "image": {}},
    ]
}


class FakeNotion(FakeVendor):
    """Notion with two shared pages."""

    base_url = BASE
    token = TOKEN
    page_cap = 100

    def setup(self) -> None:
        self.route(
            "GET",
            r"/v1/users/me",
            lambda r: reply(200, {"object": "user", "id": "bot1", "name": "Escalation KB", "type": "bot"}),
        )
        self.route("POST", r"/v1/search", self.search)
        self.route("GET", r"/v1/blocks/([0-9a-f-]+)/children", self.children)

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        if "notion-version" not in request.headers:
            return reply(400, {"object": "error", "status": 400, "code": "missing_version",
                               "message": "Notion-Version header failed validation"})  # fmt: skip
        return super().handle(request)

    def unauthorized(self) -> httpx2.Response:
        return reply(
            401, {"object": "error", "status": 401, "code": "unauthorized", "message": "API token is invalid."}
        )

    def not_found(self) -> httpx2.Response:
        return reply(
            404, {"object": "error", "status": 404, "code": "object_not_found", "message": "Could not find block"}
        )

    def search(self, request: httpx2.Request) -> httpx2.Response:
        body = body_of(request)
        hits = [p for p in PAGES if words_in(body.get("query", ""), p["properties"]["Name"]["title"][0]["plain_text"])]
        size = min(int(body.get("page_size", 100)), self.page_cap)
        start = int(body.get("start_cursor") or 0)
        chunk, more = hits[start : start + size], start + size < len(hits)
        return reply(200, {"object": "list", "results": chunk, "next_cursor": str(start + size) if more else None,
                           "has_more": more, "type": "page_or_data_source"})  # fmt: skip

    def children(self, request: httpx2.Request, pid: str) -> httpx2.Response:
        if pid not in BLOCKS and pid not in (p["id"] for p in PAGES):
            return self.not_found()
        return reply(200, {"object": "list", "results": BLOCKS.get(pid, []), "next_cursor": None, "has_more": False})


RATE_LIMITED = reply(429, {"object": "error", "status": 429, "code": "rate_limited", "message": "Rate limited",
                           "additional_data": {"rate_limit_reason": "integration"}}, headers={"Retry-After": "1"})  # fmt: skip
