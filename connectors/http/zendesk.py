"""Zendesk Support (`/api/v2`): tickets, comments, audits, users, organizations and search.

Auth is `Basic {email}/token:{api_token}` when `email` is set, else `Bearer {oauth_token}`.
Names of requesters, authors and organizations come sideloaded (`include=`), with `show_many`
as the fallback. Search is eventually consistent (new tickets appear after a minute or two) and capped at 1,000
results; the free text is reduced to its three most distinctive words because Zendesk ANDs terms.
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
from connectors.vendors.parse import dig
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

    def __init__(self, http: HttpSource, settings: ZendeskSettings) -> None:
        self.http = http
        self.settings = settings
        self.ui = ui_root(settings)
        self._lock = Lock()
        self._users: dict[int, Mapping[str, Any]] = {}
        self._orgs: dict[int, Mapping[str, Any]] = {}

    def check(self) -> str:
        """Call the API once; who we are authenticated as."""
        me = self.http.get("/users/me") or {}
        user = me.get("user") or {}
        if user.get("id") is None:
            raise ConnectorError(self.name, "not authenticated (Zendesk answered as an anonymous user)")
        return f"authenticated as {user.get('name')} ({user.get('role')})"

    def get_ticket(self, ticket_id: str) -> Ticket | None:
        """The ticket, with requester and organization names (sideloaded), or None."""
        if not _ID.match(ticket_id):
            return None
        params = {"include": "users,organizations,slas"}
        body = self.http.get(f"/tickets/{ticket_id}", params=params, missing_ok=True)
        if not body or "ticket" not in body:
            return None
        self._remember(body)
        raw = body["ticket"]
        users, orgs = self._people([raw.get("requester_id")], [raw.get("organization_id")])
        return ticket_record(raw, users, orgs, self.ui)

    def ticket_comments(self, ticket_id: str) -> list[Comment]:
        """Comments (and, when allowed, status/priority changes), oldest first."""
        if not _ID.match(ticket_id):
            return []
        raw_comments, raw_audits = concurrently(
            lambda: self._cursor_pages(f"/tickets/{ticket_id}/comments", "comments"),
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
        try:
            return self._cursor_pages(f"/tickets/{ticket_id}/audits", "audits")
        except ConnectorError as exc:  # audits need a broader scope; comments still stand
            log.info("zendesk audits skipped: %s", exc.message)
            return []

    def search_tickets(
        self,
        text: str | None = None,
        customer: str | None = None,
        since: datetime | None = None,
        limit: int = 20,
    ) -> list[Ticket]:
        """Tickets matching the words and/or organization, newest first (follows `next_page`)."""
        params: dict[str, Any] | None = {
            "query": search_query(text, customer, since),
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
        found = found[:limit]
        users, orgs = self._people([t.get("requester_id") for t in found], [t.get("organization_id") for t in found])
        tickets = [ticket_record(t, users, orgs, self.ui) for t in found]
        return [t for t in tickets if since is None or t.created_at >= since]

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
        """Users and organizations by id; any not sideloaded yet are fetched with `show_many`."""
        self._fetch("users", self._users, user_ids)
        self._fetch("organizations", self._orgs, org_ids)
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
