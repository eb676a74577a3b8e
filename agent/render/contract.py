"""The JSON output contract (DESIGN.md): one pydantic model, `BriefOutput`, used by `--format json`,
the MCP tools' output schema, the write actions (which read a saved brief back) and the evals."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from agent.brief import BriefResult
from agent.render.markdown import customer_reply, interim_update, render_markdown

Severity = Literal["Critical", "High", "Medium"]
Target = Literal["L2 Support", "Engineering", "Product", "Security", "Leadership"]


class _Out(BaseModel):
    # Saved briefs are read back by actions; keys added by a newer version must not break them.
    model_config = ConfigDict(extra="allow", frozen=True)


class EvidenceOut(_Out):
    """One citation: the record (source, id, url) and a short quote from it."""

    source: str
    id: str
    url: str | None = None
    quote: str = ""


class RuleOut(_Out):
    """A rule that fired, why, and on what evidence."""

    id: str
    family: str
    reason: str
    evidence: list[EvidenceOut] = Field(default_factory=list)


class NeededOut(_Out):
    """What the brief asks of its target, and by when."""

    asks: list[str] = Field(default_factory=list)
    kind: str | None = None
    deadline: str | None = None
    deadline_reason: str | None = None


class SourcesOut(_Out):
    """The tool calls made while gathering, and the sources that failed."""

    calls: list[str] = Field(default_factory=list)
    unavailable: dict[str, str] = Field(default_factory=dict)


class UsageOut(_Out):
    """Model usage for the brief, with the estimated cost (None when the price is unknown)."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    calls: int = 0
    cost_usd: float | None = None


class ConfidenceOut(_Out):
    """How sure the decision is, and why (low: confirm by hand)."""

    level: Literal["high", "medium", "low"] = "high"
    reason: str = ""


class BriefOutput(_Out):
    """One brief as scripts, MCP clients and write actions see it."""

    escalate: bool
    severity: Severity | None = None
    target_team: Target | None = None
    also_notify: list[str] = Field(default_factory=list)
    priority: str | None = None
    confidence: ConfidenceOut = Field(default_factory=ConfidenceOut)
    summary: str = Field(min_length=1)
    impact: dict[str, Any] = Field(default_factory=dict)
    rules_fired: list[RuleOut] = Field(default_factory=list)
    follow_up: dict[str, Any] = Field(default_factory=dict)
    """Internal and customer cadence with the next due times (absent without an escalation), and
    the de-escalation conditions."""
    needed: NeededOut = Field(default_factory=NeededOut)
    watch: list[str] = Field(default_factory=list)
    customer_update: str = ""
    model: str | None = None
    workspace: str | None = None
    date: str | None = None
    reported_by: str | None = None
    policy_version: str | None = None
    sources: SourcesOut = Field(default_factory=SourcesOut)
    notices: list[str] = Field(default_factory=list)
    extraction_fallback: bool = False
    usage: UsageOut = Field(default_factory=UsageOut)
    extraction: dict[str, Any] = Field(default_factory=dict)
    markdown: str = ""
    escalation_id: str | None = None
    """Set when the brief was recorded in the escalation ledger (`--record`)."""


def _follow_up(result: BriefResult) -> dict[str, Any]:
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
    return follow_up


def to_output(result: BriefResult, markdown: str | None = None) -> BriefOutput:
    """The contract for one brief: the decision, its reasons and evidence, the impact, the asks and
    the rendered brief (`markdown` when already rendered)."""
    d = result.decision
    return BriefOutput(
        escalate=d.escalate,
        severity=d.severity,
        target_team=d.target_team,
        also_notify=list(d.also_notify),
        priority=d.priority,
        confidence=ConfidenceOut(level=d.confidence, reason=d.confidence_reason),
        summary=result.extraction.summary,
        impact=asdict(result.impact),
        rules_fired=[
            RuleOut(
                id=f.id,
                family=f.family,
                reason=f.reason,
                evidence=[EvidenceOut(**e.model_dump()) for e in f.evidence],
            )
            for f in d.fired
        ],
        follow_up=_follow_up(result),
        needed=NeededOut(
            asks=d.asks,
            kind=d.ask_kind,
            deadline=d.deadline.isoformat() if d.deadline else None,
            deadline_reason=d.deadline_reason,
        ),
        watch=d.watch,
        customer_update=interim_update(result) if d.escalate else customer_reply(result),
        model=result.model,
        workspace=result.workspace,
        date=result.request.now.isoformat(),
        reported_by=result.request.reported_by,
        policy_version=result.policy.version,
        sources=SourcesOut(calls=result.gathered.calls, unavailable=result.gathered.unavailable),
        notices=result.notices,
        extraction_fallback=result.extraction_fallback,
        usage=UsageOut(**result.usage.model_dump(), cost_usd=result.cost_usd),
        extraction=result.extraction.model_dump(mode="json"),
        markdown=markdown if markdown is not None else render_markdown(result),
    )


def to_json(result: BriefResult, markdown: str | None = None) -> dict[str, Any]:
    """The contract as plain JSON data."""
    return to_output(result, markdown).model_dump(mode="json")
