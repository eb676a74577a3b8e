"""Reading the ledger: escalations by status, one escalation with its history, open follow-ups."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from agent.act.ledger.clock import stamp
from agent.act.ledger.store import Ledger, format_id, row_of
from agent.errors import UsageError

STATUSES = ("open", "deescalated", "closed")


def list_escalations(ledger: Ledger, status: str | None = None) -> list[dict[str, Any]]:
    """Escalations (all, or one status), newest first: id, status, severity, target_team, summary..."""
    if status is not None and status not in STATUSES:
        raise UsageError(f"--status {status!r} is not one of: {', '.join(STATUSES)}")
    where, args = ("WHERE status = ?", (status,)) if status else ("", ())
    rows = ledger.conn.execute(
        "SELECT id, status, escalate, severity, target_team, priority, summary, tickets, created_at, updated_at, "
        f"closed_at, fixed FROM escalations {where} ORDER BY id DESC",
        args,
    ).fetchall()
    return [
        {
            "id": format_id(r["id"]),
            "status": r["status"],
            "escalate": bool(r["escalate"]),
            "severity": r["severity"],
            "target_team": r["target_team"],
            "priority": r["priority"],
            "summary": r["summary"],
            "tickets": json.loads(r["tickets"]),
            "created_at": r["created_at"],
            "updated_at": r["updated_at"],
            "closed_at": r["closed_at"],
            "fixed": bool(r["fixed"]),
        }
        for r in rows
    ]


def show(ledger: Ledger, number: int) -> dict[str, Any]:
    """One escalation: its fields, open obligations, recorded SLA due times, posts and whole
    `history`, oldest first."""
    with ledger.snapshot() as conn:
        r = row_of(conn, number)
        obligations = conn.execute(
            "SELECT kind, due_at FROM obligations WHERE escalation_id = ? ORDER BY due_at, kind", (number,)
        ).fetchall()
        sla = conn.execute("SELECT ticket_id, due_at FROM sla WHERE escalation_id = ? ORDER BY due_at", (number,))
        sla_rows = sla.fetchall()
        posts = conn.execute(
            "SELECT kind, due_at, channel, reference, posted_at FROM posts WHERE escalation_id = ? ORDER BY posted_at",
            (number,),
        ).fetchall()
        events = conn.execute(
            "SELECT id, at, kind, actor, data FROM events WHERE escalation_id = ? ORDER BY id", (number,)
        ).fetchall()
    return {
        "id": format_id(r["id"]),
        "key": r["key"],
        "status": r["status"],
        "escalate": bool(r["escalate"]),
        "severity": r["severity"],
        "target_team": r["target_team"],
        "priority": r["priority"],
        "summary": r["summary"],
        "product_area": r["product_area"],
        "workspace": r["workspace"],
        "request": json.loads(r["request"]),
        "tickets": json.loads(r["tickets"]),
        "tracker_keys": json.loads(r["tracker_keys"]),
        "links": json.loads(r["snapshot"]).get("links", []),
        "rules_fired": [f.get("id") for f in json.loads(r["brief"]).get("rules_fired") or []],
        "created_at": r["created_at"],
        "updated_at": r["updated_at"],
        "closed_at": r["closed_at"],
        "fixed": bool(r["fixed"]),
        "learnings": r["learnings"],
        "obligations": [{"kind": o["kind"], "due": o["due_at"]} for o in obligations],
        "sla": [{"ticket": s["ticket_id"], "due": s["due_at"]} for s in sla_rows],
        "posts": [dict(p) for p in posts],
        "history": [
            {"seq": e["id"], "at": e["at"], "kind": e["kind"], "actor": e["actor"], **json.loads(e["data"])}
            for e in events
        ],
    }


def stored_brief(ledger: Ledger, number: int) -> dict[str, Any]:
    """The brief as last recorded (the contract dict)."""
    brief: dict[str, Any] = json.loads(row_of(ledger.conn, number)["brief"])
    return brief


def followups(
    ledger: Ledger, now: datetime, within: timedelta | None = None, at_risk: timedelta = timedelta(0)
) -> list[dict[str, Any]]:
    """Every open obligation of an open escalation (due within `within` of `now`, if given),
    soonest first, with `overdue`, and the recorded SLA due times of its tickets: `breached`, or
    `at_risk` when due within the policy's at-risk window."""
    limit = stamp(now + within) if within is not None else "9999"
    current = stamp(now)
    with ledger.snapshot() as conn:
        rows = conn.execute(
            "SELECT o.escalation_id, o.kind, o.due_at, e.severity, e.target_team, e.summary "
            "FROM obligations o JOIN escalations e ON e.id = o.escalation_id "
            "WHERE e.status = 'open' AND o.due_at <= ? ORDER BY o.due_at, o.escalation_id, o.kind",
            (limit,),
        ).fetchall()
        wanted = {r["escalation_id"] for r in rows}
        sla: dict[int, list[dict[str, Any]]] = {}
        for s in conn.execute("SELECT escalation_id, ticket_id, due_at FROM sla ORDER BY due_at"):
            if s["escalation_id"] in wanted:
                sla.setdefault(s["escalation_id"], []).append(
                    {
                        "ticket": s["ticket_id"],
                        "due": s["due_at"],
                        "breached": s["due_at"] <= current,
                        "at_risk": current < s["due_at"] <= stamp(now + at_risk),
                    }
                )
    return [
        {
            "escalation_id": format_id(r["escalation_id"]),
            "kind": r["kind"],
            "due": r["due_at"],
            "overdue": r["due_at"] < current,
            "severity": r["severity"],
            "target_team": r["target_team"],
            "summary": r["summary"],
            "sla": sla.get(r["escalation_id"], []),
        }
        for r in rows
    ]
