"""One decide path, whoever reads: for every golden eval case, the offline reader's extraction of
the case, passed through assess_extraction (in process, over the MCP client), gets exactly the
decision of the brief."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from mcp import Client

from agent.decide.policy import load_policy
from agent.mcp.host_tools import ASSESS, GATHER
from agent.mcp.server import build_server
from agent.models.factory import make_model
from agent.render.contract import BriefOutput
from agent.service import BriefService
from connectors.base import Workspace
from evals.case import Case
from evals.runner import _Workspaces, default_cases

DECISION = ("escalate", "severity", "target_team", "also_notify", "priority", "needed", "follow_up", "impact")


@dataclasses.dataclass
class CaseService(BriefService):
    """A service whose workspace is the case's (left open: the demo workspaces are shared)."""

    space: Workspace | None = None

    def open(self, spec: str | None, now: datetime) -> Workspace:
        assert self.space is not None
        return dataclasses.replace(self.space, closers=[])


@pytest.fixture(scope="module")
def workspaces() -> Iterator[_Workspaces]:
    shared = _Workspaces()
    yield shared
    shared.close()


def decision(output: dict[str, Any]) -> dict[str, Any]:
    made = {key: output[key] for key in DECISION}
    made["rules_fired"] = [(r["id"], r["reason"], r["evidence"]) for r in output["rules_fired"]]
    return made


CASES = default_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_the_offline_extraction_through_assess_extraction_gets_the_brief_s_decision(
    case: Case, workspaces: _Workspaces
) -> None:
    service = CaseService(model=make_model("offline"), policy=load_policy(None), space=workspaces.for_case(case))
    arguments = {"request": case.input.request, "customer": case.input.customer, "ticket_id": case.input.ticket}
    brief = service.brief(
        case.input.request,
        customer=case.input.customer,
        ticket_id=case.input.ticket,
        date=case.input.date,
        workspace=service.open(None, case.input.date),
    )
    async with Client(build_server(service)) as client:
        gathered = await client.call_tool(GATHER, {**arguments, "date": case.input.date.isoformat()})
        assert not gathered.is_error and gathered.structured_content is not None
        extraction = brief.result.extraction.model_dump(mode="json")
        assessed = await client.call_tool(
            ASSESS, {"context_id": gathered.structured_content["context_id"], "extraction": extraction}
        )
    assert not assessed.is_error and assessed.structured_content is not None
    output = assessed.structured_content
    assert output["ungrounded"] == [] and output["model"] == "host"
    assert decision(output) == decision(brief.output.model_dump(mode="json"))
    BriefOutput.model_validate(output)


def test_every_golden_case_is_covered() -> None:
    assert len(CASES) >= 100
