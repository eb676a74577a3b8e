"""Linear issue nodes as `TrackerIssue`s."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connectors.records import TrackerIssue
from connectors.vendors.parse import dig, text, when


def _issue_type(labels: list[str]) -> str:
    lowered = {label.lower() for label in labels}
    for kind in ("bug", "incident", "feature"):
        if kind in lowered:
            return kind
    return "task"


def issue_record(raw: Mapping[str, Any]) -> TrackerIssue:
    """A Linear issue node as a `TrackerIssue`."""
    labels = [str(n.get("name")) for n in dig(raw, "labels", "nodes") or () if n.get("name")]
    state_type = dig(raw, "state", "type")
    return TrackerIssue(
        source="linear",
        source_id=str(raw.get("id") or raw["identifier"]),
        url=text(raw.get("url")),
        key=str(raw["identifier"]),
        title=text(raw.get("title")) or str(raw["identifier"]),
        issue_type=_issue_type(labels),
        status=text(dig(raw, "state", "name")) or "Open",
        resolved=state_type in ("completed", "canceled"),
        assignee=text(dig(raw, "assignee", "displayName")) or text(dig(raw, "assignee", "name")),
        team=text(dig(raw, "team", "name")) or text(dig(raw, "team", "key")),
        priority=text(raw.get("priorityLabel")),
        labels=tuple(labels),
        created_at=when(raw.get("createdAt")),
        resolved_at=when(raw.get("completedAt")) or when(raw.get("canceledAt")),
        description=str(raw.get("description") or "")[:4000],
    )
