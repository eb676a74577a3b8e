"""Re-assessment: a fresh brief for the same request and tickets against the one recorded, what
changed, and what the rules now recommend (keep, raise, lower, or de-escalate)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from agent.act.ledger.brief_data import BriefData, Observed, read_brief
from agent.act.ledger.cadence import KINDS
from agent.act.ledger.clock import stamp
from agent.act.ledger.lifecycle import deescalate_in, open_row
from agent.act.ledger.record import replace_sla, set_obligations
from agent.act.ledger.store import Ledger, append_event, format_id, row_of
from agent.decide.policy import Policy

RANK = {None: 0, "Medium": 1, "High": 2, "Critical": 3}
_CONDITION_SIGNAL = {
    "DEESC-SUPPORT-RESOLVABLE": "configuration_issue",
    "DEESC-WORKAROUND": "workaround_available",
    "DEESC-RESOLVED": "resolved",
}


@dataclass(frozen=True)
class Reassessment:
    """What changed since the escalation was recorded, and the recommendation."""

    escalation_id: str
    changes: list[str]
    recommendation: str
    """keep, raise, lower or deescalate."""
    severity: list[str | None]
    """[recorded, now]."""
    condition: dict[str, Any] | None = None
    """For deescalate: the seed's condition that holds (id, condition) and its evidence."""
    brief: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON (without the new brief)."""
        return {
            "escalation_id": self.escalation_id,
            "changes": self.changes,
            "recommendation": self.recommendation,
            "severity": self.severity,
            "condition": self.condition,
        }


def _changes(old: Mapping[str, Any], new: BriefData, observed: Observed) -> list[str]:
    out = []
    tickets = sorted(set(new.tickets) - set(old.get("tickets") or {}))
    if tickets:
        out.append(f"new tickets: {', '.join(tickets)}")
    customers = sorted(set(new.customers) - set(old.get("customers") or []))
    if customers:
        out.append(f"new customers: {', '.join(customers)}")
    before = old.get("tracker") or {}
    for key in new.tracker_keys:
        status = observed.tracker_status.get(key)
        if key not in before:
            out.append(f"new tracker issue {key}" + (f" ({status})" if status else ""))
        elif status and before.get(key) and status != before[key]:
            out.append(f"tracker {key}: {before[key]} -> {status}")
    snapshot = new.snapshot(observed)
    if snapshot["workaround"] and not old.get("workaround"):
        out.append("a workaround was found")
    if snapshot["resolved"] and not old.get("resolved"):
        out.append("a resolution was reported")
    if new.severity != old.get("severity"):
        out.append(f"severity {old.get('severity') or 'none'} -> {new.severity or 'none'}")
    if new.escalate != bool(old.get("escalate", True)):
        out.append("the rules now recommend " + ("escalating" if new.escalate else "handling it in support"))
    return out


def _condition(new: BriefData) -> dict[str, Any] | None:
    follow_up = new.raw.get("follow_up") or {}
    signals = (new.raw.get("extraction") or {}).get("signals") or {}
    for item in follow_up.get("de_escalation") or []:
        if item.get("met"):
            signal = signals.get(_CONDITION_SIGNAL.get(str(item.get("id")), ""), {})
            return {"id": item.get("id"), "condition": item.get("condition"), "evidence": signal.get("evidence", [])}
    return None


def _new_information(new: BriefData, why: str) -> dict[str, Any]:
    evidence = [e for r in new.raw.get("rules_fired") or [] if r.get("family") == "severity" for e in r["evidence"]]
    return {"id": "DEESC-NEW-INFO", "condition": f"New information changes the severity assessment: {why}",
            "evidence": evidence}  # fmt: skip


def compare(escalation_id: str, old: Mapping[str, Any], brief: Mapping[str, Any], observed: Observed) -> Reassessment:
    """Compare the recorded snapshot `old` with a fresh brief (contract dict) for the same issue."""
    new = read_brief(brief, observed.request.get("ticket_id"))
    changes = _changes(old, new, observed)
    condition = _condition(new)
    severity = [old.get("severity"), new.severity]
    if condition is None and not new.escalate:
        condition = _new_information(new, "the rules now recommend handling it in support")
    if condition is not None:
        action = "deescalate"
    elif RANK[new.severity] > RANK[old.get("severity")]:
        action = "raise"
    elif RANK[new.severity] < RANK[old.get("severity")]:
        action = "lower"
    else:
        action = "keep"
    return Reassessment(escalation_id, changes, action, severity, condition, dict(brief))


def recorded_snapshot(ledger: Ledger, number: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The escalation's stored snapshot (with its current severity, which updates may have
    changed since) and request."""
    row = row_of(ledger.conn, number)
    snapshot = {**json.loads(row["snapshot"]), "severity": row["severity"], "escalate": bool(row["escalate"])}
    return snapshot, json.loads(row["request"])


def apply(
    ledger: Ledger,
    number: int,
    result: Reassessment,
    observed: Observed,
    policy: Policy,
    now: datetime,
    actor: str | None = None,
) -> dict[str, Any]:
    """Record the re-assessment and carry out its recommendation, in one transaction."""
    new = read_brief(result.brief, observed.request.get("ticket_id"))
    at = stamp(now)
    with ledger.transaction() as conn:
        open_row(conn, number, "reassess")
        conn.execute(
            "UPDATE escalations SET brief = ?, snapshot = ?, severity = COALESCE(?, severity), tickets = ?, "
            "tracker_keys = ?, updated_at = ? WHERE id = ?",
            (json.dumps(new.raw, ensure_ascii=False), json.dumps(new.snapshot(observed)), new.severity,
             json.dumps(new.tickets), json.dumps(new.tracker_keys), at, number),
        )  # fmt: skip
        replace_sla(conn, number, observed)
        event: dict[str, Any] = result.as_dict()
        if result.recommendation in ("raise", "lower") and new.severity:
            event["due"] = set_obligations(conn, number, policy, new.severity, now, KINDS)
        append_event(conn, number, at, "reassessed", event, actor)
        if result.recommendation == "deescalate":
            assert result.condition is not None
            reason = f"reassessment: {result.condition['condition']}"
            return deescalate_in(conn, number, reason, at, str(result.condition["id"]), actor)
    return {"escalation_id": format_id(number), "status": "open", "recommendation": result.recommendation}
