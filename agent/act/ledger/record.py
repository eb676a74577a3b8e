"""Recording an assessed brief: a new escalation, or an update of the one with the same key."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agent.act.ledger.brief_data import BriefData, Observed, read_brief
from agent.act.ledger.cadence import KINDS, next_due
from agent.act.ledger.clock import parse_instant, stamp
from agent.act.ledger.store import Ledger, append_event, format_id
from agent.decide.policy import Policy, Severity


@dataclass(frozen=True)
class Recorded:
    """The outcome of recording one brief."""

    id: str
    created: bool
    """False when an escalation with the same key existed and was updated."""
    status: str

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {"escalation_id": self.id, "created": self.created, "status": self.status}


def set_obligations(
    conn: sqlite3.Connection,
    escalation: int,
    policy: Policy,
    severity: Severity,
    start: datetime,
    kinds: tuple[str, ...],
) -> dict[str, str]:
    """(Re-)time the given kinds of obligation from `start`; returns kind -> due time."""
    due: dict[str, str] = {}
    for kind in KINDS:
        if kind in kinds:
            due[kind] = stamp(next_due(policy, severity, kind, start))
            conn.execute(
                "INSERT INTO obligations (escalation_id, kind, due_at) VALUES (?, ?, ?) "
                "ON CONFLICT (escalation_id, kind) DO UPDATE SET due_at = excluded.due_at",
                (escalation, kind, due[kind]),
            )
    return due


def _columns(data: BriefData, observed: Observed, at: str) -> dict[str, Any]:
    request = observed.request or {"text": data.summary, "customer": None, "ticket_id": None}
    return {
        "escalate": int(data.escalate),
        "severity": data.severity,
        "target_team": data.target_team,
        "priority": data.priority,
        "summary": data.summary,
        "product_area": data.product_area,
        "workspace": data.workspace,
        "request": json.dumps(request, ensure_ascii=False),
        "tickets": json.dumps(data.tickets),
        "tracker_keys": json.dumps(data.tracker_keys),
        "snapshot": json.dumps(data.snapshot(observed), ensure_ascii=False),
        "brief": json.dumps(data.raw, ensure_ascii=False),
        "updated_at": at,
    }


def replace_sla(conn: sqlite3.Connection, escalation: int, observed: Observed) -> None:
    """The tickets' SLA due times, as now observed."""
    conn.execute("DELETE FROM sla WHERE escalation_id = ?", (escalation,))
    conn.executemany(
        "INSERT INTO sla (escalation_id, ticket_id, due_at) VALUES (?, ?, ?)",
        [(escalation, ticket, stamp(due)) for ticket, due in sorted(observed.sla_due.items())],
    )


def _summary_event(data: BriefData, policy: Policy) -> dict[str, Any]:
    return {
        "escalate": data.escalate,
        "severity": data.severity,
        "target_team": data.target_team,
        "rules_fired": data.rules,
        "tickets": data.tickets,
        "policy_version": policy.version,
    }


def record_brief(
    ledger: Ledger,
    brief: Mapping[str, Any],
    policy: Policy,
    now: datetime | None = None,
    observed: Observed | None = None,
    actor: str | None = None,
) -> Recorded:
    """Record a brief (the `to_json` contract dict) in one transaction. The same tickets and issue
    update the escalation already open (or de-escalated) for them; after a close they start a new
    one. An escalation gets its internal and customer obligations due per `policy`'s cadence for
    its severity, counted from `now` (default: the brief's `date`); a handle-in-support result is
    recorded with none. Raises `UsageError` for a dict that is not a brief."""
    observed = observed or Observed()
    data = read_brief(brief, observed.request.get("ticket_id"))
    moment = now or parse_instant(str(brief.get("date") or "") or None, "the brief's date")
    at = stamp(moment)
    columns = _columns(data, observed, at)
    key = data.key()
    with ledger.transaction() as conn:
        old = conn.execute("SELECT * FROM escalations WHERE key = ? AND status != 'closed'", (key,)).fetchone()
        if old is None:
            names = ", ".join(["key", "status", "created_at", *columns])
            marks = ", ".join("?" for _ in range(len(columns) + 3))
            cursor = conn.execute(
                f"INSERT INTO escalations ({names}) VALUES ({marks})", (key, "open", at, *columns.values())
            )
            number = int(cursor.lastrowid or 0)
            event = _summary_event(data, policy)
            if data.escalate and data.severity:
                event["due"] = set_obligations(conn, number, policy, data.severity, moment, KINDS)
            append_event(conn, number, at, "recorded", event, actor)
            replace_sla(conn, number, observed)
            return Recorded(format_id(number), True, "open")
        number = int(old["id"])
        changes = {
            name: [old[name], columns[name]]
            for name in ("escalate", "severity", "target_team", "priority", "summary")
            if old[name] != columns[name]
        }
        status = "open" if data.escalate or old["status"] == "open" else str(old["status"])
        sets = ", ".join(f"{name} = ?" for name in columns)
        conn.execute(f"UPDATE escalations SET {sets}, status = ? WHERE id = ?", (*columns.values(), status, number))
        event = {**_summary_event(data, policy), "changes": changes}
        has_obligations = conn.execute("SELECT 1 FROM obligations WHERE escalation_id = ?", (number,)).fetchone()
        if data.escalate and data.severity and ("severity" in changes or not has_obligations):
            event["due"] = set_obligations(conn, number, policy, data.severity, moment, KINDS)
        if old["status"] != status:
            event["reopened_from"] = old["status"]
        append_event(conn, number, at, "re-recorded", event, actor)
        replace_sla(conn, number, observed)
        return Recorded(format_id(number), False, status)
