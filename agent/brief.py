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
from agent.models.base import Usage


@dataclass(frozen=True)
class BriefRequest:
    """What the support engineer asked for."""

    text: str
    now: datetime
    customer: str | None = None
    ticket_id: str | None = None
    reported_by: str | None = None

    def as_data(self) -> dict[str, Any]:
        """The request as the JSON data both models read."""
        data: dict[str, Any] = {"request": self.text, "today": self.now.isoformat()}
        if self.customer:
            data["customer"] = self.customer
        if self.ticket_id:
            data["ticket_id"] = self.ticket_id
        return data


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
    """The offline reader filled the extraction (as the chosen model, or standing in for one)."""
