"""One brief, end to end: gather -> extract -> decide -> (render happens in `agent.render.markdown`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from agent.decide.decision import Decision, decide
from agent.decide.facts import Facts, derive_facts
from agent.decide.impact import Impact, assess_impact
from agent.decide.policy import Policy
from agent.decide.rules import RuleInput
from agent.errors import UsageError
from agent.extract.schema import Extraction
from agent.extract.step import extract, extraction_tool_spec
from agent.gather.gathered import Gathered
from agent.gather.loop import gather, gather_turns
from agent.gather.tools import ConnectorTools
from agent.models.base import Model, RequestContext, Usage
from agent.prompting import gather_prompt, system_prompt
from connectors.base import ConnectorError, Workspace


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


def _check_request(request: BriefRequest, workspace: Workspace) -> BriefRequest:
    if request.ticket_id:
        if workspace.support is None:
            raise UsageError(f"--ticket {request.ticket_id}: workspace {workspace.name!r} has no support platform")
        try:
            ticket = workspace.support.get_ticket(request.ticket_id.strip().lstrip("#"))
        except ConnectorError as exc:
            raise UsageError(f"cannot read ticket {request.ticket_id}: {exc.message}") from exc
        if ticket is None:
            raise UsageError(f"ticket {request.ticket_id!r} not found in workspace {workspace.name!r}")
        if not request.text.strip():
            return BriefRequest(
                text=ticket.subject,
                now=request.now,
                customer=request.customer or ticket.account,
                ticket_id=ticket.source_id,
                reported_by=request.reported_by,
            )
    if not request.text.strip():
        raise UsageError(
            'the request is empty: describe the issue, e.g. escalate brief "Export is missing rows for Acme"'
        )
    return request


def offline_extraction(request: BriefRequest, gathered: Gathered) -> Extraction:
    """The offline extractor over the records gathered so far (the fallback for any model)."""
    from agent.models.offline.extractor import extract_offline

    return extract_offline(request.as_data(), list(gathered.records.values()), request.now)


def run_brief(
    request: BriefRequest,
    workspace: Workspace,
    model: Model,
    policy: Policy,
    max_steps: int | None = None,
) -> BriefResult:
    """Gather context with `model` over `workspace`, extract, and decide. Raises `UsageError`."""
    request = _check_request(request, workspace)
    max_steps = max_steps or gather_turns(model)
    tools = ConnectorTools(workspace, request.now)
    system = system_prompt(today=request.now.date().isoformat(), max_steps=max_steps)
    opening = gather_prompt(request.as_data(), list(tools.functions()))
    context = RequestContext(text=request.text, now=request.now, customer=request.customer, ticket_id=request.ticket_id)
    gathered = gather(model, tools, system, opening, max_steps, context=context, output_tool=extraction_tool_spec())
    extracted = extract(
        model,
        system,
        gathered.messages,
        lambda: offline_extraction(request, tools.gathered),
        specs=gathered.specs,
        pending=gathered.output_call,
        failure=gathered.failure,
        context=context,
        cache_upto=gathered.cache_upto,
    )
    notices = [*gathered.notices, *extracted.notices]
    notices += [f"Source unavailable: {category} ({reason})" for category, reason in tools.gathered.unavailable.items()]
    return assess(
        request,
        extracted.extraction,
        tools.gathered,
        policy,
        workspace.name,
        model.name,
        usage=gathered.usage.add(extracted.usage),
        notices=notices,
        extraction_fallback=extracted.fell_back,
    )


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
) -> BriefResult:
    """Deterministic part of a brief: facts from the records, the rules' decision and the impact."""
    x = RuleInput(extraction=extraction, facts=derive_facts(extraction, gathered, policy, request.now), policy=policy)
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
    )
