"""Salesforce REST API (`/services/data/v67.0/query`; the version is part of `base_url`): Accounts
with their open Opportunities, escalated Cases and Contacts in one SOQL query (relationship
subqueries save the 24-hour API allocation; there is no secondary lookup to fail).

Every value the user typed goes into SOQL only through `soql_literal`. Field names come from the
configuration and must be plain SOQL identifiers. `REQUEST_LIMIT_EXCEEDED` (HTTP 403) is final.
The token is an OAuth access token of a connected app (scope `api`); the user needs read access to
Account, Opportunity, Case and Contact.

Docs: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm ·
https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships.htm ·
https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm ·
https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

import httpx2
from pydantic import field_validator

from connectors.errors import ConnectorError
from connectors.http.adapter import HttpAdapter
from connectors.http.client import HttpSource, VendorError, bearer
from connectors.http.settings import BuildContext, HttpSettings
from connectors.records import Account
from connectors.vendors.salesforce import account_fields, account_record, account_soql, soql_literal

_FIELD = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$")


class SalesforceSettings(HttpSettings):
    """`[crm] backend = "salesforce"`."""

    backend: Literal["salesforce"] = "salesforce"
    token_env: str = "SALESFORCE_ACCESS_TOKEN"
    arr_field: str | None = None
    """ARR is usually a custom field, e.g. `ARR__c`."""
    plan_field: str | None = None
    renewal_field: str | None = None
    csm_field: str = "Owner.Name"
    web_url: str | None = None
    """Lightning root; defaults to `base_url` without `/services/data/...`."""

    @field_validator("arr_field", "plan_field", "renewal_field", "csm_field")
    @classmethod
    def _identifier(cls, value: str | None) -> str | None:
        if value is not None and not _FIELD.match(value):
            raise ValueError(f"{value!r} is not a SOQL field name")
        return value


def inspect(response: httpx2.Response, body: Any) -> None:
    """The 24-hour allocation is spent: waiting seconds will not help."""
    if response.status_code != 403 or not isinstance(body, list):
        return
    if any(isinstance(e, dict) and e.get("errorCode") == "REQUEST_LIMIT_EXCEEDED" for e in body):
        raise VendorError("rate-limited: the org's 24-hour API request allocation is used up")


class SalesforceCRM(HttpAdapter):
    """`CRM` over Salesforce Accounts."""

    name = "salesforce"
    scopes = ("api",)

    def __init__(self, http: HttpSource, settings: SalesforceSettings) -> None:
        self.http = http
        self.settings = settings
        found = re.search(r"/services/data/(v\d+\.\d+)", settings.base_url)
        self.api_version = found.group(1) if found else "unknown (base_url names no /services/data/vNN.N)"

    def check(self) -> str:
        """Call the API once; the daily request allocation left."""
        limits = self.http.get("/limits") or {}
        daily = limits.get("DailyApiRequests") or {}
        return f"{daily.get('Remaining')}/{daily.get('Max')} API requests left today"

    def query(self, soql: str, limit: int) -> list[Mapping[str, Any]]:
        """Rows of a SOQL query, following `nextRecordsUrl` up to `limit` rows / `max_pages`."""
        body = self.http.get("/query", params={"q": soql}) or {}
        rows = list(body.get("records") or [])
        for _ in range(self.settings.max_pages - 1):
            next_url = body.get("nextRecordsUrl")
            if body.get("done", True) or not next_url or len(rows) >= limit:
                break
            body = self.http.get(self.http.url(next_url)) or {}
            rows += body.get("records") or []
        return rows[:limit]

    def find_account(self, name_or_domain: str) -> Account | None:
        """The Account whose name or website matches best, or None."""
        if not name_or_domain.strip():
            return None
        rows = self.query(account_soql(self.settings, name_or_domain), 10)
        wanted = name_or_domain.strip().lower()
        rows.sort(key=lambda r: 0 if str(r.get("Name", "")).lower() == wanted else 1)
        return account_record(rows[0], self.settings) if rows else None

    def list_accounts(self, plan: str | None = None, limit: int = 100) -> list[Account]:
        """Accounts, optionally only those whose plan field equals `plan`."""
        where = ""
        if plan:
            if not self.settings.plan_field:
                raise ConnectorError(self.name, "listing by plan needs plan_field in escalation.toml [crm]")
            where = f" WHERE {self.settings.plan_field} = {soql_literal(plan)}"
        soql = f"SELECT {', '.join(account_fields(self.settings))} FROM Account{where} ORDER BY Name LIMIT {max(1, int(limit))}"
        return [account_record(r, self.settings) for r in self.query(soql, limit)]


def build(settings: SalesforceSettings, ctx: BuildContext) -> SalesforceCRM:
    """The configured Salesforce connector (a bearer access token from an OAuth flow)."""
    http = ctx.source(settings, bearer(ctx.secret(settings.token_env)), inspect=inspect)
    return SalesforceCRM(http, settings)
