"""HubSpot CRM on the date-versioned APIs (`/crm/objects/2026-09/...`; the numeric `/crm/v3` paths
become unsupported in September 2027): companies, their contacts and open deals.

A company lookup is one search, then its deals and contacts (searched by `associations.company`),
owner and portal fetched at the same time: two round trips instead of six with associations plus
batch reads. The owner (the CSM), the contacts and the portal (only needed for the record's link)
are secondary: when one of them fails the account still comes back, without it, and a warning
says which lookup failed.

ARR is not a standard HubSpot property (`annualrevenue` is firmographic revenue), so its internal
name is configured (`arr_property`), as are plan, renewal and health. Property values arrive as
strings. A daily-limit 429 is final; the 10-second limits are waited out.

`escalate connectors check` reads the token's scopes: a private-app token's (`pat-...`) from
`POST /oauth/v2/private-apps/get/access-token-info`, an OAuth token's from
`GET /oauth/v1/access-tokens/{token}`.

Docs: https://developers.hubspot.com/docs/api-reference/latest/overview (date-based versions),
https://developers.hubspot.com/docs/api-reference/search/guide (search, `associations.company`),
https://developers.hubspot.com/docs/api-reference/crm-crm-owners-v3/guide (owners),
https://developers.hubspot.com/docs/api/usage-details (rate limits),
https://developers.hubspot.com/docs/apps/legacy-apps/private-apps/overview (access-token info),
https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/get-oauth-token-metadata
(OAuth token metadata). Private-app token scopes:
`crm.objects.companies.read`, `crm.objects.deals.read`, `crm.objects.contacts.read`, `crm.objects.owners.read`.
"""

from __future__ import annotations

from collections.abc import Mapping
from threading import Lock
from typing import Any, Literal
from urllib.parse import quote

import httpx2

from connectors.errors import ConnectorError
from connectors.http.adapter import HttpAdapter
from connectors.http.client import HttpSource, VendorError, bearer, concurrently
from connectors.http.retry import Retryable
from connectors.http.settings import BuildContext, HttpSettings
from connectors.records import Account
from connectors.vendors.hubspot import account_record, best_match, company_search, company_url
from connectors.vendors.parse import dig, number, text

_BASE_PROPS = ("name", "domain", "hubspot_owner_id", "lifecyclestage", "annualrevenue")
_DEAL_PROPS = ["dealname", "amount", "dealstage", "closedate", "hs_is_closed"]
_MAX_CONTACTS = 10


class HubSpotSettings(HttpSettings):
    """`[crm] backend = "hubspot"`."""

    backend: Literal["hubspot"] = "hubspot"
    base_url: str = "https://api.hubapi.com"
    token_env: str = "HUBSPOT_ACCESS_TOKEN"
    api_version: str = "2026-09"
    """The date version in every request path (`/crm/objects/{api_version}/...`)."""
    arr_property: str = "arr"
    """Internal name of the company property holding ARR (find it under Settings > Properties)."""
    plan_property: str | None = None
    renewal_property: str | None = None
    health_property: str | None = None
    portal_id: str | None = None
    """Hub id used in record links; looked up via `/account-info/{api_version}/details` when left out."""
    web_url: str | None = None
    """UI root, e.g. `https://app-eu1.hubspot.com`; taken from the account's `uiDomain` by default."""

    def company_properties(self) -> list[str]:
        """Every company property the mapper reads."""
        extra = [self.arr_property, self.plan_property, self.renewal_property, self.health_property]
        return [*_BASE_PROPS, *(p for p in extra if p)]

    def path(self, api: str, resource: str) -> str:
        """A date-versioned path, e.g. `path("crm/objects", "companies/search")`."""
        return f"/{api}/{self.api_version}/{resource}"


def inspect(response: httpx2.Response, body: Any) -> None:
    """A 429 for the daily allowance will not clear by waiting a few seconds: stop."""
    if response.status_code != 429 or not isinstance(body, dict):
        return
    policy = body.get("policyName")
    if policy == "DAILY":
        raise VendorError("rate-limited: the daily API allowance is used up")
    if policy in ("SECONDLY", "TEN_SECONDLY_ROLLING") and "retry-after" not in response.headers:
        interval = number(response.headers.get("x-hubspot-ratelimit-interval-milliseconds"))
        hint = interval / 1000 if interval else (1.0 if policy == "SECONDLY" else 10.0)
        raise Retryable("rate-limited", hint, rate_limited=True)


