"""Escalation criteria as pure functions: each reads the extraction, the facts and the policy and
either fires (with a reason and evidence) or not. No I/O, no model, no clock but `facts.now`.

Ids are stable: they appear in the brief, the JSON output, the evals and the tests.
Families follow the seed: `support` (handle in support), and the six escalation trigger families
`technical`, `complexity`, `impact`, `business`, `time`, `pattern`, plus `product` (a feature gap
that hurts). `hard` triggers escalate even when support has a documented answer; `soft` ones
escalate only when it has none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from agent.decide.facts import Facts
from agent.decide.policy import Policy
from agent.extract.evidence import cite, dedupe, says_written_down
from agent.extract.schema import Evidence, Extraction, Signal

Family = Literal["support", "technical", "complexity", "impact", "business", "time", "pattern", "product"]
SignalName = Literal[
    "production_down",
    "data_loss",
    "security_concern",
    "sla_breached",
    "sla_at_risk",
    "churn_threat",
    "executive_involvement",
    "workaround_available",
    "workaround_failed",
    "documented_solution",
    "configuration_issue",
    "guidance_request",
    "known_limitation",
    "feature_request",
    "confirmed_bug",
    "regression",
    "infrastructure_issue",
    "beyond_support",
    "custom_implementation",
    "pr_legal_risk",
    "policy_exception",
    "previously_solved_in_support",
    "resolved",
    "recurring",
    "worsening",
    "blocked",
]
"""Every yes/no finding of `Signals`, by name: a misspelt name is a type error, not a silent False."""


@dataclass(frozen=True)
class Fired:
    """A rule that fired: which, why, on what evidence."""

    id: str
    family: str
    reason: str
    evidence: tuple[Evidence, ...] = ()
    hard: bool = False


@dataclass(frozen=True)
class RuleInput:
    """What every rule reads."""

    extraction: Extraction
    facts: Facts
    policy: Policy

    def signal(self, name: SignalName) -> Signal:
        value = getattr(self.extraction.signals, name)
        assert isinstance(value, Signal)
        return value

    def has(self, name: SignalName) -> bool:
        return self.signal(name).present


@dataclass(frozen=True)
class Rule:
    id: str
    family: Family
    hard: bool
    check: Callable[[RuleInput], tuple[str, list[Evidence]] | None]


RULES: list[Rule] = []


def rule(
    rule_id: str, family: Family, hard: bool = False
) -> Callable[
    [Callable[[RuleInput], tuple[str, list[Evidence]] | None]],
    Callable[[RuleInput], tuple[str, list[Evidence]] | None],
]:
    """Register a criterion. The function returns (reason, evidence) when it fires, else None."""

    def register(
        check: Callable[[RuleInput], tuple[str, list[Evidence]] | None],
    ) -> Callable[[RuleInput], tuple[str, list[Evidence]] | None]:
        RULES.append(Rule(rule_id, family, hard, check))
        return check

    return register


def _when(x: RuleInput, name: SignalName, reason: str) -> tuple[str, list[Evidence]] | None:
    signal = x.signal(name)
    return (reason, signal.evidence) if signal.present else None


# --- handle in support --------------------------------------------------------------------


@rule("HS-DOCUMENTED", "support")
def documented(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    if x.has("workaround_failed"):
        return None
    articles = [cite(a) for a in x.facts.articles]
    if x.has("documented_solution"):
        return "A documented solution exists", [*x.signal("documented_solution").evidence, *articles]
    # "Known workaround" means one the KB documents (a gathered article, or the text saying the KB or
    # docs give it). An ad-hoc fallback found in a ticket ("we use the phone tree for now") still leaves
    # the problem to fix; it only lowers severity (the seed's Medium: "significant issue with workaround").
    said = x.signal("workaround_available").evidence
    # Known means written down: read from an article, or quoted as the KB's or docs'. A stopgap someone
    # improvised ("she's fine moving stages by hand for now") beside an unrelated article is not.
    documented = {a.source_id for a in x.facts.articles}
    if x.has("workaround_available") and (any(e.id in documented for e in said) or says_written_down(said)):
        return "A known workaround unblocks the customer", [*said, *articles]
    return None


@rule("HS-CONFIG", "support")
def configuration(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    return _when(x, "configuration_issue", "A configuration or setup issue that support can resolve")


@rule("HS-GUIDANCE", "support")
def guidance(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    # "How do we make X do Y?" answered by "it can't, and that hurts" is a feature gap, not a how-to.
    if feature_gap(x) is not None:
        return None
    return _when(x, "guidance_request", "The customer needs guidance or training, not a fix")


@rule("HS-LIMITATION", "support")
def limitation(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    if x.has("workaround_failed"):  # the alternative does not fit: a gap, not support's to close
        return None
    return _when(x, "known_limitation", "A known limitation with a documented alternative")


@rule("HS-PRECEDENT", "support")
def precedent(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    return _when(x, "previously_solved_in_support", "Similar earlier tickets were resolved at the support level")


# --- technical ----------------------------------------------------------------------------


@rule("TECH-BUG", "technical")
def confirmed_bug(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    open_bugs = [i for i in x.facts.tracker if i.issue_type == "bug" and not i.resolved]
    if x.has("confirmed_bug") or open_bugs:
        keys = ", ".join(i.key for i in open_bugs)
        reason = "Confirmed bug that needs a code fix" + (f" (tracked as {keys})" if keys else "")
        return reason, [*x.signal("confirmed_bug").evidence, *(cite(i) for i in open_bugs)]
    if x.has("regression"):
        return "Regression: it worked before, so a code change broke it", x.signal("regression").evidence
    return None


@rule("TECH-INFRA", "technical")
def infrastructure(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    return _when(x, "infrastructure_issue", "Needs infrastructure or system-level investigation")


@rule("TECH-DATA", "technical", hard=True)
def data_loss(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    return _when(x, "data_loss", "Data loss or corruption: data integrity at risk")


# --- complexity ---------------------------------------------------------------------------


@rule("CPLX-BEYOND", "complexity")
def beyond_support(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    return _when(x, "beyond_support", "Beyond support's ability to diagnose, or needs access support does not have")


@rule("CPLX-CUSTOM", "complexity")
def custom_implementation(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    return _when(x, "custom_implementation", "Involves a custom implementation")


# --- impact -------------------------------------------------------------------------------


@rule("IMPACT-MULTI", "impact")
def multiple_customers(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    n = x.facts.distinct_customers
    if n >= x.policy.thresholds.multiple_customers or x.extraction.affected.segment:
        scope = x.extraction.affected.segment or f"{n} customers"
        return f"Multiple customers affected ({scope})", [*x.facts.customers_evidence, *x.extraction.affected.evidence]
    return None


@rule("IMPACT-PROD-DOWN", "impact", hard=True)
def production_down(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    return _when(x, "production_down", "Production system or core workflow down")


@rule("IMPACT-SECURITY", "impact", hard=True)
def security(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    kind = (x.extraction.signals.security_kind or "concern").replace("_", " ")
    return _when(x, "security_concern", f"Security concern ({kind}): bypasses the tiers")


# --- business -----------------------------------------------------------------------------


def _high_value_names(x: RuleInput) -> str:
    return ", ".join(f"{a.name} (ARR ${a.arr:,.0f})" for a in x.facts.high_value_accounts)


@rule("BIZ-HIGH-VALUE", "business", hard=True)
def high_value_at_risk(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    accounts = x.facts.high_value_accounts
    risks: tuple[SignalName, ...] = ("churn_threat", "blocked", "production_down", "data_loss")
    at_risk = [n for n in risks if x.has(n)]
    if accounts and at_risk:
        threshold = x.policy.thresholds.high_value_arr
        reason = f"High-value customer at risk: {_high_value_names(x)} at or above ${threshold:,.0f} ARR"
        return reason, [cite(a.record) for a in accounts if a.record]
    return None


@rule("BIZ-SLA-BREACH", "business", hard=True)
def sla_breached(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    breached = [s for s in x.facts.sla if s.breached]
    if breached:
        ids = ", ".join(f"#{s.ticket.source_id}" for s in breached)
        evidence = [cite(s.ticket, f"SLA due {s.due_at:%Y-%m-%d %H:%M} UTC") for s in breached]
        return f"SLA breached on {ids}", evidence
    return _when(x, "sla_breached", "SLA breached (stated in the ticket)")


@rule("BIZ-SLA-RISK", "business", hard=True)
def sla_at_risk(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    due = [s for s in x.facts.sla if not s.breached]
    if due and not any(s.breached for s in x.facts.sla):
        hours = x.policy.thresholds.sla_at_risk_hours
        evidence = [cite(s.ticket, f"SLA due {s.due_at:%Y-%m-%d %H:%M} UTC") for s in due]
        return f"SLA breach imminent (due within {hours:g} h)", evidence
    if not x.facts.sla:
        return _when(x, "sla_at_risk", "SLA at risk (stated in the ticket)")
    return None


@rule("BIZ-EXEC", "business", hard=True)
def executive(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    return _when(x, "executive_involvement", "Customer is requesting executive involvement")


@rule("BIZ-CHURN", "business")
def churn(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    # Soft: the seed escalates churn of high-value customers (BIZ-HIGH-VALUE, hard); a small account's
    # threat over something support can answer stays in support, with the threat on the watch list.
    return _when(x, "churn_threat", "Customer is threatening to churn")


@rule("BIZ-POLICY-EXCEPTION", "business", hard=True)
def policy_exception(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    return _when(x, "policy_exception", "An exception to policy is required")


@rule("BIZ-PR-LEGAL", "business", hard=True)
def pr_legal(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    return _when(x, "pr_legal_risk", "PR or legal risk")


# --- time ---------------------------------------------------------------------------------


@rule("TIME-WAITING", "time")
def waiting(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    open_for = x.facts.open_for
    limit = x.policy.thresholds.waiting_too_long_days
    if open_for is not None and x.facts.open_tickets and open_for.total_seconds() >= limit * 86400:
        oldest = min(x.facts.open_tickets, key=lambda t: t.created_at)
        quote = f"opened {oldest.created_at:%Y-%m-%d}"
        return f"Customer has been waiting {open_for.days} days (limit {limit:g})", [cite(oldest, quote)]
    return None


@rule("TIME-STALLED", "time")
def stalled(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    chases = x.facts.customer_follow_ups()
    if chases >= x.policy.thresholds.stalled_customer_follow_ups:
        return f"Normal support channels are not progressing ({chases} customer follow-ups)", [
            cite(t) for t in x.facts.open_tickets[:3]
        ]
    return None


# --- pattern ------------------------------------------------------------------------------


@rule("PAT-MULTI-CUSTOMER", "pattern", hard=True)
def pattern(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    n, needed = x.facts.distinct_customers, x.policy.thresholds.pattern_customers
    if n >= needed:
        return f"Same issue reported by {n} customers (threshold {needed})", x.facts.customers_evidence
    return None


@rule("PAT-REGRESSION", "pattern", hard=True)
def regression(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    reopened = [i for i in x.facts.tracker if i.regression_of]
    if reopened:
        detail = ", ".join(f"{i.key} reopens {i.regression_of}" for i in reopened)
        return f"Recurring issue that was supposedly fixed ({detail})", [cite(i) for i in reopened]
    if x.facts.fixed_before:
        past = x.facts.fixed_before
        detail = "; ".join(
            f"{f.escalation_id} closed as fixed{f' on {f.closed_at[:10]}' if f.closed_at else ''}" for f in past
        )
        evidence = [Evidence(source="ledger", id=f.escalation_id, url=None, quote=f.summary[:200]) for f in past]
        return f"Recurring issue that was supposedly fixed ({detail})", evidence
    return _when(x, "recurring", "Recurring issue that was supposedly fixed")


@rule("PAT-WORSENING", "pattern")
def worsening(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    return _when(x, "worsening", "Increasing severity over time")


# --- product ------------------------------------------------------------------------------


COMPETING = re.compile(
    r"\b(?:opposite|conflicting|contradictory|competing) (?:things|behaviou?rs?|settings|requirements|needs)\b", re.I
)
BY_DESIGN = re.compile(
    r"\b(?:by design|(?:works|working|behaves|operates) as (?:designed|intended)|intended behaviou?r)\b", re.I
)


@rule("PROD-FEATURE-GAP", "product")
def feature_gap(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    if not x.has("feature_request"):
        return None
    # A documented alternative or workaround that does not fit leaves the customer stuck: that is pain.
    pains: list[SignalName] = [
        name for name in ("blocked", "executive_involvement", "workaround_failed") if x.has(name)
    ]
    known_value = [a for a in x.facts.accounts if a.arr is not None]
    if x.has("churn_threat") and (x.facts.high_value_accounts or not known_value):
        # A small account's threat over a wish is support's to answer; with no CRM value, err higher.
        pains.append("churn_threat")
    many = x.facts.distinct_customers >= x.policy.thresholds.multiple_customers
    # A pending deal worth a high-value account that hinges on the gap is the seed's "pending deals affected".
    threshold = x.policy.thresholds.high_value_arr
    deal = any(m.kind in ("deal", "contract") and m.amount >= threshold for m in x.extraction.money)
    # The seed's Product work includes "competing customer needs require prioritization".
    competing = any(COMPETING.search(e.quote) for e in x.signal("feature_request").evidence)
    if pains or many or deal or competing or x.facts.high_value_accounts:
        return "Feature gap causing customer pain", x.signal("feature_request").evidence
    return None


@rule("HS-FEATURE-REQUEST", "support")
def plain_feature_request(x: RuleInput) -> tuple[str, list[Evidence]] | None:
    # A wish logged for Product answers nothing about a defect found beside it, unless the text says the
    # behaviour is by design (then "it stopped working" is not a defect).
    wish = x.signal("feature_request").evidence
    if confirmed_bug(x) is not None and not any(BY_DESIGN.search(e.quote) for e in wish):
        return None
    if x.has("feature_request") and feature_gap(x) is None:
        return "Feature request without business pressure: log it for Product", x.signal("feature_request").evidence
    return None


def evaluate(x: RuleInput) -> list[Fired]:
    """Every criterion that fires, in rule order."""
    fired: list[Fired] = []
    for item in RULES:
        result = item.check(x)
        if result is not None:
            reason, evidence = result
            fired.append(Fired(item.id, item.family, reason, tuple(dedupe(list(evidence))[:6]), item.hard))
    return fired
