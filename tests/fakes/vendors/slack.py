"""Fake Slack Web API: `search.messages` (user token only; cursor `*` then `next_cursor`, empty
string = end), `conversations.replies`/`history`, `auth.test`, `chat.postMessage` (bot token,
`not_in_channel` for unknown channels), errors inside HTTP 200 as `{"ok": false, "error": ...}`."""

from __future__ import annotations

import time
from typing import Any, ClassVar

import httpx2

from tests.fakes.vendors.base import FakeVendor, body_of, reply, words_in

BASE = "https://slack.com/api"
USER_TOKEN = "xoxp-user-secret-1234"
BOT_TOKEN = "xoxb-bot-secret-5678"
WORKSPACE = "https://acme.slack.com/"
CHANNELS = {"C0SUPPORT": "support-escalations", "C0ENG": "eng-backend"}


def _msg(channel: str, ts: str, user: str, text: str, thread_ts: str | None = None) -> dict[str, Any]:
    link = f"{WORKSPACE}archives/{channel}/p{ts.replace('.', '')}"
    if thread_ts and thread_ts != ts:
        link += f"?thread_ts={thread_ts}&cid={channel}"
    return {"type": "message", "ts": ts, "user": user, "username": user, "text": text,
            "channel": {"id": channel, "name": CHANNELS[channel]}, "permalink": link}  # fmt: skip


MESSAGES = [
    _msg("C0ENG", "1792407000.000100", "maria", "Ingest API 500 errors spiking for several tenants since deploy 4411"),
    _msg("C0SUPPORT", "1792406000.000200", "sam", "Acme reports API 500 errors on POST /v1/ingest, see ticket 1042"),
    _msg(
        "C0ENG", "1792408000.000300", "devon", "Rolled back deploy 4411, API 500 errors dropping", "1792407000.000100"
    ),
    _msg("C0SUPPORT", "1791536000.000400", "sam", "Export job finished for Globex"),
]
THREAD = [
    {"type": "message", "ts": "1792407000.000100", "thread_ts": "1792407000.000100", "user": "U1", "text": "spike", "reply_count": 2},
    {"type": "message", "ts": "1792407500.000200", "thread_ts": "1792407000.000100", "user": "U2", "text": "looking"},
    {"type": "message", "ts": "1792408000.000300", "thread_ts": "1792407000.000100", "user": "U3", "text": "rolled back"},
]  # fmt: skip


