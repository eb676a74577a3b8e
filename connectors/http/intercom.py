"""Intercom REST API (`Intercom-Version: 2.14` by default): conversations as tickets, contacts,
companies, search.

Conversation search matches single words in `source.body`/`source.subject`, so the request text is
reduced to a few keywords OR'd together. A customer is found through `GET /companies?name=` (exact
name), else by listing companies (`POST /companies/list`) for a name that contains it, then its
attached contacts filter the search. Timestamps are UNIX seconds; bodies are HTML. Inbox links need
the workspace id (`GET /me` when not configured): if that lookup fails, conversations come back
without links, with a warning. A conversation's tracker keys are those its messages mention.
Access token permissions: "Read conversations", "Read and list users and companies", "Read admins".

Docs: https://developers.intercom.com/docs/references/2.14/rest-api/api.intercom.io/conversations/searchconversations ·
https://developers.intercom.com/docs/references/2.14/rest-api/api.intercom.io/conversations/retrieveconversation ·
https://developers.intercom.com/docs/references/2.14/rest-api/api.intercom.io/companies/listallcompanies ·
https://developers.intercom.com/docs/references/2.14/rest-api/api.intercom.io/companies/retrievecompany ·
https://developers.intercom.com/docs/references/rest-api/errors/rate-limiting
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime
from threading import Lock
from typing import Any, Literal

from connectors.http.adapter import HttpAdapter
from connectors.http.client import HttpSource, bearer
from connectors.http.settings import BuildContext, HttpSettings
from connectors.records import Comment, Ticket
from connectors.vendors.intercom import conversation_comments, conversation_ticket, conversation_url, search_body
from connectors.vendors.parse import dig, keywords, text

_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_MAX_CONTACTS = 15  # filters per group are capped at 15


class IntercomSettings(HttpSettings):
    """`[support] backend = "intercom"`."""

    backend: Literal["intercom"] = "intercom"
    base_url: str = "https://api.intercom.io"
    token_env: str = "INTERCOM_ACCESS_TOKEN"
    api_version: str = "2.14"
    workspace_id: str | None = None
    """Workspace (app) id used in inbox links; looked up via `GET /me` when left out."""
    web_url: str = "https://app.intercom.com"


class IntercomSupport(HttpAdapter):
    """`SupportPlatform` over Intercom conversations."""

    name = "intercom"
    scopes = ("Read conversations", "Read and list users and companies", "Read admins")

    def __init__(self, http: HttpSource, settings: IntercomSettings) -> None:
        self.http = http
        self.settings = settings
        self._lock = Lock()
        self._workspace = settings.workspace_id
        self._recent: OrderedDict[str, Mapping[str, Any]] = OrderedDict()
        self.api_version = settings.api_version

    def check(self) -> str:
        """Call the API once; the admin and workspace the token belongs to."""
        me = self.http.get("/me") or {}
        return f"authenticated as {me.get('name')} in {dig(me, 'app', 'name') or 'workspace'}"

    def _url(self, conversation_id: object) -> str | None:
        with self._lock:
            workspace = self._workspace
        if workspace == "":
            return None  # the lookup failed earlier in this run; not retried per conversation
        if workspace is None:
            found = self.secondary(
                "workspace id (inbox links)", lambda: dig(self.http.get("/me"), "app", "id_code"), None
            )
            workspace = "" if found is None else str(found)
            with self._lock:
                self._workspace = workspace
        return conversation_url(self.settings.web_url, workspace, conversation_id) if workspace else None

    def _conversation(self, conversation_id: str) -> Mapping[str, Any] | None:
        with self._lock:
            if conversation_id in self._recent:
                return self._recent[conversation_id]
        raw = self.http.get(f"/conversations/{conversation_id}", params={"display_as": "plaintext"}, missing_ok=True)
        if raw and raw.get("id") is not None:
            with self._lock:
                self._recent[conversation_id] = raw
                while len(self._recent) > 32:
                    self._recent.popitem(last=False)
        return raw or None

    def get_ticket(self, ticket_id: str) -> Ticket | None:
        """The conversation as a ticket, or None."""
        raw = self._conversation(ticket_id) if _ID.match(ticket_id) else None
        return conversation_ticket(raw, self._url(raw["id"])) if raw else None

    def ticket_comments(self, ticket_id: str) -> list[Comment]:
        """The conversation's messages and notes, oldest first (Intercom returns up to 500 parts)."""
        raw = self._conversation(ticket_id) if _ID.match(ticket_id) else None
        return conversation_comments(raw, self._url(raw["id"])) if raw else []

    def _company(self, customer: str) -> Mapping[str, Any] | None:
        """The company named exactly, else the first whose name contains `customer` (listed)."""
        company = self.http.get("/companies", params={"name": customer}, missing_ok=True)
        if company and company.get("id") is not None:
            return dict(company)
        wanted = customer.strip().lower()
        params: dict[str, Any] = {"per_page": 60, "page": 1}
        for _ in range(self.settings.max_pages):
            listing = self.http.request("POST", "/companies/list", params=params) or {}
            for item in listing.get("data") or ():
                if wanted and wanted in str(item.get("name") or "").lower():
                    return dict(item)
            if not dig(listing, "pages", "next"):
                return None
            params = {**params, "page": params["page"] + 1}
        return None

    def _company_contacts(self, customer: str) -> tuple[str | None, list[str]]:
        if "@" in customer:  # a person's email: their own conversations
            query = {"query": {"field": "email", "operator": "=", "value": customer.strip()}}
            found = (self.http.post("/contacts/search", query) or {}).get("data") or []
            return None, [str(c["id"]) for c in found[:_MAX_CONTACTS] if c.get("id") is not None]
        company = self._company(customer)
        if not company:
            return None, []
        listing = self.http.get(f"/companies/{company['id']}/contacts", params={"per_page": 50}) or {}
        ids = [str(c["id"]) for c in listing.get("data") or () if c.get("id") is not None]
        return text(company.get("name")), ids[:_MAX_CONTACTS]

    def search_tickets(
        self,
        text: str | None = None,
        customer: str | None = None,
        since: datetime | None = None,
        limit: int = 20,
    ) -> list[Ticket]:
        """Conversations matching any keyword, for the customer's contacts, newest first."""
        account: str | None = None
        contact_ids: list[str] = []
        if customer:
            account, contact_ids = self._company_contacts(customer)
            if not contact_ids:
                return []
        body = search_body(keywords(text or "", limit=3), contact_ids, since, limit)
        found: list[Mapping[str, Any]] = []
        for _ in range(self.settings.max_pages):
            page = self.http.post("/conversations/search", body) or {}
            found += page.get("conversations") or []
            after = dig(page, "pages", "next", "starting_after")
            if len(found) >= limit or not after:
                break
            body = {**body, "pagination": {**body["pagination"], "starting_after": after}}
        found.sort(key=lambda c: c.get("created_at") or 0, reverse=True)
        tickets = [conversation_ticket(c, self._url(c["id"]), account) for c in found[:limit]]
        return [t for t in tickets if since is None or t.created_at >= since]


def build(settings: IntercomSettings, ctx: BuildContext) -> IntercomSupport:
    """The configured Intercom connector."""
    auth = bearer(ctx.secret(settings.token_env))
    http = ctx.source(settings, auth, extra_headers={"Intercom-Version": settings.api_version})
    return IntercomSupport(http, settings)
