"""The target team, as rules in the same style as `agent.decide.severity`: each TGT-* rule reads the
extraction, facts and the escalation triggers that fired, and either applies (with a reason and the
teams to notify as well) or not. The first rule that applies, in order, sets the target; L2 Support
is the last, and always applies.

Security concerns bypass the tiers; a needed code or system change goes to Engineering even when the
problem is also a business one (Leadership is notified); Leadership handles business problems that need
no technical fix; Product takes feature gaps and design decisions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from agent.decide.rules import Fired, RuleInput

Target = Literal["L2 Support", "Engineering", "Product", "Security", "Leadership"]
Applies = tuple[str, list[Target]] | None
Check = Callable[[RuleInput, Mapping[str, Fired]], Applies]
LEADERSHIP_TRIGGERS = ("BIZ-POLICY-EXCEPTION", "BIZ-PR-LEGAL", "BIZ-EXEC")
DEFECT_TRIGGERS = ("TECH-BUG", "TECH-DATA", "IMPACT-PROD-DOWN", "PAT-REGRESSION")


@dataclass(frozen=True)
class TargetRule:
    id: str
    team: Target
    check: Check


TARGET_RULES: list[TargetRule] = []


def target_rule(rule_id: str, team: Target) -> Callable[[Check], Check]:
    """Register a target rule; rules apply in the order they are registered."""

    def register(check: Check) -> Check:
        TARGET_RULES.append(TargetRule(rule_id, team, check))
        return check

    return register


def technical(x: RuleInput, triggers: Mapping[str, Fired]) -> bool:
    """The issue needs a code or system change (a defect, infrastructure, or a pattern of failures)."""
    s = x.extraction.signals
    defect = any(k in triggers for k in DEFECT_TRIGGERS)
    # An infrastructure mention alone (a past outage behind a credit request) is not work for Engineering.
    infra = "TECH-INFRA" in triggers and not s.policy_exception.present
    return defect or infra or pattern_needs_engineering(x, triggers)


def pattern_needs_engineering(x: RuleInput, triggers: Mapping[str, Fired]) -> bool:
    """Several customers with the same problem, where nothing says the problem is a wish or a business one.

    A feature gap asked for by many is Product's; a joint letter of many asking for an executive (with no
    defect read) is Leadership's, with Engineering notified."""
    if "PAT-MULTI-CUSTOMER" not in triggers:
        return False
    wish = x.extraction.signals.feature_request.present or x.extraction.category == "feature"
    return not wish and not any(k in triggers for k in LEADERSHIP_TRIGGERS)


def leadership_reason(x: RuleInput, triggers: Mapping[str, Fired]) -> str | None:
    """Why the business side needs Leadership, if it does."""
    high_value = bool(x.facts.high_value_accounts)
    if "BIZ-CHURN" in triggers and high_value:
        return "high-revenue customer threatening churn"
    if "BIZ-SLA-BREACH" in triggers and high_value:
        return "SLA breach on a critical account"
    for rule_id in LEADERSHIP_TRIGGERS:
        if rule_id in triggers:
            return triggers[rule_id].reason[0].lower() + triggers[rule_id].reason[1:]
    return None


def product_work(x: RuleInput, triggers: Mapping[str, Fired]) -> bool:
    """A feature gap or design decision (that no technical problem outranks)."""
    s = x.extraction.signals
    return "PROD-FEATURE-GAP" in triggers or (s.feature_request.present and not technical(x, triggers))


@target_rule("TGT-SECURITY", "Security")
def security(x: RuleInput, triggers: Mapping[str, Fired]) -> Applies:
    if "IMPACT-SECURITY" not in triggers:
        return None
    notify: list[Target] = []
    if technical(x, triggers):
        notify.append("Engineering")
    if leadership_reason(x, triggers):
        notify.append("Leadership")
    return "Security concerns bypass the tiers and go straight to Security", notify


@target_rule("TGT-ENGINEERING", "Engineering")
def engineering(x: RuleInput, triggers: Mapping[str, Fired]) -> Applies:
    if not technical(x, triggers):
        return None
    notify: list[Target] = ["Leadership"] if leadership_reason(x, triggers) else []
    return "Engineering: confirmed bug, infrastructure or data problem needing a code or system change", notify


@target_rule("TGT-LEADERSHIP", "Leadership")
def leadership(x: RuleInput, triggers: Mapping[str, Fired]) -> Applies:
    reason = leadership_reason(x, triggers)
    if reason is None:
        return None
    notify: list[Target] = ["Product"] if product_work(x, triggers) else []
    if "PAT-MULTI-CUSTOMER" in triggers:
        notify.append("Engineering")
    return f"Leadership: {reason}", notify


@target_rule("TGT-PRODUCT", "Product")
def product(x: RuleInput, triggers: Mapping[str, Fired]) -> Applies:
    if not product_work(x, triggers):
        return None
    return "Product: feature gap or design decision causing customer pain", []


UNPLACED = "CPLX-NO-HANDLE"
BREADTH_TRIGGERS = ("IMPACT-MULTI", "BIZ-HIGH-VALUE")
L2_TRIGGERS = ("CPLX-BEYOND", "CPLX-CUSTOM", "TIME-WAITING", "TIME-STALLED")
CATEGORY_TEAMS: dict[str, Target] = {
    "security": "Security",
    "bug": "Engineering",
    "data": "Engineering",
    "performance": "Engineering",
    "integration": "Engineering",
    "feature": "Product",
    "business": "Leadership",
}
"""Where an escalation that no rule above placed goes, by its category: one that no criterion placed
at all, or one escalated by its breadth or its account alone (several customers, a key account) with
no defect, security concern or feature gap read. L2 Support stays for issues whose category says
nothing about the owning team, for the tier's own triggers (`L2_TRIGGERS`), and for escalations by
time, SLA, churn or a worsening trend alone."""


def _unplaced_in(team: Target) -> Check:
    def check(x: RuleInput, triggers: Mapping[str, Fired]) -> Applies:
        category = x.extraction.category
        if CATEGORY_TEAMS.get(category) != team:
            return None
        if UNPLACED in triggers:
            return f"{team} reviews: no escalation criterion placed the issue, and its category is '{category}'", []
        if not any(k in triggers for k in BREADTH_TRIGGERS) or any(k in triggers for k in L2_TRIGGERS):
            return None  # the seed's own L2 Support work: beyond frontline diagnosis, or waiting too long
        return f"{team}: no rule placed the issue with a team, and its category is '{category}'", []

    return check


target_rule("TGT-UNPLACED-SECURITY", "Security")(_unplaced_in("Security"))
target_rule("TGT-UNPLACED-ENGINEERING", "Engineering")(_unplaced_in("Engineering"))
target_rule("TGT-UNPLACED-PRODUCT", "Product")(_unplaced_in("Product"))
target_rule("TGT-UNPLACED-LEADERSHIP", "Leadership")(_unplaced_in("Leadership"))


@target_rule("TGT-L2", "L2 Support")
def l2_support(_: RuleInput, __: Mapping[str, Fired]) -> Applies:
    return "L2 Support: needs deeper investigation or specialised troubleshooting before it can go further", []


def target_for(x: RuleInput, triggers: Mapping[str, Fired]) -> tuple[Target, Fired, list[Target]]:
    """The target team, the TGT-* rule that chose it, and the teams to notify as well."""
    for rule in TARGET_RULES:
        applies = rule.check(x, triggers)
        if applies is not None:
            reason, notify = applies
            return rule.team, Fired(rule.id, "target", reason), notify
    raise AssertionError("TGT-L2 always applies")
