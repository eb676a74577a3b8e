"""The one way to a brief, for every entry point (the CLI's `brief`, the MCP tools, triage, the evals,
the benchmarks): gather -> extract -> decide -> render.

`run_brief` is the composition of one brief; `BriefService` owns what an entry point would otherwise
repeat: the model, the policy, the clock and opening the workspace, and it returns the one output
object (`Brief`: the result, its markdown and the JSON contract). Entry points only translate their
input into a call and the output into their format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path

from agent.act.ledger.paths import ledger_path
from agent.act.ledger.patterns import past_fixes
from agent.brief import BriefRequest, BriefResult
from agent.clock import parse_now, utc_now
from agent.decide.assess import assess
from agent.decide.facts import PastFix
from agent.decide.policy import Policy
from agent.errors import UsageError
from agent.extract.grounding import Corpus, Ungrounded, ground
from agent.extract.schema import Extraction
from agent.extract.step import extract, extraction_tool_spec
from agent.gather.gathered import Gathered
from agent.gather.loop import GatherOutcome, gather, gather_turns
from agent.gather.tools import ConnectorTools
from agent.models.base import Model, RequestContext
from agent.models.offline.extractor import extract_offline
from agent.models.offline.model import OfflineModel
from agent.models.pricing import model_cost
from agent.prompting import gather_prompt, system_prompt
from agent.render.contract import BriefOutput, to_output
from agent.render.markdown import render_markdown
from agent.workspace import open_workspace, workspace_now
from connectors.base import ConnectorError, Workspace


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
    return extract_offline(request.as_data(), list(gathered.records.values()), request.now)


@dataclass
class Gathering:
    """What the gather stage of one brief leaves for extraction."""

    request: BriefRequest
    tools: ConnectorTools
    system: str
    context: RequestContext
    outcome: GatherOutcome


def gather_for(request: BriefRequest, workspace: Workspace, model: Model, max_steps: int | None = None) -> Gathering:
    """The gather stage of a brief: the request checked, then `model` gathering through the
    connector tools (after the deterministic prefetch when the model wants it)."""
    request = _check_request(request, workspace)
    max_steps = max_steps or gather_turns(model)
    tools = ConnectorTools(workspace, request.now)
    system = system_prompt(today=request.now.date().isoformat(), max_steps=max_steps)
    opening = gather_prompt(request.as_data(), list(tools.functions()))
    context = request.context()
    outcome = gather(model, tools, system, opening, max_steps, context=context, output_tool=extraction_tool_spec())
    return Gathering(request, tools, system, context, outcome)


def source_notices(gathered: Gathered) -> list[str]:
    """One notice per source that failed while gathering."""
    return [f"Source unavailable: {category} ({reason})" for category, reason in gathered.unavailable.items()]


def run_brief(
    request: BriefRequest,
    workspace: Workspace,
    model: Model,
    policy: Policy,
    max_steps: int | None = None,
    history: Callable[[Extraction], Sequence[PastFix]] | None = None,
) -> BriefResult:
    """Gather context with `model` over `workspace`, extract, and decide: the one composition of a
    brief. `history` finds earlier escalations closed as fixed that the issue repeats (the ledger).
    Raises `UsageError`."""
    g = gather_for(request, workspace, model, max_steps)
    gathered = g.outcome
    extracted = extract(
        model,
        g.system,
        gathered.messages,
        lambda: offline_extraction(g.request, g.tools.gathered),
        specs=gathered.specs,
        pending=gathered.output_call,
        failure=gathered.failure,
        context=g.context,
        cache_upto=gathered.cache_upto,
    )
    usage = gathered.usage.add(extracted.usage)
    return assess(
        g.request,
        extracted.extraction,
        g.tools.gathered,
        policy,
        workspace.name,
        model.name,
        usage=usage,
        cost_usd=model_cost(model, usage),
        notices=[*gathered.notices, *extracted.notices, *source_notices(g.tools.gathered)],
        extraction_fallback=extracted.fell_back,
        read_offline=model.capabilities.in_process,
        fixed_before=history(extracted.extraction) if history else (),
    )


@dataclass(frozen=True)
class Brief:
    """A finished brief: the result (everything that explains it), its markdown and the contract."""

    result: BriefResult
    markdown: str
    output: BriefOutput


@dataclass
class BriefService:
    """Briefs with one model, one policy and a default workspace, for any entry point."""

    model: Model
    policy: Policy
    workspace: str = "auto"
    config: Path | None = None
    clock: Callable[[], datetime] = utc_now
    ledger: Path | None = None
    """The escalation ledger whose closed, fixed escalations a recurring issue is matched against
    (default: `ESCALATE_LEDGER`, else the user's data folder; nothing when no ledger exists there)."""

    def open(self, spec: str | None, now: datetime) -> Workspace:
        """The workspace `spec` names (the service's default when None). Raises `UsageError`."""
        return open_workspace(spec or self.workspace, now, self.config)

    def brief(
        self,
        text: str,
        *,
        customer: str | None = None,
        ticket_id: str | None = None,
        reported_by: str | None = None,
        date: str | datetime | None = None,
        workspace: str | Workspace | None = None,
    ) -> Brief:
        """One brief. `date` is YYYY-MM-DD, an ISO datetime or a datetime (default: the clock);
        `workspace` a spec to open (and close) or an open workspace (left open). Raises `UsageError`."""
        if not text.strip() and not ticket_id:
            raise UsageError(
                'the request is empty: describe the issue, e.g. escalate brief "Export is missing rows for Acme"'
            )
        now = date if isinstance(date, datetime) else (parse_now(date) if date else self.clock())
        space = workspace if isinstance(workspace, Workspace) else self.open(workspace, now)
        try:
            if not isinstance(date, datetime):
                now = workspace_now(now, bool(date), space)
            request = BriefRequest(
                text=text, now=now, customer=customer or None, ticket_id=ticket_id or None, reported_by=reported_by
            )
            where = self._ledger_file
            result = run_brief(
                request, space, self.model, self.policy, history=lambda extraction: past_fixes(where, extraction)
            )
        finally:
            if space is not workspace:
                space.close()
        markdown = render_markdown(result)
        return Brief(result=result, markdown=markdown, output=to_output(result, markdown))

    @cached_property
    def _ledger_file(self) -> Path:
        # Resolved once per service: reading the environment through pydantic-settings costs
        # milliseconds, more than the rest of a brief's decision.
        return ledger_path(self.ledger)


# --- A host model's reading (the MCP tools gather_context and assess_extraction) -------------------


@dataclass(frozen=True)
class HostContext:
    """What `gather_context` gathered for a host model to read, and the request it answers."""

    request: BriefRequest
    workspace: str
    gathered: Gathered
    notices: list[str]


@dataclass(frozen=True)
class HostBrief:
    """A brief from a host model's extraction, and the findings that were not believed."""

    brief: Brief
    ungrounded: list[Ungrounded]


def gather_context(
    service: BriefService,
    text: str,
    *,
    customer: str | None = None,
    ticket_id: str | None = None,
    date: str | datetime | None = None,
    workspace: str | None = None,
) -> HostContext:
    """The gather of an offline brief (the deterministic planner through the same loop and tools),
    for a host model to read. Arguments as for `BriefService.brief`. Raises `UsageError`."""
    if not text.strip() and not ticket_id:
        raise UsageError("the request is empty: describe the issue, e.g. 'Export is missing rows for Acme'")
    now = date if isinstance(date, datetime) else (parse_now(date) if date else service.clock())
    space = service.open(workspace, now)
    try:
        if not isinstance(date, datetime):
            now = workspace_now(now, bool(date), space)
        request = BriefRequest(text=text, now=now, customer=customer or None, ticket_id=ticket_id or None)
        g = gather_for(request, space, OfflineModel())
        notices = [*g.outcome.notices, *source_notices(g.tools.gathered)]
        return HostContext(request=g.request, workspace=space.name, gathered=g.tools.gathered, notices=notices)
    finally:
        space.close()


def assess_host_extraction(
    context: HostContext, extraction: Extraction, policy: Policy, model: str = "host"
) -> HostBrief:
    """A host model's extraction of `context`, grounded in its records, through the same assess
    and render as every brief: findings whose quotes are found nowhere are dropped and listed."""
    req = context.request
    corpus = Corpus.of(context.gathered.records.values(), (req.text, req.customer, req.ticket_id, req.reported_by))
    grounded = ground(extraction, corpus)
    notices = list(context.notices)
    dropped = sorted({u.field for u in grounded.ungrounded if u.dropped})
    if dropped:
        notices.append(
            f"Not believed ({len(dropped)}): findings whose quotes are not in the gathered records or the request: "
            + ", ".join(dropped)
        )
    result = assess(req, grounded.extraction, context.gathered, policy, context.workspace, model, notices=notices)
    markdown = render_markdown(result)
    return HostBrief(Brief(result=result, markdown=markdown, output=to_output(result, markdown)), grounded.ungrounded)
