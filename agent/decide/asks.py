"""What the brief asks of its target, and by when: typed asks (investigate / fix / decide /
approve exception) derived from the decision, never from ticket text alone."""

from __future__ import annotations

from datetime import datetime, timedelta

from agent.decide.policy import Severity
from agent.decide.rules import RuleInput
from agent.extract.schema import AskKind


def _customers(x: RuleInput) -> str:
    names = [a.name for a in x.facts.accounts]
    if x.extraction.affected.segment and len(names) < 2:
        return x.extraction.affected.segment
    if not names:
        return "the customer"
    return ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")


def asks_for(x: RuleInput, target_rule: str) -> tuple[list[str], AskKind, str]:
    """The asks for the target team, the ask kind, and the ASK-* rule id that chose them."""
    s, f = x.extraction.signals, x.facts
    problem = x.extraction.problem.rstrip(".")
    who = _customers(x)
    asks: list[str] = []
    if target_rule == "TGT-SECURITY":
        kind: AskKind = "investigate"
        asks.append(
            f"Assess the potential {(s.security_kind or 'security issue').replace('_', ' ')} and confirm containment: {problem}"
        )
        asks.append(f"Advise what support may tell {who}, and whether disclosure obligations apply")
        rule_id = "ASK-SECURITY-ASSESS"
    elif target_rule == "TGT-ENGINEERING":
        reopened = [i for i in f.tracker if i.regression_of]
        tracked = [i for i in f.tracker if i.issue_type == "bug" and not i.resolved]
        if reopened:
            kind, rule_id = "fix", "ASK-FIX-REGRESSION"
            asks.append(
                f"Prioritize the fix for {reopened[0].key} (regression of {reopened[0].regression_of}) and add a test that keeps it fixed"
            )
        elif tracked and s.confirmed_bug.present:
            kind, rule_id = "fix", "ASK-FIX-TRACKED"
            asks.append(f"Prioritize the fix for {tracked[0].key} and give an ETA we can share with {who}")
        else:
            kind, rule_id = "investigate", "ASK-INVESTIGATE"
            asks.append(f"Investigate the root cause: {problem}")
        if s.data_loss.present:
            asks.append("Confirm which data is affected and whether it can be recovered or re-exported")
    elif target_rule == "TGT-LEADERSHIP":
        if s.policy_exception.present:
            kind, rule_id = "approve_exception", "ASK-APPROVE-EXCEPTION"
            asks.append(f"Approve or decline the exception requested by {who}: {problem}")
        else:
            kind, rule_id = "decide", "ASK-LEADERSHIP-DECIDE"
            asks.append(f"Decide what we commit to {who} on: {problem}")
        if s.executive_involvement.present:
            asks.append("Name an executive sponsor for the customer call the customer requested")
    elif target_rule == "TGT-PRODUCT":
        kind, rule_id = "decide", "ASK-PRODUCT-DECIDE"
        asks.append(f"Make a product decision on: {problem}; give a roadmap answer we can share with {who}")
    else:
        kind, rule_id = "investigate", "ASK-L2-INVESTIGATE"
        asks.append(f"Take over the investigation with advanced troubleshooting: {problem}")
    if x.extraction.ask.detail:
        asks.append(f"Requester's ask: {x.extraction.ask.detail.rstrip('.')}")
    return asks, kind, rule_id


def deadline_for(x: RuleInput, severity: Severity) -> tuple[datetime, str]:
    """The earliest of: the severity's response deadline, a pending SLA due time, the customer's
    stated deadline, and (for churn) the renewal date."""
    f = x.facts
    hours = x.policy.deadline_hours[severity]
    options: list[tuple[datetime, str]] = [
        (f.now + timedelta(hours=hours), f"{severity} severity: update within {hours:g} h")
    ]
    for state in f.sla:
        if not state.breached:
            options.append((state.due_at, f"SLA on #{state.ticket.source_id} due"))
    stated = x.extraction.ask.customer_deadline
    if stated and stated > f.now:
        options.append((stated, "deadline stated by the customer"))
    if x.extraction.signals.churn_threat.present:
        for name, when in f.renewals_within(x.policy.thresholds.renewal_window_days):
            moment = datetime(when.year, when.month, when.day, tzinfo=f.now.tzinfo)
            options.append((moment, f"{name} renewal"))
    return min(options, key=lambda pair: pair[0])
