"""The CI gate: the whole offline eval over the golden cases meets the thresholds in
evals/thresholds.toml, and the case set keeps the coverage the eval promises."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from evals.case import Case
from evals.report import case_failures
from evals.runner import EvalRun, default_cases, run_eval

ROOT = Path(__file__).resolve().parents[2]
SEED_EXAMPLES = (
    "API returning 500 errors intermittently for Acme Corp",
    "Data export is missing rows — 3 customers reported this week",
    "SSO login loop affecting all Enterprise customers",
    "Customer threatening to churn over missing audit log feature",
)


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return default_cases()


@pytest.fixture(scope="module")
def offline_run(cases: list[Case]) -> EvalRun:
    return run_eval(cases, model="offline")


def rule_ids() -> set[str]:
    """Every rule id the decision code can emit (read from its source, so new rules need cases)."""
    found: set[str] = set()
    for path in sorted((ROOT / "agent" / "decide").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'"((?:HS|TECH|CPLX|IMPACT|BIZ|TIME|PAT|PROD|SEV|TGT|PRI|ASK)-[A-Z0-9-]+)"', text))
    # "SEV-CRIT" in `startswith("SEV-CRIT")` is a prefix, not an id.
    return {i for i in found if not any(o != i and o.startswith(i + "-") for o in found)}


def test_offline_eval_meets_the_thresholds(offline_run: EvalRun) -> None:
    failing = case_failures(offline_run)
    detail = "; ".join(f"{case_id}: {', '.join(sorted(metrics))}" for case_id, metrics in sorted(failing.items()))
    passed = offline_run.passed
    assert passed, f"below thresholds: {offline_run.below}. Failing cases: {detail}"


def test_every_gated_metric_is_exercised(offline_run: EvalRun) -> None:
    unscored = [name for name in offline_run.thresholds if offline_run.scores[name].value is None]
    assert unscored == []


def test_no_case_crashes(offline_run: EvalRun) -> None:
    errors = {o.case_id: o.error for _, o in offline_run.pairs if o.error}
    assert not errors


def test_case_set_size_and_categories(cases: list[Case]) -> None:
    tags = Counter(tag for case in cases for tag in case.tags)
    assert len(cases) >= 80
    assert sum(not c.expect.escalate for c in cases) >= 20
    assert sum("security" in c.tags and c.expect.escalate for c in cases) >= 10
    for tag in ("churn", "sla", "policy", "pr-legal", "pattern", "regression", "adversarial", "misleading"):
        assert tags[tag] >= 2, tag
    for tone in ("tone-terse", "tone-angry", "tone-rambling", "tone-non-native"):
        assert tags[tone] >= 2, tone


def test_the_seed_examples_are_cases(cases: list[Case]) -> None:
    requests = {c.input.request for c in cases if "seed" in c.tags}
    assert set(SEED_EXAMPLES) <= requests


def test_every_rule_id_is_expected_to_fire_at_least_twice(cases: list[Case]) -> None:
    counts = Counter(rule for case in cases for rule in case.expect.fire)
    ids = rule_ids()
    assert len(ids) > 40
    assert {r: counts[r] for r in sorted(ids) if counts[r] < 2} == {}
    assert set(counts) <= ids, f"cases name unknown rules: {sorted(set(counts) - ids)}"


def test_every_adversarial_case_has_a_clean_twin(cases: list[Case]) -> None:
    by_id = {c.id: c for c in cases}
    adversarial = [c for c in cases if "adversarial" in c.tags and c.input.workspace == "fixture"]
    assert len(adversarial) >= 6
    for case in adversarial:
        twin = by_id[case.clean_twin or ""]
        assert twin.input.request == case.input.request
        assert twin.expect.escalate == case.expect.escalate


# The held-out sets were written blind from the spec; once their first measurement was recorded they
# were used for development too, so here they guard against regressions rather than measure.
REGRESSION_SETS = (
    "evals/holdout",
    "evals/holdout2",
    "evals/holdout3",
    "evals/holdout4",
    "evals/holdout5",
)


@pytest.mark.parametrize("folder", REGRESSION_SETS)
def test_held_out_sets_stay_above_the_thresholds(folder: str) -> None:
    from evals.case import load_cases

    run = run_eval(load_cases([ROOT / folder]), model="offline")
    assert run.passed, f"{folder} below thresholds: {run.below}"