class HubSpotCRM(HttpAdapter):
    """`CRM` over HubSpot companies."""

    name = "hubspot"
    scopes = (
        "crm.objects.companies.read",
        "crm.objects.deals.read",
        "crm.objects.contacts.read",
        "crm.objects.owners.read",
    )

    def __init__(self, http: HttpSource, settings: HubSpotSettings) -> None:
        self.http = http
        self.settings = settings
        self._lock = Lock()
        self._portal: tuple[str, str] | None = None
        self._owners: dict[str, str | None] = {}
        self._no_links = False
        self.api_version = settings.api_version

    def check(self) -> str:
        """Call the API once; which portal the token belongs to."""
        details = self.http.get(self.settings.path("account-info", "details")) or {}
        return f"portal {details.get('portalId')} ({details.get('accountType', 'account')})"

    def granted_scopes(self) -> tuple[str, ...] | None:
        """The token's scopes: a private-app token (`pat-...`) from its access-token info, an OAuth
        token from its metadata."""
        token = str(self.http.client.headers.get("authorization", "")).removeprefix("Bearer ").strip()
        if token.startswith("pat-"):
            info = self.http.post("/oauth/v2/private-apps/get/access-token-info", {"tokenKey": token})
        else:
            info = self.http.get(f"/oauth/v1/access-tokens/{quote(token, safe='')}")
        return tuple(str(s) for s in (info or {}).get("scopes") or ())

    def _web(self) -> tuple[str, str]:
        with self._lock:
            if self._portal:
                return self._portal
        portal, web = self.settings.portal_id, self.settings.web_url
        if portal is None or web is None:
            details = self.http.get(self.settings.path("account-info", "details")) or {}
            portal = portal or str(details.get("portalId"))
            web = web or f"https://{details.get('uiDomain') or 'app.hubspot.com'}"
        with self._lock:
            self._portal = (portal, web)
        return portal, web

    def _url(self, company_id: object) -> str | None:
        if self._no_links:
            return None
        found = self.secondary("portal details (record links)", self._web, None)
        if found is None:
            self._no_links = True  # asked once per run: a list of accounts must not retry it per row
            return None
        return company_url(found[1], found[0], company_id)

    def find_account(self, name_or_domain: str) -> Account | None:
        """The best-matching company with its open deals, contacts and owner, or None."""
        if not name_or_domain.strip():
            return None
        body = company_search(name_or_domain, self.settings.company_properties(), 10)
        page = self.http.post(self.settings.path("crm/objects", "companies/search"), body) or {}
        found = best_match(page.get("results") or [], name_or_domain)
        if found is None:
            return None
        company_id = str(found["id"])
        owner = dig(found, "properties", "hubspot_owner_id")
        no_contacts: list[Mapping[str, Any]] = []

        def contacts() -> list[Mapping[str, Any]]:
            return self._associated(company_id, "contacts", ["firstname", "lastname", "email"], _MAX_CONTACTS)

        deals, people, csm, url = concurrently(
            lambda: self._associated(company_id, "deals", _DEAL_PROPS, 50),
            lambda: self.secondary("contacts", contacts, no_contacts),
            lambda: self.secondary("owner (CSM) name", lambda: self._owner(owner), None),
            lambda: self._url(company_id),
        )
        return account_record(found, self.settings, url, deals, people, csm)

    def list_accounts(self, plan: str | None = None, limit: int = 100) -> list[Account]:
        """Companies, optionally only those whose plan property equals `plan` (follows `after`)."""
        filters: list[dict[str, Any]] = []
        if plan:
            if not self.settings.plan_property:
                raise ConnectorError(self.name, "listing by plan needs plan_property in escalation.toml [crm]")
            filters = [{"filters": [{"propertyName": self.settings.plan_property, "operator": "EQ", "value": plan}]}]
        body: dict[str, Any] = {
            "filterGroups": filters,
            "properties": self.settings.company_properties(),
            "sorts": [{"propertyName": "name", "direction": "ASCENDING"}],
            "limit": min(max(limit, 1), 200),
        }
        found: list[Mapping[str, Any]] = []
        for _ in range(self.settings.max_pages):
            page = self.http.post(self.settings.path("crm/objects", "companies/search"), body) or {}
            found += page.get("results") or []
            after = dig(page, "paging", "next", "after")
            if len(found) >= limit or not after:
                break
            body = {**body, "after": after}
        return [account_record(c, self.settings, self._url(c["id"])) for c in found[:limit]]

    def _associated(self, company_id: str, kind: str, properties: list[str], cap: int) -> list[Mapping[str, Any]]:
        flt = {"propertyName": "associations.company", "operator": "EQ", "value": company_id}
        body = {"filterGroups": [{"filters": [flt]}], "properties": properties, "limit": cap}
        return list(
            (self.http.post(self.settings.path("crm/objects", f"{kind}/search"), body) or {}).get("results") or []
        )

    def _owner(self, owner_id: object) -> str | None:
        key = str(owner_id or "")
        if not key.isdigit():
            return None
        with self._lock:
            if key in self._owners:
                return self._owners[key]
        owner = self.http.get(self.settings.path("crm/owners", key), missing_ok=True) or {}
        name = " ".join(p for p in (text(owner.get("firstName")), text(owner.get("lastName"))) if p)
        with self._lock:
            self._owners[key] = name or text(owner.get("email"))
            return self._owners[key]


def build(settings: HubSpotSettings, ctx: BuildContext) -> HubSpotCRM:
    """The configured HubSpot connector."""
    http = ctx.source(settings, bearer(ctx.secret(settings.token_env)), inspect=inspect)
    return HubSpotCRM(http, settings)
