"""The triage report: every ticket's outcome ranked, the clusters, and what failed.

The JSON shape (stable: scripts read it):

- `tickets`: one entry per triaged ticket, most urgent first: id, line, account, subject, escalate,
  severity, target_team, priority, rules_fired, cluster (id or null), cluster_escalated, summary, arr,
  fallback (true when the offline reader triaged it because the model failed; a later run retries
  it with the model), model (the one that produced the row)
- `clusters`: tickets reporting the same issue (2+): id, title, ticket_ids, accounts, arr_at_risk,
  arr_unknown_accounts, links, escalate, severity, target_team, priority, rules_fired
- `failed`: id (null when a row had none), line, stage (`malformed`, `dead_letter`, or `unavailable`:
  the model was unavailable and no fallback was allowed; a later run retries it), reason, attempts
- `counts` (with `fallback` and `unavailable`), `run`, and the versions that key the state
- `exit_code`: 0 when every ticket was triaged by the configured model; 1 when some fell back, were
  dead-lettered or wait for the model (`incomplete` below); malformed rows alone do not change it
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from agent.triage.input import Queue
from agent.triage.keys import WorkKey, prompt_version
from agent.triage.patterns import ClusterView
from agent.triage.runner import RunStats
from agent.triage.store import ItemState

REPORT_VERSION = 1
_PRIORITY = {"P1": 0, "P2": 1, "P3": 2, "P4": 3}
_SEVERITY = {"Critical": 0, "High": 1, "Medium": 2}


@dataclass
class Outcome:
    """Everything a run produced, ready to report."""

    queue: Queue
    keys: dict[str, WorkKey]
    summaries: dict[str, dict[str, Any]]
    """Done tickets' stored summaries, by ticket id."""
    states: dict[str, ItemState]
    """States by ticket id."""
    clusters: list[ClusterView]
    stats: RunStats
    model: str
    workspace: str
    policy_version: str
    now: str
    cluster_of: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for view in self.clusters:
            for ticket_id in view.ticket_ids:
                self.cluster_of[ticket_id] = view.id


def _rank(row: dict[str, Any]) -> tuple[Any, ...]:
    return (
        not (row["escalate"] or row["cluster_escalated"]),
        _PRIORITY.get(row["priority"], 9),
        _SEVERITY.get(row["severity"] or "", 9),
        -(row["arr"] or 0.0),
        row["id"],
    )


def ticket_rows(outcome: Outcome) -> list[dict[str, Any]]:
    """The report's `tickets`, most urgent first."""
    escalated = {v.id: v for v in outcome.clusters if v.escalate}
    rows = []
    for item in outcome.queue.items:
        summary = outcome.summaries.get(item.id)
        if summary is None:
            continue
        cluster = outcome.cluster_of.get(item.id)
        rows.append(
            {
                "id": item.id,
                "line": item.line,
                "account": summary["account"],
                "subject": summary["subject"],
                "escalate": summary["escalate"],
                "severity": summary["severity"],
                "target_team": summary["target_team"],
                "priority": summary["priority"],
                "confidence": summary.get("confidence", "high"),
                "rules_fired": summary["rules_fired"],
                "cluster": cluster,
                "cluster_escalated": cluster in escalated,
                "summary": summary["summary"],
                "arr": summary["arr"],
                "fallback": bool(summary.get("fallback")),
                "model": summary.get("model", outcome.model),
            }
        )
    return sorted(rows, key=_rank)


def failed_rows(outcome: Outcome) -> list[dict[str, Any]]:
    """The report's `failed`: malformed rows (by line), then dead-lettered tickets."""
    rows: list[dict[str, Any]] = [
        {"id": m.ticket_id, "line": m.line, "stage": "malformed", "reason": m.reason, "attempts": 0}
        for m in outcome.queue.malformed
    ]
    for item in outcome.queue.items:
        state = outcome.states.get(item.id)
        if state is None:
            continue
        if state.status == "dead":
            stage = "dead_letter"
        elif state.status == "pending" and state.batch is None and state.last_error:
            stage = "unavailable"
        else:
            continue
        rows.append(
            {
                "id": item.id,
                "line": item.line,
                "stage": stage,
                "reason": state.last_error or "failed",
                "attempts": state.attempts,
            }
        )
    return rows


def incomplete(counts: dict[str, int]) -> int:
    """Tickets not (yet) triaged by the configured model: fallbacks, dead letters, unavailable."""
    return counts["fallback"] + counts["dead_letter"] + counts["unavailable"]


def build_report(outcome: Outcome) -> dict[str, Any]:
    """The whole report as a JSON-ready dict."""
    tickets = ticket_rows(outcome)
    failed = failed_rows(outcome)
    s = outcome.stats
    dead = sum(1 for f in failed if f["stage"] == "dead_letter")
    unavailable = sum(1 for f in failed if f["stage"] == "unavailable")
    counts = {
        "tickets": len(outcome.queue.items) + len(outcome.queue.malformed),
        "triaged": len(tickets),
        "escalate": sum(1 for t in tickets if t["escalate"]),
        "low_confidence": sum(1 for t in tickets if t["confidence"] == "low"),
        "clusters": len(outcome.clusters),
        "pattern_escalations": sum(1 for c in outcome.clusters if c.escalate),
        "failed": len(failed),
        "dead_letter": dead,
        "unavailable": unavailable,
        "fallback": sum(1 for t in tickets if t["fallback"]),
        "malformed": len(outcome.queue.malformed),
        "pending": len(outcome.queue.items) - len(tickets) - dead - unavailable,
    }
    return {
        "version": REPORT_VERSION,
        "date": outcome.now,
        "source": outcome.queue.origin,
        "model": outcome.model,
        "workspace": outcome.workspace,
        "policy_version": outcome.policy_version,
        "prompt_version": prompt_version(),
        "counts": counts,
        "exit_code": 1 if incomplete(counts) else 0,
        "run": {
            "triaged_now": s.done,
            "already_done": s.already_done,
            "retried": s.retried,
            "fell_back": s.fell_back,
            "unavailable": s.unavailable,
            "retried_fallbacks": s.retry_fallback,
            "elapsed_seconds": round(s.elapsed, 3),
            "tickets_per_second": round(s.rate, 1),
            "overloaded_answers": s.limiter.overloads,
            "concurrency_decreases": s.limiter.decreases,
        },
        "tickets": tickets,
        "clusters": [c.as_json() for c in outcome.clusters],
        "failed": failed,
    }


def brief_name(kind: str, ident: str) -> str:
    """A safe file name for a brief, e.g. `ticket-1042.md` or `cluster-C1.md`."""
    return f"{kind}-{re.sub(r'[^A-Za-z0-9._-]', '_', ident)[:80]}.md"
