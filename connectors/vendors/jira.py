"""Jira issues as `TrackerIssue`s, and JQL building (user text only inside quoted literals)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from connectors.records import TrackerIssue
from connectors.vendors.adf import adf_to_text
from connectors.vendors.parse import dig, keywords, text, when

ISSUE_KEY = re.compile(r"^[A-Z][A-Z0-9_]+-\d+$")


FIELDS = [
    "summary", "status", "priority", "assignee", "labels", "issuetype", "created",
    "resolutiondate", "project", "components", "description", "issuelinks",
]  # fmt: skip


_TYPES = {"bug": "bug", "incident": "incident", "story": "feature", "new feature": "feature",
          "feature": "feature", "improvement": "feature", "epic": "feature"}  # fmt: skip


def jql_string(value: str) -> str:
    """`value` as a double-quoted JQL string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def search_terms(query: str) -> list[str]:
    """The keywords a tracker or wiki search is built from (and its results ranked by)."""
    return keywords(query, limit=6)


def search_jql(query: str, projects: list[str], days: int) -> str | None:
    """JQL for a free-text search: one `text ~` clause per keyword, OR'd, since one clause matches
    only items holding every word of its phrase (the caller ranks by words matched). Keywords only,
    each in its own quoted literal, so no Lucene or JQL syntax slips through."""
    words = search_terms(query)
    if not words:
        return None
    clauses = [f"({' OR '.join(f'text ~ {jql_string(w)}' for w in words)})"]
    if projects:
        clauses.insert(0, f"project in ({', '.join(jql_string(p) for p in projects)})")
    if days > 0:
        clauses.append(f"updated >= -{days}d")
    return " AND ".join(clauses)


def _regression_of(links: Any) -> str | None:
    for link in links or ():
        kind = dig(link, "type", "name") or ""
        if "regress" in str(kind).lower() and dig(link, "outwardIssue", "key"):
            return str(dig(link, "outwardIssue", "key"))
    return None


def issue_record(raw: Mapping[str, Any], site: str) -> TrackerIssue:
    """A Jira issue JSON object as a `TrackerIssue`."""
    fields = raw.get("fields") or {}
    components = [c.get("name") for c in fields.get("components") or () if c.get("name")]
    return TrackerIssue(
        source="jira",
        source_id=str(raw.get("id") or raw["key"]),
        url=f"{site}/browse/{raw['key']}",
        key=str(raw["key"]),
        title=text(fields.get("summary")) or str(raw["key"]),
        issue_type=_TYPES.get(str(dig(fields, "issuetype", "name") or "").lower(), "task"),
        status=text(dig(fields, "status", "name")) or "Open",
        resolved=dig(fields, "status", "statusCategory", "key") == "done",
        assignee=text(dig(fields, "assignee", "displayName")),
        team=components[0] if components else text(dig(fields, "project", "name")),
        priority=text(dig(fields, "priority", "name")),
        labels=tuple(str(x) for x in fields.get("labels") or ()),
        created_at=when(fields.get("created")),
        resolved_at=when(fields.get("resolutiondate")),
        description=adf_to_text(fields.get("description"))[:4000],
        regression_of=_regression_of(fields.get("issuelinks")),
    )
