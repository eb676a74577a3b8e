"""Fake HubSpot CRM API on its date-versioned paths (`/crm/objects/2026-09/...`): object search (filterGroups OR'd, filters AND'd; EQ, CONTAINS_TOKEN and
the `associations.company` pseudo-property), string-typed properties, `paging.next.after` (absent
on the last page), owners, account info, `X-HubSpot-RateLimit-*` headers, the error envelope."""

from __future__ import annotations

from typing import Any, ClassVar

import httpx2

from tests.fakes.vendors.base import FakeVendor, body_of, reply

BASE = "https://api.hubapi.com"
TOKEN = "pat-na1-hubspot-secret-42"
PORTAL = 62515

COMPANIES: dict[str, dict[str, Any]] = {
    "101": {"name": "Acme Corp", "domain": "acme.example", "arr": "240000", "plan": "Enterprise",
            "renewal_date": "2027-01-31", "hubspot_owner_id": "77", "annualrevenue": "90000000"},
    "102": {"name": "Globex", "domain": "globex.example", "arr": "36000.50", "plan": "Business",
            "renewal_date": "", "hubspot_owner_id": None},
    "103": {"name": "Acme Labs", "domain": "acmelabs.example", "arr": "12000", "plan": "Starter"},
}  # fmt: skip
DEALS = {
    "901": {"dealname": "Acme expansion", "amount": "60000", "dealstage": "contractsent",
            "closedate": "2026-12-15T00:00:00Z", "hs_is_closed": "false"},
    "902": {"dealname": "Acme 2025 renewal", "amount": "200000", "dealstage": "closedwon",
            "closedate": "2025-01-31T00:00:00Z", "hs_is_closed": "true"},
}  # fmt: skip
CONTACTS = {"501": {"firstname": "Dana", "lastname": "Smith", "email": "dana@acme.example"}}
ASSOCIATIONS = {("101", "deals"): ["901", "902"], ("101", "contacts"): ["501"]}
OWNERS = {"77": {"id": "77", "firstName": "Priya", "lastName": "Patel", "email": "priya@vendor.example"}}


def _obj(oid: str, props: dict[str, Any], wanted: list[str] | None = None) -> dict[str, Any]:
    shown = {k: v for k, v in props.items() if wanted is None or k in wanted}
    return {"id": oid, "properties": shown, "createdAt": "2024-01-01T00:00:00Z", "archived": False}


def _passes(props: dict[str, Any], flt: dict[str, Any]) -> bool:
    value = str(props.get(flt["propertyName"]) or "").lower()
    wanted = str(flt["value"]).lower()
    if flt["operator"] == "EQ":
        return value == wanted
    if flt["operator"] == "CONTAINS_TOKEN":
        token = wanted.strip("*")
        return any(word.startswith(token) for word in value.split())
    raise ValueError(f"operator {flt['operator']} not faked")


class FakeHubSpot(FakeVendor):
    """HubSpot with three companies; Acme has an open deal, a won deal, a contact and an owner."""

    base_url = BASE
    token = TOKEN
    page_cap = 200

    def setup(self) -> None:
        self.route("GET", r"/account-info/2026-09/details", lambda r: reply(200, {"portalId": PORTAL, "accountType": "STANDARD",
                                                                             "uiDomain": "app.hubspot.com"}))  # fmt: skip
        self.route("POST", r"/crm/objects/2026-09/(companies|deals|contacts)/search", self.search)
        self.route("GET", r"/crm/owners/2026-09/(\d+)", self.owner)
        self.route("POST", r"/oauth/v2/private-apps/get/access-token-info", self.token_info)
        self.route("GET", r"/oauth/v1/access-tokens/([^/]+)", self.oauth_token)

    scopes: ClassVar[list[str]] = ["crm.objects.companies.read", "crm.objects.deals.read", "crm.objects.contacts.read",
              "crm.objects.owners.read", "oauth"]  # fmt: skip
    """What the token was granted, as the token-info endpoints list it."""

    def token_info(self, request: httpx2.Request) -> httpx2.Response:
        """A private-app token's info; the token is in the body, not only in the header."""
        if body_of(request).get("tokenKey") != self.token or not self.token.startswith("pat-"):
            return reply(400, {"status": "error", "message": "Invalid token key", "category": "VALIDATION_ERROR"})
        return reply(200, {"userId": 7, "hubId": int(PORTAL), "appId": 99, "scopes": self.scopes})

    def oauth_token(self, request: httpx2.Request, token: str) -> httpx2.Response:
        """An OAuth access token's metadata."""
        if token != self.token or token.startswith("pat-"):
            return self.not_found()
        return reply(200, {"token": token, "user": "csm@acme.example", "hub_id": int(PORTAL), "app_id": 99,
                           "scopes": self.scopes, "token_type": "access", "expires_in": 1700})  # fmt: skip

    def unauthorized(self) -> httpx2.Response:
        return reply(401, {"status": "error", "message": "Authentication credentials not found.",
                           "correlationId": "c-1", "category": "INVALID_AUTHENTICATION"})  # fmt: skip

    def not_found(self) -> httpx2.Response:
        return reply(
            404, {"status": "error", "message": "Not found", "correlationId": "c-2", "category": "OBJECT_NOT_FOUND"}
        )

    def rate_headers(self) -> dict[str, str]:
        return {"X-HubSpot-RateLimit-Max": "190", "X-HubSpot-RateLimit-Remaining": "187",
                "X-HubSpot-RateLimit-Interval-Milliseconds": "10000"}  # fmt: skip

    def search(self, request: httpx2.Request, kind: str) -> httpx2.Response:
        table = {"companies": COMPANIES, "deals": DEALS, "contacts": CONTACTS}[kind]
        body = body_of(request)
        groups = body.get("filterGroups") or []

        def passes(oid: str, flt: dict[str, Any]) -> bool:
            if flt["propertyName"] == "associations.company":
                return oid in ASSOCIATIONS.get((str(flt["value"]), kind), [])
            return _passes(table[oid], flt)

        ids = [
            oid
            for oid in sorted(table, key=lambda oid: str(table[oid].get("name") or oid))
            if not groups or any(all(passes(oid, f) for f in g["filters"]) for g in groups)
        ]
        start, limit = int(body.get("after") or 0), min(int(body.get("limit", 10)), self.page_cap)
        chunk = ids[start : start + limit]
        out: dict[str, Any] = {"total": len(ids), "results": [_obj(i, table[i], body.get("properties")) for i in chunk]}
        if start + limit < len(ids):
            out["paging"] = {"next": {"after": str(start + limit), "link": "ignored"}}
        return reply(200, out)

    def owner(self, request: httpx2.Request, oid: str) -> httpx2.Response:
        return reply(200, OWNERS[oid]) if oid in OWNERS else self.not_found()


DAILY_LIMIT = reply(429, {"status": "error", "message": "You have reached your daily limit.", "errorType": "RATE_LIMIT",
                          "correlationId": "c-3", "policyName": "DAILY"})  # fmt: skip
TEN_SECONDLY = reply(429, {"status": "error", "message": "You have reached your ten_secondly_rolling limit.",
                           "errorType": "RATE_LIMIT", "correlationId": "c-4", "policyName": "TEN_SECONDLY_ROLLING"},
                     headers={"X-HubSpot-RateLimit-Interval-Milliseconds": "10000"})  # fmt: skip
