"""Fake Linear GraphQL API: `searchIssues` (Relay `pageInfo`), `issue(id:)` ("Entity not found"
in a 200), `issues(filter: {description: {contains}})`, `issueCreate`, `viewer`; bare API-key auth;
errors in 200 bodies with `extensions.type`; `X-RateLimit-Requests-*` headers."""

from __future__ import annotations

from typing import Any

import httpx2

from tests.fakes.vendors.base import FakeVendor, body_of, reply, words_in

BASE = "https://api.linear.app"
TOKEN = "lin_api_secret_abcdef"
TEAM_ID = "9cfb482a-81e3-4154-b5b9-2c805e70a02d"


def _issue(ident: str, title: str, state: str, state_type: str, **extra: Any) -> dict[str, Any]:
    return {"id": f"uuid-{ident}", "identifier": ident, "title": title, "url": f"https://linear.app/acme/issue/{ident.lower()}",
            "description": extra.pop("description", title), "priorityLabel": extra.pop("priority", "High"),
            "createdAt": "2026-10-19T10:00:00.000Z", "completedAt": extra.pop("completedAt", None), "canceledAt": None,
            "state": {"name": state, "type": state_type}, "assignee": {"name": "maria", "displayName": "Maria Lopez"},
            "team": {"key": "ENG", "name": "Engineering"},
            "labels": {"nodes": [{"name": n} for n in extra.pop("labels", ["Bug"])]}}  # fmt: skip


ISSUES = [
    _issue("ENG-42", "Ingest API returns 500 errors", "In Progress", "started"),
    _issue("ENG-17", "API 500 errors on large payloads", "Done", "completed", completedAt="2026-05-01T00:00:00.000Z"),
    _issue("ENG-50", "Export drops rows", "Todo", "unstarted", labels=["Feature"]),
]


def error(message: str, kind: str, status: int = 200) -> httpx2.Response:
    """A GraphQL error response as Linear sends it."""
    return reply(status, {"data": None, "errors": [{"message": message, "extensions": {"type": kind, "userError": True,
                                                                                      "userPresentableMessage": message}}]})  # fmt: skip


class FakeLinear(FakeVendor):
    """Linear with three ENG issues."""

    base_url = BASE
    token = TOKEN
    page_cap = 50

    def setup(self) -> None:
        self.issues = [dict(i) for i in ISSUES]
        self.created: list[dict[str, Any]] = []
        self.route("POST", r"/graphql", self.graphql)

    def authorized(self, request: httpx2.Request) -> bool:
        return request.headers.get("authorization") == TOKEN

    def unauthorized(self) -> httpx2.Response:
        return error("Authentication required, not authenticated", "authentication error", 400)

    def rate_headers(self) -> dict[str, str]:
        return {"X-RateLimit-Requests-Limit": "5000", "X-RateLimit-Requests-Remaining": "4990",
                "X-RateLimit-Requests-Reset": "1760871600000"}  # fmt: skip

    def graphql(self, request: httpx2.Request) -> httpx2.Response:
        body = body_of(request)
        query, variables = body["query"], body.get("variables") or {}
        if "viewer" in query:
            return reply(200, {"data": {"viewer": {"id": "u1", "name": "Escalation Bot"}}})
        if "searchIssues" in query:
            hits = [i for i in self.issues if words_in(variables["term"], f"{i['title']} {i['description']}")]
            start, first = int(variables.get("after") or 0), min(int(variables["first"]), self.page_cap)
            chunk, more = hits[start : start + first], start + first < len(hits)
            page = {"hasNextPage": more, "endCursor": str(start + first) if more else None}
            return reply(200, {"data": {"searchIssues": {"nodes": chunk, "pageInfo": page}}})
        if "issueCreate" in query:
            data = variables["input"]
            if data.get("teamId") != TEAM_ID:
                return error("Argument Validation Error: teamId must be a UUID.", "invalid input", 400)
            ident = f"ENG-{60 + len(self.created)}"
            issue = _issue(ident, data["title"], "Triage", "triage", description=data.get("description", ""))
            self.created.append(issue)
            self.issues.append(issue)
            return reply(200, {"data": {"issueCreate": {"success": True, "issue": issue}}})
        if "issues(" in query:
            wanted = variables["marker"]
            nodes = [i for i in self.issues if wanted in (i.get("description") or "")]
            return reply(200, {"data": {"issues": {"nodes": nodes}}})
        if "issue(" in query:
            found = next((i for i in self.issues if variables["id"] in (i["identifier"], i["id"])), None)
            if found is None:
                return error("Entity not found: Issue", "invalid input")
            return reply(200, {"data": {"issue": found}})
        return error("Unknown query", "graphql error", 400)


RATELIMITED = reply(
    200,
    {
        "data": None,
        "errors": [{"message": "Rate limit exceeded", "extensions": {"type": "ratelimited", "code": "RATELIMITED"}}],
    },
    headers={"X-RateLimit-Requests-Remaining": "0", "X-RateLimit-Requests-Reset": "1760871605000"},
)
