"""From fired criteria to a decision: escalate or not, severity, target, priority, ask, deadline.

Each step is itself a rule with a stable id (SEV-*, TGT-*, PRI-*, ASK-*, DEESC-*) so the brief can say
exactly why it chose what it chose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from agent.decide.policy import Cadence, Severity
from agent.decide.rules import Fired, RuleInput, evaluate
from agent.decide.severity import severity_for
from agent.decide.target import Target, target_for
from agent.extract.schema import AskKind, Evidence

Confidence = Literal["high", "medium", "low"]
ROUTINE_CATEGORIES = ("account", "billing")
"""A request in these categories with nothing reported broken is a routine service request support performs."""
LOOKED_FOR = (
    "a documented solution or known workaround, a configuration the customer can fix, a guidance or training "
    "request, a known limitation with a documented alternative, or earlier tickets solved in support"
)


@dataclass(frozen=True)
class DeEscalation:
    """A de-escalation condition from the seed and whether it holds now."""

    id: str
    condition: str
    met: bool


@dataclass
class Decision:
    """The deterministic outcome for one issue."""

    escalate: bool
    severity: Severity | None
    target_team: Target | None
    also_notify: list[Target]
    priority: str
    fired: list[Fired]
    asks: list[str]
    ask_kind: AskKind | None
    deadline: datetime | None
    deadline_reason: str | None
    cadence: Cadence | None
    de_escalation: list[DeEscalation] = field(default_factory=list)
    watch: list[str] = field(default_factory=list)
    """For a handle-in-support result: what would make it an escalation."""
    confidence: Confidence = "high"
    """How firmly the reading supports this decision: low means confirm by hand."""
    confidence_reason: str = ""

    def fired_ids(self) -> list[str]:
        return [f.id for f in self.fired]


def _fire(rule_id: str, family: str, reason: str, evidence: list[Evidence] | tuple[Evidence, ...] = ()) -> Fired:
    return Fired(rule_id, family, reason, tuple(evidence)[:6])


def _priority(x: RuleInput, severity: Severity | None, support: list[Fired]) -> tuple[str, Fired]:
    """The P1-P4 level and the PRI-* rule that mapped it."""
    mapping = x.policy.priority
    if severity is not None:
        level = getattr(mapping, severity)
        return level, _fire("PRI-FROM-SEVERITY", "priority", f"{level}: mapped from {severity} severity")
    s = x.extraction.signals
    request_only = {f.id for f in support} <= {"HS-GUIDANCE", "HS-LIMITATION", "HS-FEATURE-REQUEST"}
    misconfigured = s.configuration_issue.present and not s.guidance_request.present
    broken = s.confirmed_bug.present or misconfigured or s.blocked.present
    if request_only and not broken:
        level = mapping.support_request
        return level, _fire("PRI-SUPPORT-REQUEST", "priority", f"{level}: how-to, feature request or known limitation")
    level = mapping.support_defect
    return level, _fire(
        "PRI-SUPPORT-DEFECT", "priority", f"{level}: something is broken or misconfigured, handled in support"
    )


def _de_escalation(x: RuleInput) -> list[DeEscalation]:
    s = x.extraction.signals
    return [
        DeEscalation(
            "DEESC-SUPPORT-RESOLVABLE",
            "Root cause is found and it's a support-resolvable issue",
            s.configuration_issue.present,
        ),
        DeEscalation(
            "DEESC-WORKAROUND",
            "A workaround is found that unblocks the customer",
            # A way around the broken function does not undo data already at risk or a breach.
            s.workaround_available.present
            and not s.workaround_failed.present
            and not (s.data_loss.present or s.security_concern.present),
        ),
        DeEscalation("DEESC-RESOLVED", "The issue resolves itself (still document the root cause)", s.resolved.present),
        DeEscalation("DEESC-NEW-INFO", "New information changes the severity assessment", False),
    ]


RESOLVABLE_OUTAGE = frozenset(
    {"IMPACT-PROD-DOWN", "IMPACT-MULTI", "PAT-MULTI-CUSTOMER", "TECH-INFRA", "BIZ-HIGH-VALUE"}
)
"""Triggers that describe how bad an outage is, not what caused it."""
ANSWERED = frozenset({"HS-DOCUMENTED", "HS-GUIDANCE", "HS-LIMITATION", "HS-PRECEDENT"})


def _support_resolvable(x: RuleInput, support: list[Fired], triggers: list[Fired]) -> bool:
    """The seed's de-escalation "root cause is found and it's a support-resolvable issue": the cause is the
    customer's configuration and a documented answer exists. Then an outage's breadth alone does not
    escalate it; data, security, a defect or a business trigger still does."""
    ids = {f.id for f in support}
    s = x.extraction.signals
    defect = any(
        signal.present
        for signal in (s.data_loss, s.security_concern, s.confirmed_bug, s.regression, s.recurring, s.churn_threat)
    )
    if "HS-CONFIG" not in ids or not ids & ANSWERED or defect:
        return False
    return all(f.id in RESOLVABLE_OUTAGE or not f.hard for f in triggers)


def _routine_request(x: RuleInput) -> bool:
    """Positive evidence of support's own work: an account or billing request with nothing reported broken."""
    e = x.extraction
    return e.category in ROUTINE_CATEGORIES and not e.error_codes and not e.repro.actual


