"""Fake Jira Cloud REST v3: `POST /search/jql` (no `total`; `nextPageToken`/`isLast`), the removed
`/search` (410 Gone), `GET /issue/{key}`, `POST /issue` (ADF required: a plain-string description
is a 400), `/myself`, the `errorMessages`/`errors` envelope and `X-RateLimit-*` headers."""

from __future__ import annotations

import base64
import re
from typing import Any

import httpx2

from tests.fakes.vendors.base import FakeVendor, body_of, reply, text_clauses_match

SITE = "https://acme.atlassian.net"
BASE = f"{SITE}/rest/api/3"
EMAIL = "bot@acme.example"
TOKEN = "jira-api-token-secret-99"


def _adf(text: str) -> dict[str, Any]:
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}],
    }


def _issue(key: str, summary: str, status: str, category: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": str(10000 + int(key.split("-")[1])),
        "key": key,
        "self": f"{BASE}/issue/{key}",
        "fields": {
            "summary": summary,
            "status": {"name": status, "statusCategory": {"key": category}},
            "issuetype": {"name": fields.pop("issuetype", "Bug")},
            "project": {"key": key.split("-")[0], "name": "Engineering"},
            "created": "2026-10-19T10:15:00.000+0000",
            "description": _adf(fields.pop("text", summary)),
            **fields,
        },
    }


ISSUES = [
    _issue("ENG-1423", "Intermittent 500 errors on ingest API", "In Progress", "indeterminate",
           priority={"name": "High"}, assignee={"displayName": "Maria Lopez"}, labels=["api", "customer-impact"],
           components=[{"name": "Ingest"}],
           issuelinks=[{"type": {"name": "Regression"}, "outwardIssue": {"key": "ENG-1101"}}]),
    _issue("ENG-1101", "Ingest API 500 errors under load", "Done", "done", resolutiondate="2026-06-01T09:00:00.000+0000"),
    _issue("ENG-1500", "Export drops rows over 10k", "To Do", "new", issuetype="Story"),
]  # fmt: skip


class FakeJira(FakeVendor):
    """Jira with three ENG issues; created issues are searchable by label right away."""

    base_url = BASE
    token = TOKEN
    page_cap = 100

    def setup(self) -> None:
        self.issues = [dict(i) for i in ISSUES]
        self.created: list[dict[str, Any]] = []
        self.route(
            "GET", r"/rest/api/3/myself", lambda r: reply(200, {"accountId": "5b10", "displayName": "Escalation Bot"})
        )
        self.route("POST", r"/rest/api/3/search/jql", self.search)
        self.route(
            "GET",
            r"/rest/api/3/search",
            lambda r: reply(410, {"errorMessages": ["The requested API has been removed."], "errors": {}}),
        )
        self.route("GET", r"/rest/api/3/issue/([A-Z]+-\d+)", self.get_issue)
        self.route("POST", r"/rest/api/3/issue", self.create)

    def authorized(self, request: httpx2.Request) -> bool:
        pair = base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
        return request.headers.get("authorization") == f"Basic {pair}"

    def unauthorized(self) -> httpx2.Response:
        return reply(401, {"errorMessages": ["Client must be authenticated to access this resource."], "errors": {}})

    def not_found(self) -> httpx2.Response:
        return reply(
            404, {"errorMessages": ["Issue does not exist or you do not have permission to see it."], "errors": {}}
        )

    def rate_headers(self) -> dict[str, str]:
        return {"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "97", "X-RateLimit-NearLimit": "false"}

    def _text(self, issue: dict[str, Any]) -> str:
        from connectors.vendors.adf import adf_to_text

        return f"{issue['fields']['summary']} {adf_to_text(issue['fields'].get('description'))}"

    def search(self, request: httpx2.Request) -> httpx2.Response:
        body = body_of(request)
        jql = body["jql"]
        label = re.search(r'labels = "([^"]+)"', jql)
        projects = re.search(r"project in \(([^)]*)\)", jql)
        hits = self.issues
        if projects:
            keys = re.findall(r'"([A-Z0-9_]+)"', projects.group(1))
            hits = [i for i in hits if i["key"].split("-")[0] in keys]
        hits = [i for i in hits if text_clauses_match(jql, self._text(i))]
        if label:
            hits = [i for i in hits if label.group(1) in i["fields"].get("labels", [])]
        size = min(int(body.get("maxResults", 50)), self.page_cap)
        start = int(body.get("nextPageToken") or 0)
        chunk, last = hits[start : start + size], start + size >= len(hits)
        out: dict[str, Any] = {"issues": chunk, "isLast": last}
        if not last:
            out["nextPageToken"] = str(start + size)
        return reply(200, out)

    def get_issue(self, request: httpx2.Request, key: str) -> httpx2.Response:
        found = next((i for i in self.issues if i["key"] == key), None)
        return reply(200, found) if found else self.not_found()

    def create(self, request: httpx2.Request) -> httpx2.Response:
        fields = body_of(request)["fields"]
        if not isinstance(fields.get("description"), dict):
            return reply(
                400, {"errorMessages": [], "errors": {"description": "Operation value must be an Atlassian Document"}}
            )
        if not fields.get("summary"):
            return reply(400, {"errorMessages": [], "errors": {"summary": "You must specify a summary of the issue."}})
        key = f"{fields['project']['key']}-{1600 + len(self.created)}"
        issue = {"id": str(20000 + len(self.created)), "key": key, "self": f"{BASE}/issue/{key}",
                 "fields": {**fields, "status": {"name": "To Do", "statusCategory": {"key": "new"}}}}  # fmt: skip
        self.created.append(issue)
        self.issues.append(issue)
        return reply(201, {"id": issue["id"], "key": key, "self": issue["self"]})


THROTTLED = reply(
    429,
    {"errorMessages": ["Rate limit exceeded."], "errors": {}},
    headers={"Retry-After": "2", "X-RateLimit-Reset": "2026-10-20T12:00:05Z", "RateLimit-Reason": "jira-burst-based"},
)
