"""Runs golden cases through the real pipeline (gather -> extract -> decide -> render) and scores
them. `escalate eval` and `tests/test_evals.py` both call `run_eval`."""

from __future__ import annotations

import json
import time
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from agent.decide.policy import Policy, load_policy
from agent.models.base import Model
from agent.service import Brief, BriefService
from connectors.base import Workspace
from connectors.demo import demo_workspace
from connectors.none import empty_workspace
from connectors.records import Account, TrackerIssue
from evals.case import Case, load_cases
from evals.fixtures import fixture_workspace
from evals.models import cost_of, model_factory
from evals.outcome import Cited, Outcome
from evals.scorers import Pair, Score, score_all

EVALS_DIR = Path(__file__).resolve().parent
CASES_DIR = EVALS_DIR / "cases"
THRESHOLDS_FILE = EVALS_DIR / "thresholds.toml"
IMPACT_LINES = ("customers_affected", "workflow_impact", "revenue_at_risk", "time_in_queue")


@dataclass
class EvalRun:
    """Every case with its outcome, the scores, and the gate verdict."""

    model: str
    pairs: list[Pair]
    scores: dict[str, Score]
    thresholds: dict[str, float]
    seconds: float
    below: dict[str, str] = field(default_factory=dict)
    """metric -> 'value < threshold' for every metric that fails the gate."""

    @property
    def passed(self) -> bool:
        return not self.below


def load_thresholds(path: Path = THRESHOLDS_FILE) -> dict[str, float]:
    """The `[thresholds]` table: metric name -> minimum value."""
    with path.open("rb") as stream:
        data = tomllib.load(stream)
    return {str(k): float(v) for k, v in data.get("thresholds", {}).items()}


def gate(scores: dict[str, Score], thresholds: dict[str, float]) -> dict[str, str]:
    """Metrics below their threshold. A metric no selected case exercises (say, injection when
    `--cases` names no adversarial case) is not applicable and passes; an unknown metric fails.
    The CI test separately checks that the full case set exercises every metric."""
    below: dict[str, str] = {}
    for name, minimum in thresholds.items():
        score = scores.get(name)
        if score is None:
            below[name] = f"unknown metric (threshold {minimum:.2f})"
        elif score.value is not None and score.value + 1e-9 < minimum:
            below[name] = f"{score.value:.3f} < {minimum:.2f}"
    return below


def _evidence(where: str, items: Iterable[dict[str, Any]]) -> list[Cited]:
    return [Cited(where, str(e["source"]), str(e["id"]), e.get("url"), str(e.get("quote", ""))) for e in items]


def _extraction_evidence(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        if {"source", "id", "quote"} <= node.keys():
            return [node]
        return [e for value in node.values() for e in _extraction_evidence(value)]
    if isinstance(node, list):
        return [e for value in node for e in _extraction_evidence(value)]
    return []


def outcome_of(case_id: str, brief: Brief, model: Model, seconds: float) -> Outcome:
    """The scorers' view of one brief: its output contract plus what the run gathered."""
    result = brief.result
    data = brief.output.model_dump(mode="json")
    records = list(result.gathered.records.values())
    urls: dict[str, str | None] = {}
    for record in records:
        urls[f"{record.source}:{record.source_id}"] = record.url
        if isinstance(record, TrackerIssue):
            urls[f"{record.source}:{record.key}"] = record.url
    cited = [c for rule in data["rules_fired"] for c in _evidence(rule["id"], rule["evidence"])]
    cited += _evidence("extraction", _extraction_evidence(data["extraction"]))
    accounts = [r for r in records if isinstance(r, Account)]
    names = {a.name.lower() for a in accounts} | {
        str(getattr(r, "account", "")).lower() for r in records if getattr(r, "account", None)
    }
    req = result.request
    sources = [req.text, req.customer or "", *(json.dumps(r.model_dump(mode="json")) for r in records)]
    impact = asdict(result.impact)
    return Outcome(
        case_id=case_id,
        escalate=data["escalate"],
        severity=data["severity"],
        target=data["target_team"],
        also_notify=list(data.get("also_notify") or []),
        priority=data["priority"],
        fired=[r["id"] for r in data["rules_fired"]],
        cited=cited,
        markdown=data["markdown"],
        impact={k: str(impact[k]) for k in IMPACT_LINES},
        record_urls=urls,
        sources_text="\n".join(sources),
        summable=[a.arr for a in accounts if a.arr] + [d.amount for a in accounts for d in a.open_deals if d.amount],
        count_bound=len(names),
        usage=result.usage.model_dump(),
        cost_usd=cost_of(model, result.usage),
        seconds=seconds,
        model=result.model,
    )


class _Workspaces:
    """Demo workspaces are built once per date and shared (connectors are read-only)."""

    def __init__(self) -> None:
        self._demo: dict[date, Workspace] = {}

    def for_case(self, case: Case) -> Workspace:
        if case.input.workspace == "fixture":
            assert case.fixture_data is not None
            return fixture_workspace(case.fixture_data)
        if case.input.workspace == "none":
            return empty_workspace()
        day = case.input.date.date()
        if day not in self._demo:
            self._demo[day] = demo_workspace(today=day)
        return self._demo[day]

    def close(self) -> None:
        for workspace in self._demo.values():
            workspace.close()


def run_case(case: Case, make: Callable[[], Model], policy: Policy, workspaces: _Workspaces) -> Outcome:
    """Run one case; an exception becomes a failed outcome rather than aborting the run."""
    model = make()
    service = BriefService(model=model, policy=policy)
    started = time.perf_counter()
    try:
        brief = service.brief(
            case.input.request,
            customer=case.input.customer,
            ticket_id=case.input.ticket,
            reported_by=case.input.reported_by or "Eval harness",
            date=case.input.date,
            workspace=workspaces.for_case(case),
        )
        return outcome_of(case.id, brief, model, time.perf_counter() - started)
    except Exception as exc:  # a crash is a result to report, not a reason to stop the run
        message = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
        return Outcome(case_id=case.id, error=message, seconds=time.perf_counter() - started, model=model.name)


def run_eval(
    cases: Sequence[Case],
    model: str = "offline",
    policy: Policy | None = None,
    thresholds: dict[str, float] | None = None,
) -> EvalRun:
    """Run and score `cases` with the model named by `model`."""
    make = model_factory(model)
    chosen_policy = policy or load_policy(None)
    workspaces = _Workspaces()
    started = time.perf_counter()
    try:
        pairs: list[Pair] = [(case, run_case(case, make, chosen_policy, workspaces)) for case in cases]
    finally:
        workspaces.close()
    scores = score_all(pairs)
    limits = thresholds if thresholds is not None else load_thresholds()
    name = next((o.model for _, o in pairs if o.model), model)
    return EvalRun(name, pairs, scores, limits, time.perf_counter() - started, gate(scores, limits))


def default_cases() -> list[Case]:
    """Every case in `evals/cases`."""
    return load_cases([CASES_DIR])
