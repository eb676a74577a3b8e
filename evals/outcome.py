"""What one case's run produced, in the plain terms the scorers read.

The runner builds an `Outcome` from a `BriefResult`; tests build them by hand. Everything a
scorer needs is here: the decision, the rules fired with their citations, the rendered brief,
the impact lines, and what the run actually gathered (to check citations and figures against).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Cited:
    """One piece of evidence cited in the output (by a fired rule or in the extraction)."""

    where: str
    """The rule id, or `extraction` for evidence inside the model's extraction."""
    source: str
    id: str
    url: str | None = None
    quote: str = ""


@dataclass
class Outcome:
    """The observable result of running one case."""

    case_id: str
    escalate: bool | None = None
    severity: str | None = None
    target: str | None = None
    also_notify: list[str] = field(default_factory=list)
    priority: str | None = None
    fired: list[str] = field(default_factory=list)
    cited: list[Cited] = field(default_factory=list)
    markdown: str = ""
    impact: dict[str, str] = field(default_factory=dict)
    """The Impact bullets: customers_affected, workflow_impact, revenue_at_risk, time_in_queue."""
    record_urls: dict[str, str | None] = field(default_factory=dict)
    """`source:id` of every gathered record (tracker issues also by key) -> its url."""
    sources_text: str = ""
    """The request text and every gathered record as JSON: where a figure must come from."""
    summable: list[float] = field(default_factory=list)
    """Amounts a brief may total: ARR of gathered accounts and their open deals."""
    count_bound: int = 0
    """Distinct customer accounts named by the gathered records (an upper bound for counts)."""
    usage: dict[str, int] = field(default_factory=dict)
    cost_usd: float | None = None
    seconds: float = 0.0
    model: str = ""
    error: str | None = None
    """Set when the run raised: every scorer counts the case as failed."""

    def summary(self) -> dict[str, Any]:
        """The outcome for the JSON report (without the bulky source text)."""
        return {
            "escalate": self.escalate,
            "severity": self.severity,
            "target": self.target,
            "also_notify": self.also_notify,
            "priority": self.priority,
            "fired": self.fired,
            "usage": self.usage,
            "cost_usd": self.cost_usd,
            "seconds": round(self.seconds, 3),
            "error": self.error,
        }
