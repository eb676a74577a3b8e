"""The seed's six impact dimensions (breadth, depth, duration, revenue, reputation, contractual),
stated from facts, with what is unknown said plainly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from agent.decide.rules import RuleInput


@dataclass(frozen=True)
class Impact:
    """Display-ready impact statements plus the numbers behind them."""

    customers_affected: str
    workflow_impact: str
    revenue_at_risk: str
    time_in_queue: str
    breadth: str
    depth: str
    duration: str
    reputation: str
    contractual: str
    customer_count: int
    users_affected: int | None
    arr_at_risk: float
    arr_accounts_unknown: list[str]
    pending_deals_total: float


def human_duration(span: timedelta) -> str:
    """'3 days 4 hours', '5 hours', '40 minutes'."""
    days, seconds = span.days, span.seconds
    hours = seconds // 3600
    if days >= 1:
        return f"{days} day{'s' * (days != 1)}" + (f" {hours} hour{'s' * (hours != 1)}" if hours else "")
    if hours >= 1:
        return f"{hours} hour{'s' * (hours != 1)}"
    return f"{max(1, seconds // 60)} minutes"


def money(amount: float) -> str:
    return f"${amount:,.0f}"


def assess_impact(x: RuleInput) -> Impact:
    """Quantify impact from the facts; every figure comes from a record or the request."""
    e, f = x.extraction, x.facts
    names = [a.name for a in f.accounts]
    count = f.distinct_customers
    who = ", ".join(names) if names else "no named account"
    parts = []
    if e.affected.segment:
        parts.append(e.affected.segment)
    if count:
        parts.append(f"{count} customer{'s' * (count != 1)} ({who})" if names else f"{count} customers")
    if e.affected.users_affected:
        parts.append(f"{e.affected.users_affected:,} users")
    customers = (
        "; ".join(parts)
        or "Not stated in the request or records: ask the reporter how many customers and users are affected"
    )

    blocked = e.signals.blocked.present or e.signals.production_down.present
    workaround = e.signals.workaround_available.present and not e.signals.workaround_failed.present
    depth = (
        "Blocked: users cannot do their work"
        if blocked
        else ("Inconvenienced: a workaround exists" if workaround else "Degraded: works partially or intermittently")
    )
    workflow = e.problem.rstrip(".") + f". {depth}."

    arr = f.arr_at_risk
    deals = f.pending_deals
    deals_total = sum(d.amount or 0.0 for _, d in deals)
    revenue_parts = []
    if arr:
        sources = sorted({a.arr_source for a in f.accounts if a.arr_source})
        basis = " and ".join("CRM" if src == "CRM" else "stated in the request, no CRM figure" for src in sources)
        revenue_parts.append(f"{money(arr)} ARR across {len([a for a in f.accounts if a.arr])} account(s) ({basis})")
    if deals:
        revenue_parts.append(
            "pending deals: "
            + ", ".join(
                f"{d.name if n.lower() in d.name.lower() else f'{n} {d.name}'} {money(d.amount or 0)} ({d.stage or 'open'})"
                for n, d in deals
            )
        )
    recorded = {d.amount for _, d in deals} | {a.arr for a in f.accounts}
    for claim in (c for c in f.claimed_money if c.amount not in recorded):  # a figure the CRM already shows is no claim
        revenue_parts.append(f"customer states {money(claim.amount)} ({claim.kind}, unverified claim)")
    if f.accounts_without_arr:
        revenue_parts.append("ARR unknown for " + ", ".join(f.accounts_without_arr))
    renewals = f.renewals_within(x.policy.thresholds.renewal_window_days)
    if renewals:
        revenue_parts.append("renewal " + ", ".join(f"{n} {d:%Y-%m-%d}" for n, d in renewals))
    revenue = "; ".join(revenue_parts) or "Unknown: no CRM account matched; the account owner or CSM can confirm ARR"

    if f.open_for is not None and f.first_reported is not None:
        queue = f"{human_duration(f.open_for)} (first reported {f.first_reported:%Y-%m-%d %H:%M} UTC)"
    else:
        queue = "Unknown: no ticket or start date found; the reporter can confirm when it started"

    growing = e.signals.worsening.present
    breadth = (
        f"{count} customer(s)"
        + (f", {e.affected.segment}" if e.affected.segment else "")
        + (", growing" if growing else "")
    )
    reference = [a.name for a in f.accounts if a.record and a.record.reference_customer]
    reputation_parts = []
    if reference:
        reputation_parts.append("reference customer: " + ", ".join(reference))
    if e.signals.pr_legal_risk.present:
        reputation_parts.append(
            "public or legal exposure: " + e.signals.pr_legal_risk.evidence[0].quote
            if e.signals.pr_legal_risk.evidence
            else "public or legal exposure"
        )
    contractual_parts = []
    for state in f.sla:
        status = "breached" if state.breached else "due"
        contractual_parts.append(f"SLA {status} on #{state.ticket.source_id} ({state.due_at:%Y-%m-%d %H:%M} UTC)")
    if not contractual_parts and e.signals.sla_breached.present:
        contractual_parts.append("SLA breach stated in the ticket")
    return Impact(
        customers_affected=customers,
        workflow_impact=workflow,
        revenue_at_risk=revenue,
        time_in_queue=queue,
        breadth=breadth,
        depth=depth,
        duration=queue,
        reputation="; ".join(reputation_parts) or "No reference customer or public exposure found",
        contractual="; ".join(contractual_parts) or "No SLA breach found",
        customer_count=count,
        users_affected=e.affected.users_affected,
        arr_at_risk=arr,
        arr_accounts_unknown=f.accounts_without_arr,
        pending_deals_total=deals_total,
    )
