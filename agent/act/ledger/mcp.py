"""Plain functions an MCP server can expose as tools: two read-only views and one recorder.

Each opens the ledger at `path` (`None`: `ESCALATE_LEDGER` or the default location), returns plain
JSON-ready data, and raises `agent.errors.UsageError` with a one-line message for bad input.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from agent.act.ledger.clock import parse_duration, parse_instant
from agent.act.ledger.paths import ledger_path
from agent.act.ledger.queries import followups, list_escalations
from agent.act.ledger.record import record_brief
from agent.act.ledger.store import Ledger
from agent.decide.policy import Policy, load_policy


def ledger_list(status: str | None = None, path: Path | None = None) -> list[dict[str, Any]]:
    """Escalations in the ledger, newest first (`status`: open, deescalated or closed). Read-only:
    no ledger yet means no escalations."""
    where = ledger_path(path)
    if not where.exists():
        return []
    with Ledger(where) as ledger:
        return list_escalations(ledger, status)


def ledger_followups(
    within: str | None = None, now: str | None = None, path: Path | None = None, policy: Policy | None = None
) -> list[dict[str, Any]]:
    """Open follow-up obligations, soonest first, each with `escalation_id`, `kind`, `due`,
    `overdue` and its tickets' SLA due times (`within`: e.g. "4h"; `now`: ISO time). Read-only."""
    rules = policy or load_policy()
    moment = parse_instant(now)
    window = parse_duration(within) if within else None
    at_risk = timedelta(hours=rules.thresholds.sla_at_risk_hours)
    where = ledger_path(path)
    if not where.exists():
        return []
    with Ledger(where) as ledger:
        return followups(ledger, moment, window, at_risk)


def ledger_record(
    brief: Mapping[str, Any], path: Path | None = None, policy: Policy | None = None, actor: str | None = None
) -> dict[str, Any]:
    """Record an assessed brief (the `escalation_brief` tool's output object). Recording the same
    tickets and issue again updates that escalation. Returns `escalation_id`, `created`, `status`."""
    with Ledger(ledger_path(path)) as ledger:
        return record_brief(ledger, brief, policy or load_policy(), actor=actor).as_dict()
