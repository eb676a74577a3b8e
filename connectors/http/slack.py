"""Slack Web API: `search.messages` (user token, `search:read`) and `conversations.replies`.

`search.messages` matches only messages holding every word of the query, so a search sends the
request's three key terms together and, when they find fewer than three messages, each term alone,
merging the hits and ranking them by terms matched (`connectors.http.terms`). Slack has no filter
for a customer, so a customer's name is left to the caller's words.

App type matters: search works only with a user token (xoxp-, scope `search:read`); reading threads
and channel history needs `channels:history` (public) and `groups:history` (private). For a
commercially distributed app not approved for the Slack Marketplace, `conversations.history` and
`conversations.replies` return at most 15 messages and allow one call a minute; internal (single-
workspace) apps are not limited. So those calls page 15 at a time with an `oldest` bound.

Slack reports most failures inside HTTP 200 as `{"ok": false, "error": ...}`; `inspect` turns
those into retries (`ratelimited`) or final errors. Every response names the token's scopes in
`X-OAuth-Scopes`, which `escalate connectors check` compares with what is needed. Posting lives in
`agent.act.actions`, with a bot token (`chat:write`).

Docs: https://api.slack.com/methods/search.messages · https://slack.com/help/articles/202528808 (search
modifiers) · https://api.slack.com/methods/conversations.replies ·
https://api.slack.com/methods/conversations.history · https://api.slack.com/apis/rate-limits ·
https://api.slack.com/changelog/2025-05-terms-rate-limit-update-and-faq
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from threading import Lock
from typing import Any, Literal

import httpx2
from pydantic import Field

from connectors.http.adapter import HttpAdapter
from connectors.http.client import HttpSource, VendorError, bearer
from connectors.http.retry import Retryable
from connectors.http.settings import BuildContext, HttpSettings
from connectors.http.terms import search_by_terms
from connectors.records import ChatMessage
from connectors.vendors.parse import dig, key_terms
from connectors.vendors.slack import match_record, reply_record, search_query

FALLBACK_WORKSPACE = "https://slack.com"
"""Thread links fall back to this root (Slack redirects to the workspace) when `auth.test` fails."""
HISTORY_PAGE = 15
"""Messages per `conversations.replies`/`history` call: the most a non-Marketplace commercial app gets."""
_AUTH_ERRORS = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"})
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
_TS = re.compile(r"^\d{1,12}\.\d{1,8}$")


class SlackSettings(HttpSettings):
    """`[chat] backend = "slack"`."""

    backend: Literal["slack"] = "slack"
    base_url: str = "https://slack.com/api"
    token_env: str = "SLACK_USER_TOKEN"
    """A user token (xoxp-) with `search:read`: Slack offers message search to user tokens only."""
    bot_token_env: str | None = None
    """Bot token (xoxb-) with `chat:write` and `channels:history`, for `escalate act post-chat`;
    defaults to `token_env`."""
    channels: list[str] = Field(default_factory=list)
    """Restrict search to these channel names (without `#`)."""
    post_channel: str | None = None
    """Channel ID (C...) where `escalate act post-chat` posts."""
    workspace_url: str | None = None
    """e.g. `https://acme.slack.com`; looked up with `auth.test` when needed."""
    history_days: float = Field(7.0, gt=0, le=90)
    """How far back `escalate act post-chat` looks for an earlier post of the same brief."""


def inspect(_response: httpx2.Response, body: Any) -> None:
    """Errors that Slack sends inside HTTP 200 (and 429) bodies."""
    if not isinstance(body, dict) or body.get("ok") is not False:
        return
    error = str(body.get("error") or "unknown_error")
    if error == "ratelimited":
        raise Retryable("rate-limited", rate_limited=True)
    if error in _AUTH_ERRORS:
        raise VendorError(f"authentication failed: {error}")
    if error == "missing_scope":
        raise VendorError(f"missing_scope: the token needs {body.get('needed') or 'another scope'}")
    raise VendorError(error)


class SlackChat(HttpAdapter):
    """`Chat` over Slack search."""

    name = "slack"
    api_version = "Web API"
    scopes = ("search:read", "channels:history", "groups:history")

    def __init__(self, http: HttpSource, settings: SlackSettings) -> None:
        self.http = http
        self.settings = settings
        self._lock = Lock()
        self._workspace = settings.workspace_url

    def check(self) -> str:
        """Call the API once (`auth.test`); who the token belongs to."""
        me = self.http.get("/auth.test") or {}
        return f"authenticated as {me.get('user')} in {me.get('team')}"

    def search_messages(self, query: str, limit: int = 20) -> list[ChatMessage]:
        """Messages matching the query's key terms, those matching the most first, then newest:
        Slack ANDs a query's words, so when the terms together find too few, each is searched alone."""
        terms = key_terms(query, limit=3)
        found = search_by_terms(
            terms,
            lambda words: self._search(words, limit),
            lambda m: f"{dig(m, 'channel', 'id')}:{m.get('ts')}",
            lambda m: str(m.get("text") or ""),
            limit,
        )
        return [match_record(m) for m in found]

    def _search(self, words: list[str], limit: int) -> list[Mapping[str, Any]]:
        """Raw matches of one `search.messages` query, newest first (follows `next_cursor`)."""
        q = search_query(" ".join(words), self.settings.channels)
        if not q:
            return []
        params = {"query": q, "count": min(max(limit, 1), 100), "sort": "timestamp", "sort_dir": "desc", "cursor": "*"}
        found: list[Mapping[str, Any]] = []
        for _ in range(self.settings.max_pages):
            body = self.http.get("/search.messages", params=params) or {}
            found += dig(body, "messages", "matches") or []
            cursor = dig(body, "response_metadata", "next_cursor")
            if len(found) >= limit or not cursor:
                break
            params = {**params, "cursor": cursor}
        return found[:limit]

    def replies(self, channel_id: str, thread_ts: str, limit: int = 50) -> list[ChatMessage]:
        """A thread (parent first) via `conversations.replies`, following cursors."""
        if not _CHANNEL_ID.match(channel_id) or not _TS.match(thread_ts):
            return []
        params: dict[str, Any] = {"channel": channel_id, "ts": thread_ts, "limit": HISTORY_PAGE}
        found: list[Mapping[str, Any]] = []
        for _ in range(self.settings.max_pages):
            body = self.http.get("/conversations.replies", params=params) or {}
            found += body.get("messages") or []
            cursor = dig(body, "response_metadata", "next_cursor")
            if len(found) >= limit or not cursor:
                break
            params = {**params, "cursor": cursor}
        workspace = self.secondary("workspace URL (message links)", self._workspace_url, FALLBACK_WORKSPACE)
        with self._lock:
            self._workspace = workspace  # a failed lookup is not retried for every thread
        return [reply_record(m, channel_id, workspace) for m in found[:limit]]

    def _workspace_url(self) -> str:
        with self._lock:
            if self._workspace:
                return self._workspace
        url = str((self.http.get("/auth.test") or {}).get("url") or FALLBACK_WORKSPACE)
        with self._lock:
            self._workspace = url
        return url


def build(settings: SlackSettings, ctx: BuildContext) -> SlackChat:
    """The configured Slack connector (reads with the user token)."""
    return SlackChat(ctx.source(settings, bearer(ctx.secret(settings.token_env)), inspect=inspect), settings)
