"""Headline figures for a case set: decision accuracy, escalation recall, target and severity where
both escalate, and the share of results read with low confidence.

Recall is reported on its own because a missed escalation (a real outage, data loss or breach sent
back to support) is the worst error the tool can make.

    python -m evals.figures evals/blind1 evals/blind2 [--misses]
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evals.case import Case, load_cases
from evals.outcome import Outcome

LOW_CONFIDENCE_MARK = "with low confidence"
"""The brief's header line for a low-confidence reading."""


@dataclass
class Figures:
    """Counts behind the figures of one set."""

    cases: int = 0
    decided_right: int = 0
    escalations: int = 0
    recalled: int = 0
    both_escalate: int = 0
    target_right: int = 0
    severity_right: int = 0
    low_confidence: int = 0
    errors: int = 0
    missed: list[str] = field(default_factory=list)
    """Real escalations that came back 'handle in support'."""
    wrong: list[str] = field(default_factory=list)
    """Every case with a wrong decision, target or severity."""

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def decision(self) -> float | None:
        return self._share(self.decided_right, self.cases)

    @property
    def recall(self) -> float | None:
        return self._share(self.recalled, self.escalations)

    @property
    def target(self) -> float | None:
        return self._share(self.target_right, self.both_escalate)

    @property
    def severity(self) -> float | None:
        return self._share(self.severity_right, self.both_escalate)

    @property
    def low_confidence_share(self) -> float | None:
        return self._share(self.low_confidence, self.cases)


def figures(pairs: Sequence[tuple[Case, Outcome]]) -> Figures:
    """Score (case, outcome) pairs. A crashed case counts as wrong everywhere."""
    result = Figures()
    for case, outcome in pairs:
        expect = case.expect
        result.cases += 1
        result.errors += outcome.error is not None
        escalated = bool(outcome.escalate) and outcome.error is None
        right = escalated == expect.escalate and outcome.error is None
        result.decided_right += right
        result.low_confidence += LOW_CONFIDENCE_MARK in outcome.markdown.lower()
        if expect.escalate:
            result.escalations += 1
            result.recalled += escalated
            if not escalated:
                result.missed.append(case.id)
        if expect.escalate and escalated:
            result.both_escalate += 1
            target_ok = expect.target is None or outcome.target in expect.target
            severity_ok = expect.severity is None or outcome.severity in expect.severity
            result.target_right += target_ok
            result.severity_right += severity_ok
            right = right and target_ok and severity_ok
        if not right:
            result.wrong.append(case.id)
    return result


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def line(name: str, f: Figures) -> str:
    """One row of the figures table."""
    return (
        f"{name}: n={f.cases} decision {_pct(f.decision)} recall {_pct(f.recall)} ({f.recalled}/{f.escalations}) "
        f"target {_pct(f.target)} severity {_pct(f.severity)} low-confidence {_pct(f.low_confidence_share)} "
        f"errors {f.errors}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Print the figures of each case folder given, offline."""
    from evals.runner import run_eval

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--misses", action="store_true", help="list missed escalations and every wrong case")
    args = parser.parse_args(argv)
    for folder in args.folders:
        run = run_eval(load_cases([folder]), model="offline")
        result = figures(run.pairs)
        print(line(str(folder), result))
        if args.misses:
            print("   missed escalations:", " ".join(result.missed) or "none")
            print("   wrong:", " ".join(result.wrong) or "none")


if __name__ == "__main__":
    main()
