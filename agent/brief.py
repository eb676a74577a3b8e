"""The data of one brief: what the support engineer asked (`BriefRequest`) and everything that
explains the answer (`BriefResult`). Every stage reads these; none of them composes a brief."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from agent.decide.decision import Decision
from agent.decide.facts import Facts
from agent.decide.impact import Impact
from agent.decide.policy import Policy
from agent.extract.schema import Extraction
from agent.gather.gathered import Gathered
from agent.models.base import RequestContext, Usage


@dataclass(frozen=True)
class BriefRequest:
    """What the support engineer asked for."""

    text: str
    now: datetime
    customer: str | None = None
    ticket_id: str | None = None
    reported_by: str | None = None

    def context(self) -> RequestContext:
        """The request as the model seam carries it (who reported it is not the model's business)."""
        return RequestContext(text=self.text, now=self.now, customer=self.customer, ticket_id=self.ticket_id)

    def as_data(self) -> dict[str, Any]:
        """The request as the JSON data both models read."""
        return self.context().as_data()


@dataclass
class BriefResult:
    """Everything a renderer needs, and everything that explains the decision."""

    request: BriefRequest
    workspace: str
    model: str
    extraction: Extraction
    facts: Facts
    decision: Decision
    impact: Impact
    gathered: Gathered
    policy: Policy
    usage: Usage = field(default_factory=Usage)
    notices: list[str] = field(default_factory=list)
    extraction_fallback: bool = False
    read_offline: bool = False
    cost_usd: float | None = None
    """Estimated USD of the model calls, priced from the model's capabilities (None when unknown)."""
    """The offline reader filled the extraction (as the chosen model, or standing in for one)."""
