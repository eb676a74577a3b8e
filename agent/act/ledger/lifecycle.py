"""What happens to a recorded escalation: notes and customer updates, severity changes,
de-escalation with a reason, and closing the loop with learnings. One transaction each."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agent.act.ledger.cadence import KINDS
from agent.act.ledger.clock import stamp
from agent.act.ledger.record import set_obligations
from agent.act.ledger.store import Ledger, append_event, format_id, row_of
from agent.decide.policy import SEVERITIES, Policy, Severity
from agent.errors import UsageError

CLOSE_CHECKLIST = ("customer_confirmed", "tracking_updated", "learnings_captured")
"""The seed's close-the-loop steps: confirm with the customer, update internal tracking, capture learnings."""
DEESCALATION_STEPS = (
    ("notify_team", "Notify the team you escalated to"),
    ("update_ticket", "Update the ticket with the resolution"),
    ("inform_customer", "Inform the customer of the resolution"),
    ("document_learnings", "Document what was learned for future reference"),
)
"""The seed's steps when de-escalating."""


def open_row(conn: sqlite3.Connection, number: int, verb: str) -> sqlite3.Row:
    row = row_of(conn, number)
    if row["status"] != "open":
        raise UsageError(f"cannot {verb} {format_id(number)}: it is {row['status']}")
    return row


def _required(text: str | None, option: str) -> str:
    value = " ".join((text or "").split())
    if not value:
        raise UsageError(f"{option} is required and must not be empty")
    return value


def check_severity(value: str | None) -> Severity | None:
    """A `--severity` value as a `Severity`. Raises `UsageError`."""
    if value is None:
        return None
    for severity in SEVERITIES:
        if value.strip().lower() == severity.lower():
            return severity
    raise UsageError(f"--severity {value!r} is not one of: {', '.join(SEVERITIES)}")


@dataclass(frozen=True)
class Update:
    """One `ledger update`: a note, optionally a customer update made and a new severity."""

    note: str
    severity: Severity | None = None
    customer_updated: bool = False
    actor: str | None = None


def update(ledger: Ledger, number: int, change: Update, policy: Policy, now: datetime) -> dict[str, Any]:
    """Add a note (re-times the internal check); a customer update re-times the customer
    obligation; a severity change re-times both per the new cadence and records who and why."""
    note = _required(change.note, "--note")
    at = stamp(now)
    with ledger.transaction() as conn:
        row = open_row(conn, number, "update")
        severity: Severity | None = change.severity or row["severity"]
        event: dict[str, Any] = {"note": note}
        kinds: tuple[str, ...] = ("internal",)
        if change.customer_updated:
            kinds = KINDS
            event["customer_updated"] = True
        if change.severity and change.severity != row["severity"]:
            kinds = KINDS
            event["severity"] = [row["severity"], change.severity]
            event["why"] = note
            conn.execute(
                "UPDATE escalations SET severity = ?, escalate = 1, updated_at = ? WHERE id = ?",
                (change.severity, at, number),
            )
        else:
            conn.execute("UPDATE escalations SET updated_at = ? WHERE id = ?", (at, number))
        if severity is not None and (row["escalate"] or change.severity):
            event["due"] = set_obligations(conn, number, policy, severity, now, kinds)
        append_event(conn, number, at, "severity-changed" if "severity" in event else "note", event, change.actor)
        return {"escalation_id": format_id(number), **event}


def check_deescalation(ledger: Ledger, number: int, reason: str | None) -> str:
    """The reason, once the escalation is known to be open. Raises `UsageError`."""
    why = _required(reason, "--reason")
    open_row(ledger.conn, number, "de-escalate")
    return why


def deescalate(
    ledger: Ledger,
    number: int,
    reason: str,
    now: datetime,
    condition: str | None = None,
    actor: str | None = None,
    steps_done: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """De-escalate with a reason (required): the obligations close and the seed's steps follow
    (`steps_done`: those already carried out, recorded with it)."""
    why = _required(reason, "--reason")
    with ledger.transaction() as conn:
        open_row(conn, number, "de-escalate")
        return deescalate_in(conn, number, why, stamp(now), condition, actor, steps_done)


def deescalate_in(
    conn: sqlite3.Connection,
    number: int,
    reason: str,
    at: str,
    condition: str | None,
    actor: str | None,
    steps_done: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The de-escalation's writes, inside the caller's transaction."""
    conn.execute("DELETE FROM obligations WHERE escalation_id = ?", (number,))
    conn.execute("UPDATE escalations SET status = 'deescalated', updated_at = ? WHERE id = ?", (at, number))
    event: dict[str, Any] = {"reason": reason, "condition": condition, "steps": [s for s, _ in DEESCALATION_STEPS]}
    if steps_done:
        event["done"] = steps_done
    append_event(conn, number, at, "deescalated", event, actor)
    return {"escalation_id": format_id(number), "status": "deescalated", **event}


def close(
    ledger: Ledger,
    number: int,
    learnings: str,
    now: datetime,
    fixed: bool = False,
    checked: tuple[str, ...] = (),
    actor: str | None = None,
) -> dict[str, Any]:
    """Close the loop: learnings (required), the checklist as done so far, `fixed` for pattern
    detection; every obligation closes. An open or de-escalated escalation can be closed."""
    captured = _required(learnings, "--learnings")
    at = stamp(now)
    checklist = {item: item in checked or item == "learnings_captured" for item in CLOSE_CHECKLIST}
    with ledger.transaction() as conn:
        row = row_of(conn, number)
        if row["status"] == "closed":
            raise UsageError(f"cannot close {format_id(number)}: it is already closed")
        conn.execute("DELETE FROM obligations WHERE escalation_id = ?", (number,))
        conn.execute(
            "UPDATE escalations SET status = 'closed', fixed = ?, learnings = ?, closed_at = ?, updated_at = ? "
            "WHERE id = ?",
            (int(fixed), captured, at, at, number),
        )
        event = {"learnings": captured, "fixed": fixed, "checklist": checklist}
        append_event(conn, number, at, "closed", event, actor)
    return {"escalation_id": format_id(number), "status": "closed", **event}
