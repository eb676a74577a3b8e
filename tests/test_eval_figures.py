"""The headline figures of a case set: decision, escalation recall (missed escalations named),
target and severity where both escalate, and the share read with low confidence."""

from __future__ import annotations

from typing import Any

import pytest

from evals.case import Case
from evals.figures import figures, line
from evals.outcome import Outcome


def case(case_id: str, **expect: Any) -> Case:
    data: dict[str, Any] = {"escalate": True, **expect}
    return Case.model_validate(
        {"id": case_id, "title": case_id, "input": {"request": "r", "workspace": "none"}, "expect": data}
    )


def outcome(case_id: str, **fields: Any) -> Outcome:
    base: dict[str, Any] = {"escalate": True, "severity": "High", "target": "Engineering", "markdown": ""}
    base.update(fields)
    return Outcome(case_id=case_id, **base)


def test_recall_counts_only_real_escalations_and_names_the_missed() -> None:
    result = figures(
        [
            (case("hit", severity=["High"], target=["Engineering"]), outcome("hit")),
            (case("miss"), outcome("miss", escalate=False, severity=None, target=None)),
            (case("quiet", escalate=False), outcome("quiet", escalate=False, severity=None, target=None)),
            (case("loud", escalate=False), outcome("loud")),
        ]
    )
    assert (result.cases, result.decided_right) == (4, 2)
    assert result.recall == pytest.approx(0.5)
    assert result.missed == ["miss"]
    assert sorted(result.wrong) == ["loud", "miss"]


def test_target_and_severity_are_scored_where_both_escalate() -> None:
    result = figures(
        [
            (case("a", severity=["Critical"], target=["Security"]), outcome("a")),
            (case("b", severity=["High"], target=["Engineering", "L2 Support"]), outcome("b")),
        ]
    )
    assert result.target == pytest.approx(0.5)
    assert result.severity == pytest.approx(0.5)
    assert result.wrong == ["a"]


def test_low_confidence_share_and_errors() -> None:
    low = "**Read offline with low confidence:** nothing found. Confirm by hand."
    result = figures(
        [
            (case("a"), outcome("a", markdown=low)),
            (case("b"), outcome("b", error="boom")),
        ]
    )
    assert result.low_confidence_share == pytest.approx(0.5)
    assert result.errors == 1
    assert result.missed == ["b"]


def test_an_empty_set_has_no_figures() -> None:
    result = figures([])
    assert result.decision is None and result.recall is None
    assert "n/a" in line("empty", result)
