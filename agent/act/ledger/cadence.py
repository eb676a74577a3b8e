"""When an obligation falls due: the policy's cadence for the severity, in business time when the
cadence says "business days"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

from agent.decide.policy import Policy, Severity

Kind = Literal["internal", "customer"]
KINDS: tuple[Kind, ...] = ("internal", "customer")


def add_business_hours(start: datetime, hours: float) -> datetime:
    """`start` plus `hours` counted on weekdays only (Monday to Friday, UTC): the clock stops over
    the weekend, so 24 business hours from Friday 15:00 is Monday 15:00."""
    remaining = timedelta(hours=hours)
    moment = start.astimezone(UTC)
    while True:
        midnight = (moment + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        if moment.weekday() >= 5:
            moment = midnight
            continue
        if remaining <= midnight - moment:
            return moment + remaining
        remaining -= midnight - moment
        moment = midnight


def interval(policy: Policy, severity: Severity, kind: Kind) -> tuple[float, str]:
    """The cadence's hours and its wording for one kind of obligation."""
    cadence = policy.cadence[severity]
    if kind == "internal":
        return cadence.internal_hours, cadence.internal
    return cadence.customer_hours, cadence.customer


def next_due(policy: Policy, severity: Severity, kind: Kind, start: datetime) -> datetime:
    """When the next `kind` obligation is due after `start`, per the policy's cadence."""
    hours, wording = interval(policy, severity, kind)
    if "business day" in wording.lower():
        return add_business_hours(start, hours)
    return start.astimezone(UTC) + timedelta(hours=hours)
