"""The JSON output contract (DESIGN.md): stable keys that scripts and tests depend on."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Any

from agent.models.pricing import estimate_cost
from agent.render.markdown import customer_reply, interim_update, render_markdown
from agent.service import BriefResult


def _evidence(items: Any) -> list[dict[str, Any]]:
    return [e.model_dump() for e in items]


def to_json(result: BriefResult, markdown: str | None = None) -> dict[str, Any]:
    """One object: the decision, its reasons and evidence, the impact, the asks and the brief."""
    d, now = result.decision, result.request.now
    cadence = d.cadence
    follow_up: dict[str, Any] = {"internal": None, "customer": None}
    if cadence is not None:
        follow_up = {
            "internal": cadence.internal,
            "customer": cadence.customer,
            "internal_hours": cadence.internal_hours,
            "customer_hours": cadence.customer_hours,
            "next_internal_at": (now + timedelta(hours=cadence.internal_hours)).isoformat(),
            "next_customer_at": (now + timedelta(hours=cadence.customer_hours)).isoformat(),
        }
    follow_up["de_escalation"] = [asdict(c) for c in d.de_escalation]
    impact = asdict(result.impact)
    return {
        "escalate": d.escalate,
        "severity": d.severity,
        "target_team": d.target_team,
        "also_notify": d.also_notify,
        "priority": d.priority,
        "summary": result.extraction.summary,
        "impact": impact,
        "rules_fired": [
            {"id": f.id, "family": f.family, "reason": f.reason, "evidence": _evidence(f.evidence)} for f in d.fired
        ],
        "follow_up": follow_up,
        "needed": {
            "asks": d.asks,
            "kind": d.ask_kind,
            "deadline": d.deadline.isoformat() if d.deadline else None,
            "deadline_reason": d.deadline_reason,
        },
        "watch": d.watch,
        "customer_update": interim_update(result) if d.escalate else customer_reply(result),
        "model": result.model,
        "workspace": result.workspace,
        "date": now.isoformat(),
        "reported_by": result.request.reported_by,
        "policy_version": result.policy.version,
        "sources": {"calls": result.gathered.calls, "unavailable": result.gathered.unavailable},
        "notices": result.notices,
        "extraction_fallback": result.extraction_fallback,
        "usage": {**result.usage.model_dump(), "cost_usd": estimate_cost(result.usage, result.model)},
        "extraction": result.extraction.model_dump(mode="json"),
        "markdown": markdown if markdown is not None else render_markdown(result),
    }