class FakeSlack(FakeVendor):
    """Slack with four searchable messages and one thread."""

    base_url = BASE
    token = USER_TOKEN
    count_cap = 100
    history_cap = 15
    """Messages per `conversations.history`/`replies` call, as Slack serves a non-Marketplace app."""
    scopes: ClassVar[dict[str, str]] = {
        USER_TOKEN: "search:read,channels:history,groups:history",
        BOT_TOKEN: "chat:write,channels:history",
    }
    """What each token was granted, sent back in `X-OAuth-Scopes` as Slack does."""

    def setup(self) -> None:
        self.posted: list[dict[str, Any]] = []
        self.route(
            "GET",
            r"/api/auth\.test",
            lambda r: self.ok({"url": WORKSPACE, "team": "Acme", "user": "sam", "team_id": "T1"}),
        )
        self.route("GET", r"/api/search\.messages", self.search)
        self.route("GET", r"/api/conversations\.replies", self.replies)
        self.route("GET", r"/api/conversations\.history", self.history)
        self.route("POST", r"/api/chat\.postMessage", self.post)
        self.route("GET", r"/api/chat\.getPermalink", self.permalink)

    def authorized(self, request: httpx2.Request) -> bool:
        return request.headers.get("authorization") in (f"Bearer {USER_TOKEN}", f"Bearer {BOT_TOKEN}")

    def unauthorized(self) -> httpx2.Response:
        return reply(200, {"ok": False, "error": "invalid_auth"})

    def not_found(self) -> httpx2.Response:
        return reply(200, {"ok": False, "error": "unknown_method"})

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        response = super().handle(request)
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token in self.scopes:
            response.headers["X-OAuth-Scopes"] = self.scopes[token]
        return response

    @staticmethod
    def ok(body: dict[str, Any]) -> httpx2.Response:
        return reply(200, {"ok": True, **body})

    def search(self, request: httpx2.Request) -> httpx2.Response:
        if request.headers["authorization"] != f"Bearer {USER_TOKEN}":
            return reply(200, {"ok": False, "error": "not_allowed_token_type"})
        query = " ".join(w for w in request.url.params["query"].split() if not w.startswith("in:"))
        hits = sorted((m for m in MESSAGES if words_in(query, m["text"])), key=lambda m: m["ts"], reverse=True)
        count = min(int(request.url.params.get("count", 20)), self.count_cap)
        cursor = request.url.params.get("cursor", "*")
        start = 0 if cursor == "*" else int(cursor)
        chunk, more = hits[start : start + count], start + count < len(hits)
        paging = {"count": count, "total": len(hits), "page": start // count + 1, "pages": -(-len(hits) // count)}
        return self.ok({"query": request.url.params["query"], "messages": {"total": len(hits), "matches": chunk, "paging": paging},
                        "response_metadata": {"next_cursor": str(start + count) if more else ""}})  # fmt: skip

    def replies(self, request: httpx2.Request) -> httpx2.Response:
        limit = min(int(request.url.params.get("limit", 15)), self.history_cap)
        start = int(request.url.params.get("cursor") or 0)
        chunk, more = THREAD[start : start + limit], start + limit < len(THREAD)
        return self.ok(
            {
                "messages": chunk,
                "has_more": more,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""},
            }
        )

    def history(self, request: httpx2.Request) -> httpx2.Response:
        channel = request.url.params.get("channel")
        if channel not in CHANNELS:
            return reply(200, {"ok": False, "error": "channel_not_found"})
        oldest = float(request.url.params.get("oldest") or 0)
        mine = [p for p in reversed(self.posted) if p["channel"] == channel and float(p["ts"]) >= oldest]
        limit = min(int(request.url.params.get("limit", 100)), self.history_cap)
        start = int(request.url.params.get("cursor") or 0)
        chunk, more = mine[start : start + limit], start + limit < len(mine)
        cursor = str(start + limit) if more else ""
        return self.ok({"messages": chunk, "has_more": more, "response_metadata": {"next_cursor": cursor}})

    def post(self, request: httpx2.Request) -> httpx2.Response:
        if request.headers["authorization"] != f"Bearer {BOT_TOKEN}":
            return reply(
                200, {"ok": False, "error": "missing_scope", "needed": "chat:write", "provided": "search:read"}
            )
        body = body_of(request)
        if body.get("channel") not in CHANNELS:
            return reply(200, {"ok": False, "error": "not_in_channel"})
        # Posted "now" (the poster's duplicate check reads only recent history), one second apart.
        ts = f"{int(time.time()) + len(self.posted)}.000100"
        message = {"type": "message", "ts": ts, "text": body.get("text", ""), "blocks": body.get("blocks", []),
                   "bot_id": "B1", "channel": body["channel"]}  # fmt: skip
        self.posted.append(message)
        return self.ok({"channel": body["channel"], "ts": ts, "message": message})

    def permalink(self, request: httpx2.Request) -> httpx2.Response:
        channel, ts = request.url.params.get("channel", ""), request.url.params.get("message_ts", "")
        if channel not in CHANNELS:
            return reply(200, {"ok": False, "error": "channel_not_found"})
        return self.ok({"channel": channel, "permalink": f"{WORKSPACE}archives/{channel}/p{ts.replace('.', '')}"})


RATELIMITED = reply(429, {"ok": False, "error": "ratelimited"}, headers={"Retry-After": "3"})
