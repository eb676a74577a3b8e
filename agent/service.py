"""The one way to a brief, for every entry point (the CLI's `brief`, the MCP tools, triage, the evals,
the benchmarks): gather -> extract -> decide -> render.

`run_brief` is the composition of one brief; `BriefService` owns what an entry point would otherwise
repeat: the model, the policy, the clock and opening the workspace, and it returns the one output
object (`Brief`: the result, its markdown and the JSON contract). Entry points only translate their
input into a call and the output into their format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from agent.brief import BriefRequest, BriefResult
from agent.clock import parse_now, utc_now
from agent.decide.assess import assess
from agent.decide.policy import Policy
from agent.errors import UsageError
from agent.extract.schema import Extraction
from agent.extract.step import extract, extraction_tool_spec
from agent.gather.gathered import Gathered
from agent.gather.loop import gather, gather_turns
from agent.gather.tools import ConnectorTools
from agent.models.base import Model, RequestContext
from agent.models.offline.extractor import extract_offline
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
            result = run_brief(request, space, self.model, self.policy)
        finally:
            if space is not workspace:
                space.close()
        markdown = render_markdown(result)
        return Brief(result=result, markdown=markdown, output=to_output(result, markdown))
