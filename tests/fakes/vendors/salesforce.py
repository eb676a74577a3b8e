"""Fake Salesforce REST API (`/services/data/v67.0`): SOQL `query` with `attributes` on every row,
relationship subqueries, `done:false` + `nextRecordsUrl` batches, `/limits`, `Sforce-Limit-Info`,
the JSON-array error envelope and `REQUEST_LIMIT_EXCEEDED` (HTTP 403)."""

from __future__ import annotations

import re
from typing import Any

import httpx2

from tests.fakes.vendors.base import FakeVendor, reply

INSTANCE = "https://acme.my.salesforce.com"
BASE = f"{INSTANCE}/services/data/v67.0"
TOKEN = "00Dxx0000001gPF!sf-secret-session"


def _row(kind: str, oid: str, **fields: Any) -> dict[str, Any]:
    return {"attributes": {"type": kind, "url": f"/services/data/v67.0/sobjects/{kind}/{oid}"}, "Id": oid, **fields}


ACCOUNTS = [
    _row("Account", "001A", Name="Acme Corp", Website="https://www.acme.example", Type="Customer - Direct",
         Industry="Software", ARR__c=240000.0, Plan__c="Enterprise", Renewal_Date__c="2027-01-31",
         Owner={"attributes": {"type": "User"}, "Name": "Priya Patel"}),
    _row("Account", "001B", Name="O'Brien & Sons", Website="obrien.example", Type="Customer - Channel",
         Industry="Retail", ARR__c=18000.0, Plan__c="Business", Renewal_Date__c=None, Owner={"Name": "Jo Park"}),
    _row("Account", "001C", Name="Globex", Website="globex.example", Type="Prospect", Industry="Energy",
         ARR__c=None, Plan__c="Enterprise", Renewal_Date__c=None, Owner=None),
]  # fmt: skip
CHILDREN = {
    "001A": {
        "Opportunities": [_row("Opportunity", "006A", Name="Acme expansion", StageName="Negotiation",
                               Amount=60000.0, CloseDate="2026-12-15")],
        "Cases": [_row("Case", "500A", CaseNumber="00001026", Subject="Ingest outage (escalated)")],
        "Contacts": [_row("Contact", "003A", Name="Dana Smith", Email="dana@acme.example")],
    }
}  # fmt: skip
_LITERAL = r"'((?:[^'\\]|\\.)*)'"


def unescape(literal: str) -> str:
    """Undo SOQL string escaping (the fake's side of `soql_literal`)."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), literal)


def _with_children(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for relation in ("Opportunities", "Cases", "Contacts"):
        records = CHILDREN.get(row["Id"], {}).get(relation)
        out[relation] = {"totalSize": len(records), "done": True, "records": records} if records else None
    return out


class FakeSalesforce(FakeVendor):
    """Salesforce with three Accounts; list queries come back in batches of `batch` rows."""

    base_url = BASE
    token = TOKEN
    batch = 2

    def setup(self) -> None:
        self.queries: list[str] = []
        self.route("GET", r"/services/data/v67.0/query", self.query)
        self.route("GET", r"/services/data/v67.0/query/(\w+)-(\d+)", self.more)
        self.route(
            "GET",
            r"/services/data/v67.0/limits",
            lambda r: reply(200, {"DailyApiRequests": {"Max": 15000, "Remaining": 14982}}),
        )

    def unauthorized(self) -> httpx2.Response:
        return reply(401, [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])

    def not_found(self) -> httpx2.Response:
        return reply(404, [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}])

    def rate_headers(self) -> dict[str, str]:
        return {"Sforce-Limit-Info": "api-usage=18/15000"}

    def query(self, request: httpx2.Request) -> httpx2.Response:
        soql = request.url.params.get("q", "")
        self.queries.append(soql)
        if "FROM Account" not in soql:
            return reply(400, [{"message": "unexpected query", "errorCode": "MALFORMED_QUERY"}])
        rows = ACCOUNTS
        name = re.search(rf"Name = {_LITERAL}", soql)
        site = re.search(rf"Website LIKE {_LITERAL}", soql)
        plan = re.search(rf"Plan__c = {_LITERAL}", soql)
        if name:
            wanted = unescape(name.group(1)).lower()
            rows = [r for r in rows if r["Name"].lower() == wanted or r["Name"].lower().startswith(wanted)]
        elif site:
            wanted = unescape(site.group(1)).strip("%").lower()
            rows = [r for r in rows if wanted in (r["Website"] or "").lower()]
        elif plan:
            rows = [r for r in rows if r["Plan__c"] == unescape(plan.group(1))]
        if "(SELECT" in soql:
            rows = [_with_children(r) for r in rows]
        return self.page(rows, 0)

    def page(self, rows: list[dict[str, Any]], start: int) -> httpx2.Response:
        chunk, done = rows[start : start + self.batch], start + self.batch >= len(rows)
        body: dict[str, Any] = {"totalSize": len(rows), "done": done, "records": chunk}
        if not done:
            self.pending = rows
            body["nextRecordsUrl"] = f"/services/data/v67.0/query/01gD0000002HU6KIAW-{start + self.batch}"
        return reply(200, body)

    def more(self, request: httpx2.Request, _locator: str, start: str) -> httpx2.Response:
        return self.page(self.pending, int(start))


REQUEST_LIMIT = reply(403, [{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}])
