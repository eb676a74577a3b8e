"""Recording a brief just made (`escalate brief --record`), with what the run knows beyond the
contract: the request, the tickets' SLA due times and the records' statuses."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from agent.act.ledger.brief_data import observed_from
from agent.act.ledger.paths import ledger_path
from agent.act.ledger.record import record_brief
from agent.act.ledger.store import Ledger
from agent.brief import BriefResult


def record_result(result: BriefResult, contract: dict[str, Any], path: Path | None = None) -> str:
    """Record `contract` (from `to_json(result)`) in the ledger at `path`; returns the escalation
    id and says on stderr whether it was new."""
    with Ledger(ledger_path(path)) as ledger:
        done = record_brief(ledger, contract, result.policy, result.request.now, observed_from(result))
    verb = "recorded" if done.created else "updated"
    sys.stderr.write(f"escalate: {verb} {done.id} in {ledger.path}\n")
    return done.id