def _unread() -> Fired:
    return _fire(
        "CPLX-NO-HANDLE",
        "complexity",
        f"Neither an escalation criterion nor a handle-in-support condition was found (looked for {LOOKED_FOR}): "
        "L2 Support to review",
    )


def _confidence(escalate: bool, hard: list[Fired], soft: list[Fired], support: list[Fired]) -> tuple[Confidence, str]:
    if escalate and not hard and not soft:
        return "low", f"no escalation criterion and no handle-in-support condition found (looked for {LOOKED_FOR})"
    if escalate and hard:
        return "high", f"hard criterion {hard[0].id}: {hard[0].reason}"
    if escalate:
        return "medium", f"only soft criteria ({', '.join(f.id for f in soft)}) with no handle-in-support condition"
    if not support:
        return "medium", "a routine account or billing request; nothing is reported broken"
    if soft:
        return "medium", f"{support[0].id} outweighs the soft criteria {', '.join(f.id for f in soft)}"
    return "high", f"{support[0].id}: {support[0].reason}, and no escalation criterion"


def decide(x: RuleInput) -> Decision:
    """Apply every rule and combine them into one decision.

    Handle in support only on positive evidence: a seed handle condition, or a routine account or billing
    request. With neither that nor any escalation criterion, escalate to L2 Support for review, low confidence.
    """
    from agent.decide.asks import asks_for, deadline_for

    fired = evaluate(x)
    support = [f for f in fired if f.family == "support"]
    triggers = {f.id: f for f in fired if f.family != "support"}
    if _support_resolvable(x, support, list(triggers.values())):
        triggers = {k: Fired(f.id, f.family, f.reason, f.evidence, hard=False) for k, f in triggers.items()}
    hard = [f for f in triggers.values() if f.hard]
    soft = [f for f in triggers.values() if not f.hard]
    unread = not triggers and not support and not _routine_request(x)
    escalate = bool(hard) or (bool(soft) and not support) or unread
    confidence, confidence_reason = _confidence(escalate, hard, soft, support)
    if unread:
        triggers = {"CPLX-NO-HANDLE": _unread()}
    if not escalate:
        chosen = [*support, *soft]
        if not support:
            chosen.append(
                _fire(
                    "HS-NO-TRIGGER", "support", "A routine request with no escalation criterion: support can handle it"
                )
            )
        watch = [f"{f.id}: {f.reason}" for f in soft]
        level, priority = _priority(x, None, support)
        return Decision(
            escalate=False,
            severity=None,
            target_team=None,
            also_notify=[],
            priority=level,
            fired=[*chosen, priority],
            asks=[],
            ask_kind=None,
            deadline=None,
            deadline_reason=None,
            cadence=None,
            de_escalation=_de_escalation(x),
            watch=watch,
            confidence=confidence,
            confidence_reason=confidence_reason,
        )
    support = [
        Fired(f.id, f.family, f"Considered, but overridden by the escalation criteria: {f.reason}", f.evidence)
        for f in support
    ]
    severity, severity_rule = severity_for(x, triggers)
    team, target_rule, notify = target_for(x, triggers)
    asks, kind, ask_rule = asks_for(x, target_rule.id)
    deadline, deadline_reason = deadline_for(x, severity)
    level, priority = _priority(x, severity, support)
    decided = [
        severity_rule,
        target_rule,
        priority,
        _fire(ask_rule, "ask", f"Ask: {kind.replace('_', ' ')}"),
    ]
    return Decision(
        escalate=True,
        severity=severity,
        target_team=team,
        also_notify=notify,
        priority=level,
        fired=[*triggers.values(), *support, *decided],
        asks=asks,
        ask_kind=kind,
        deadline=deadline,
        deadline_reason=deadline_reason,
        cadence=x.policy.cadence[severity],
        de_escalation=_de_escalation(x),
        confidence=confidence,
        confidence_reason=confidence_reason,
    )
