"""Zendesk Support API v2 (`/api/v2`): tickets, comments, audits, users, organizations and search.

Auth is `Basic {email}/token:{api_token}` when `email` is set, else `Bearer {oauth_token}` (OAuth
scopes `tickets:read users:read organizations:read`, plus `read` for audits). Names of requesters,
authors and organizations come sideloaded (`include=`), with `show_many` as the fallback; names and
audits are secondary, so when they fail tickets and comments still come back (without names, or
without status changes) and a warning says so. `get_ticket` reads the comments with the ticket, so
the tracker keys an internal note mentions are on the ticket (and `ticket_comments` reuses them).

Search is eventually consistent (new tickets appear after a minute or two), capped at 1,000 results,
and ANDs its words: the customer goes in as an `organization:` filter, the first three keywords as
one query, and when that finds nothing, one query per keyword, merged and ranked by how many
keywords each ticket matches.

`escalate connectors check` reads an OAuth token's scopes from `GET /oauth/tokens/current` (the
token making the request); API tokens have no scopes, the agent's role applies.

Docs: https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/ ·
https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_comments/ ·
https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_audits/ ·
https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/ ·
https://developer.zendesk.com/documentation/ticketing/using-the-zendesk-api/side_loading/ ·
https://developer.zendesk.com/api-reference/introduction/pagination/ ·
https://developer.zendesk.com/api-reference/ticketing/oauth/oauth_tokens/#show-token ·
https://developer.zendesk.com/documentation/api-basics/authentication/viewing-oauth-tokens
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from datetime import datetime
from threading import Lock
from typing import Any, Literal

from connectors.errors import ConnectorError
from connectors.http.adapter import HttpAdapter
from connectors.http.client import HttpSource, basic, bearer, concurrently
from connectors.http.settings import BuildContext, HttpSettings
from connectors.records import Comment, Ticket
from connectors.vendors.parse import dig, keywords, term_hits
from connectors.vendors.zendesk import UserMap, audit_records, comment_record, search_query, ticket_record

log = logging.getLogger(__name__)

_ID = re.compile(r"^\d{1,19}$")


class ZendeskSettings(HttpSettings):
    """`[support] backend = "zendesk"`."""

    backend: Literal["zendesk"] = "zendesk"
    token_env: str = "ZENDESK_API_TOKEN"
    email: str | None = None
    """Agent email for API-token auth; leave out when the token is an OAuth access token."""
    web_url: str | None = None
    """Agent UI root; defaults to `base_url` without `/api/v2`."""
    include_audits: bool = True
    """Add status and priority changes from the audit log to the timeline (needs `read` scope)."""


def ui_root(settings: ZendeskSettings) -> str:
    """Where ticket links point: `https://{subdomain}.zendesk.com`."""
    return (settings.web_url or re.sub(r"/api/v2/?$", "", settings.base_url)).rstrip("/")


class ZendeskSupport(HttpAdapter):
    """`SupportPlatform` over the Zendesk Support API."""

    name = "zendesk"
    api_version = "v2"
    scopes = ("tickets:read", "users:read", "organizations:read", "read (audits)")

    def __init__(self, http: HttpSource, settings: ZendeskSettings) -> None:
        self.http = http
        self.settings = settings
        self.ui = ui_root(settings)
        self._lock = Lock()
        self._users: dict[int, Mapping[str, Any]] = {}
        self._orgs: dict[int, Mapping[str, Any]] = {}
        self._timelines: dict[str, list[Mapping[str, Any]]] = {}
        """Raw comments read by `get_ticket`, handed once to the `ticket_comments` that follows it."""

    def check(self) -> str:
        """Call the API once; who we are authenticated as."""
        me = self.http.get("/users/me") or {}
        user = me.get("user") or {}
        if user.get("id") is None:
            raise ConnectorError(self.name, "not authenticated (Zendesk answered as an anonymous user)")
        return f"authenticated as {user.get('name')} ({user.get('role')})"

    def granted_scopes(self) -> tuple[str, ...] | None:
        """With OAuth, the scopes of the token in use (`GET /oauth/tokens/current`); `read` grants
        every `*:read` scope. API tokens carry none (None)."""
        if self.settings.email:
            return None
        scopes = {str(s) for s in dig(self.http.get("/oauth/tokens/current.json"), "token", "scopes") or ()}
        if "read" in scopes:
            scopes |= {s for s in self.scopes if s.endswith(":read")}
        return tuple(sorted(scopes))

    def unreported_scopes(self) -> str:
        """API tokens carry no scopes: the agent's role decides what they read."""
        if self.settings.email:
            return "API tokens report no scopes (the agent's role applies)"
        return super().unreported_scopes()

    def get_ticket(self, ticket_id: str) -> Ticket | None:
        """The ticket, with requester and organization names (sideloaded), or None."""
        if not _ID.match(ticket_id):
            return None
        params = {"include": "users,organizations,slas"}
        body, timeline = concurrently(
            lambda: self.http.get(f"/tickets/{ticket_id}", params=params, missing_ok=True),
            lambda: self._cursor_pages(f"/tickets/{ticket_id}/comments", "comments"),
        )
        if not body or "ticket" not in body:
            return None
        self._remember(body)
        with self._lock:
            self._timelines[ticket_id] = timeline
        raw = body["ticket"]
        users, orgs = self._people([raw.get("requester_id")], [raw.get("organization_id")])
        return ticket_record(raw, users, orgs, self.ui, timeline)

    def ticket_comments(self, ticket_id: str) -> list[Comment]:
        """Comments (and, when allowed, status/priority changes), oldest first."""
        if not _ID.match(ticket_id):
            return []
        with self._lock:
            read = self._timelines.pop(ticket_id, None)
        raw_comments, raw_audits = concurrently(
            lambda: read if read is not None else self._cursor_pages(f"/tickets/{ticket_id}/comments", "comments"),
            lambda: self._audits(ticket_id),
        )
        author_ids = [c.get("author_id") for c in raw_comments] + [a.get("author_id") for a in raw_audits]
        users, _ = self._people(author_ids, [])
        timeline = [comment_record(c, ticket_id, users, self.ui) for c in raw_comments]
        for audit in raw_audits:
            timeline += audit_records(audit, ticket_id, users, self.ui)
        return sorted(timeline, key=lambda c: c.created_at)

    def _audits(self, ticket_id: str) -> list[Mapping[str, Any]]:
        if not self.settings.include_audits:
            return []
        no_audits: list[Mapping[str, Any]] = []
        # Audits need the broader `read` scope; comments stand without them.
        return self.secondary(
            "status changes (audits)", lambda: self._cursor_pages(f"/tickets/{ticket_id}/audits", "audits"), no_audits
        )

    def search_tickets(
        self,
        text: str | None = None,
        customer: str | None = None,
        since: datetime | None = None,
        limit: int = 20,
    ) -> list[Ticket]:
        """Tickets matching the words and/or organization: those matching most words first, then
        newest first (follows `next_page`)."""
        words = keywords(text or "", limit=3)
        found = self._search(search_query(text, customer, since, words), limit)
        if len(words) > 1 and not found:
            # Zendesk ANDs words: a ticket worded differently misses the whole query, so then each
            # word is searched alone and the union ranked.
            per_word = concurrently(
                *(lambda w=w: self._search(search_query(text, customer, since, [w]), limit) for w in words)
            )
            found = list({hit.get("id"): hit for hits in per_word for hit in hits}.values())
        found.sort(key=lambda t: str(t.get("created_at") or ""), reverse=True)
        found.sort(key=lambda t: -term_hits(words, str(t.get("subject") or ""), str(t.get("description") or "")))
        found = found[:limit]
        users, orgs = self._people([t.get("requester_id") for t in found], [t.get("organization_id") for t in found])
        tickets = [ticket_record(t, users, orgs, self.ui) for t in found]
        return [t for t in tickets if since is None or t.created_at >= since]

    def _search(self, query: str, limit: int) -> list[Mapping[str, Any]]:
        """Raw ticket hits of one search query, newest first, following `next_page`."""
        params: dict[str, Any] | None = {
            "query": query,
            "sort_by": "created_at",
            "sort_order": "desc",
            "per_page": min(max(limit, 1), 100),
            "include": "tickets(users,organizations)",
        }
        url, found = "/search.json", []
        for _ in range(self.settings.max_pages):
            body = self.http.get(url, params=params) or {}
            self._remember(body)
            found += [r for r in body.get("results") or () if r.get("result_type", "ticket") == "ticket"]
            next_page = body.get("next_page")
            if len(found) >= limit or not next_page:
                break
            url, params = self.http.url(next_page), None
        return found[:limit]

    def _cursor_pages(self, path: str, key: str) -> list[Mapping[str, Any]]:
        items: list[Mapping[str, Any]] = []
        url: str = path
        params: dict[str, Any] | None = {"page[size]": 100, "include": "users"}
        for _ in range(self.settings.max_pages):
            body = self.http.get(url, params=params, missing_ok=True) or {}
            self._remember(body)
            items += body.get(key) or []
            next_link = dig(body, "links", "next")
            if not dig(body, "meta", "has_more") or not next_link:
                break
            url, params = self.http.url(next_link), None  # the link carries its own query
        return items

    def _remember(self, body: Mapping[str, Any]) -> None:
        """Keep sideloaded users and organizations, so names rarely cost a request."""
        with self._lock:
            for user in body.get("users") or ():
                self._users[user["id"]] = user
            for org in body.get("organizations") or ():
                self._orgs[org["id"]] = org

    def _people(self, user_ids: list[Any], org_ids: list[Any]) -> tuple[UserMap, UserMap]:
        """Users and organizations by id; any not sideloaded yet are fetched with `show_many` (when
        that fails, records come without those names)."""
        self.secondary("requester and author names", lambda: self._fetch("users", self._users, user_ids), None)
        self.secondary("organization names", lambda: self._fetch("organizations", self._orgs, org_ids), None)
        with self._lock:
            return dict(self._users), dict(self._orgs)

    def _fetch(self, kind: str, cache: dict[int, Mapping[str, Any]], ids: list[Any]) -> None:
        with self._lock:
            wanted = sorted({i for i in ids if isinstance(i, int) and i not in cache})
        for start in range(0, len(wanted), 100):
            chunk = ",".join(str(i) for i in wanted[start : start + 100])
            body = self.http.get(f"/{kind}/show_many", params={"ids": chunk}) or {}
            with self._lock:
                for item in body.get(kind) or ():
                    cache[item["id"]] = item


def build(settings: ZendeskSettings, ctx: BuildContext) -> ZendeskSupport:
    """The configured Zendesk connector."""
    token = ctx.secret(settings.token_env)
    auth = basic(f"{settings.email}/token", token) if settings.email else bearer(token)
    return ZendeskSupport(ctx.source(settings, auth), settings)
