"""The deterministic part of every brief, whoever read the issue: facts from the records, the
rules' decision and the impact."""

from __future__ import annotations

from collections.abc import Sequence

from agent.brief import BriefRequest, BriefResult
from agent.decide.decision import decide
from agent.decide.facts import PastFix, derive_facts
from agent.decide.impact import assess_impact
from agent.decide.policy import Policy
from agent.decide.rules import RuleInput
from agent.extract.schema import Extraction
from agent.gather.gathered import Gathered
from agent.models.base import Usage


def assess(
    request: BriefRequest,
    extraction: Extraction,
    gathered: Gathered,
    policy: Policy,
    workspace: str,
    model: str,
    usage: Usage | None = None,
    notices: list[str] | None = None,
    extraction_fallback: bool = False,
    read_offline: bool = False,
    fixed_before: Sequence[PastFix] = (),
    cost_usd: float | None = None,
) -> BriefResult:
    """Deterministic part of a brief: facts from the records, the rules' decision and the impact."""
    facts = derive_facts(extraction, gathered, policy, request.now)
    facts.fixed_before = list(fixed_before)
    x = RuleInput(extraction=extraction, facts=facts, policy=policy)
    return BriefResult(
        request=request,
        workspace=workspace,
        model=model,
        extraction=extraction,
        facts=x.facts,
        decision=decide(x),
        impact=assess_impact(x),
        gathered=gathered,
        policy=policy,
        usage=usage or Usage(),
        notices=notices or [],
        extraction_fallback=extraction_fallback,
        read_offline=read_offline or extraction_fallback,
        cost_usd=cost_usd,
    )
