"""Eval reports: a JSON document (every case's expectation, outcome and failures, every score) and
a markdown page (metrics against thresholds, confusion matrices, per-rule precision/recall,
per-case diffs with cost and latency). `results_markdown` is the short, stable summary kept in
`evals/RESULTS.md`."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from statistics import mean
from typing import Any

from evals.runner import EvalRun
from evals.scorers import Score

METRIC_ORDER = ("escalate", "severity", "target", "rules", "facts", "completeness", "groundedness", "injection")


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def case_failures(run: EvalRun) -> dict[str, dict[str, str]]:
    """case id -> {metric: reason} for every metric the case failed."""
    failed: dict[str, dict[str, str]] = {}
    for name in METRIC_ORDER:
        for case_id, reason in run.scores[name].failures.items():
            failed.setdefault(case_id, {})[name] = reason
    return failed


def to_document(run: EvalRun) -> dict[str, Any]:
    """The JSON report."""
    failures = case_failures(run)
    costs = [o.cost_usd for _, o in run.pairs if o.cost_usd is not None]
    return {
        "model": run.model,
        "cases": len(run.pairs),
        "passed_cases": sum(1 for c, _ in run.pairs if c.id not in failures),
        "gate": {"passed": run.passed, "below": run.below, "thresholds": run.thresholds},
        "scores": {
            name: {"value": s.value, "explanation": s.explanation, "failures": s.failures, "details": s.details}
            for name, s in run.scores.items()
        },
        "totals": {
            "seconds": round(run.seconds, 3),
            "mean_seconds_per_case": round(mean(o.seconds for _, o in run.pairs), 4) if run.pairs else None,
            "cost_usd": round(sum(costs), 6) if costs else None,
            "model_calls": sum(o.usage.get("calls", 0) for _, o in run.pairs),
            "input_tokens": sum(o.usage.get("input_tokens", 0) for _, o in run.pairs),
            "output_tokens": sum(o.usage.get("output_tokens", 0) for _, o in run.pairs),
            "cache_read_tokens": sum(o.usage.get("cache_read_tokens", 0) for _, o in run.pairs),
            "cache_write_tokens": sum(o.usage.get("cache_write_tokens", 0) for _, o in run.pairs),
        },
        "results": [
            {
                "id": case.id,
                "title": case.title,
                "tags": case.tags,
                "expected": case.expect.model_dump(),
                "actual": outcome.summary(),
                "failures": failures.get(case.id, {}),
                "passed": case.id not in failures,
            }
            for case, outcome in run.pairs
        ],
    }


def _metrics_table(run: EvalRun) -> list[str]:
    lines = ["| Metric | Value | Threshold | Status | Explanation |", "|---|---|---|---|---|"]
    for name in METRIC_ORDER:
        score = run.scores[name]
        limit = run.thresholds.get(name)
        status = "—" if limit is None else ("FAIL" if name in run.below else "pass")
        shown = "—" if limit is None else f"{limit:.2f}"
        lines.append(f"| {name} | {_pct(score.value)} | {shown} | {status} | {score.explanation.split('; wrong')[0]} |")
    return lines


def _confusion(score: Score) -> list[str]:
    table: dict[str, dict[str, int]] = score.details.get("confusion", {})
    labels = sorted({a for row in table.values() for a in row} | set(table))
    lines = [f"| expected \\ actual | {' | '.join(labels)} |", "|---" * (len(labels) + 1) + "|"]
    for expected in sorted(table):
        cells = [str(table[expected].get(a, 0) or "") for a in labels]
        lines.append(f"| **{expected}** | {' | '.join(cells)} |")
    return lines


def _rules_table(score: Score) -> list[str]:
    lines = ["| Rule | TP | FP | FN | Precision | Recall |", "|---|---|---|---|---|---|"]
    for rule, row in score.details.get("per_rule", {}).items():
        lines.append(
            f"| {rule} | {row['tp']} | {row['fp']} | {row['fn']} | {_pct(row['precision'])} | {_pct(row['recall'])} |"
        )
    return lines


def _failing(run: EvalRun) -> list[str]:
    failures = case_failures(run)
    lines: list[str] = []
    for case, outcome in run.pairs:
        if case.id not in failures:
            continue
        want = "escalate" if case.expect.escalate else "support"
        if case.expect.escalate:
            want += f" {'/'.join(case.expect.severity or ['?'])} → {'/'.join(case.expect.target or ['?'])}"
        got = "error" if outcome.error else ("escalate" if outcome.escalate else "support")
        if outcome.escalate:
            got += f" {outcome.severity} → {outcome.target}"
        lines.append(f"- **{case.id}** ({case.title}): expected {want}; got {got}")
        lines += [f"  - {metric}: {reason}" for metric, reason in failures[case.id].items()]
    return lines or ["None."]


def tag_counts(run: EvalRun) -> Counter[str]:
    return Counter(tag for case, _ in run.pairs for tag in case.tags)


def to_markdown(run: EvalRun) -> str:
    """The full markdown report."""
    doc = to_document(run)
    totals = doc["totals"]
    lines = [
        f"# Eval report: {run.model}",
        "",
        f"{doc['passed_cases']}/{doc['cases']} cases pass every check. Gate: "
        + ("**PASS**" if run.passed else "**FAIL** (" + "; ".join(f"{k} {v}" for k, v in run.below.items()) + ")"),
        "",
        *_metrics_table(run),
        "",
        "## Severity confusion (escalation cases)",
        "",
        *_confusion(run.scores["severity"]),
        "",
        "## Target confusion (escalation cases)",
        "",
        *_confusion(run.scores["target"]),
        "",
        "## Escalate confusion",
        "",
        *_confusion(run.scores["escalate"]),
        "",
        "## Per-rule precision and recall",
        "",
        *_rules_table(run.scores["rules"]),
        "",
        "## Failing cases",
        "",
        *_failing(run),
        "",
        "## Every case",
        "",
        "| Case | Expected | Actual | Rules fired | Calls | Tokens in/out | Cost (USD) | Seconds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for case, o in run.pairs:
        want = "/".join(case.expect.severity or []) + " " + "/".join(case.expect.target or [])
        want = want.strip() if case.expect.escalate else "support"
        got = "error" if o.error else (f"{o.severity} {o.target}" if o.escalate else "support")
        cost = "—" if o.cost_usd is None else f"{o.cost_usd:.4f}"
        tokens = f"{o.usage.get('input_tokens', 0)}/{o.usage.get('output_tokens', 0)}"
        fired = ", ".join(r for r in o.fired if not r.startswith(("PRI-", "ASK-")))
        lines.append(
            f"| {case.id} | {want} | {got} | {fired} | {o.usage.get('calls', 0)} | {tokens} | {cost} | {o.seconds:.3f} |"
        )
    lines += [
        "",
        f"Total: {totals['seconds']} s, {totals['model_calls']} model calls, "
        f"{totals['input_tokens']} input / {totals['output_tokens']} output tokens "
        f"(cache read {totals['cache_read_tokens']}, write {totals['cache_write_tokens']}), "
        f"mean {totals['mean_seconds_per_case']} s per case, cost "
        + ("n/a" if totals["cost_usd"] is None else f"${totals['cost_usd']:.4f}")
        + ".",
    ]
    return "\n".join(lines) + "\n"


def results_markdown(run: EvalRun, cases_label: str = "evals/cases") -> str:
    """The stable summary for evals/RESULTS.md: metrics, case counts by tag, failing cases.

    `cases_label` names the case files the run used, as given on the command line."""
    tags = tag_counts(run)
    options = "" if cases_label == "evals/cases" else f" --cases {cases_label}"
    lines = [
        f"# Eval results ({run.model})",
        "",
        f"Generated by `escalate eval --model {run.model}{options}`; do not edit by hand.",
        "",
        f"{len(run.pairs)} cases (`{cases_label}`). Gate: "
        + ("PASS" if run.passed else "FAIL (" + "; ".join(f"{k} {v}" for k, v in run.below.items()) + ")"),
        "",
        *_metrics_table(run),
        "",
        "Cases by tag: " + ", ".join(f"{tag} {n}" for tag, n in sorted(tags.items())) + ".",
        "",
        "## Failing cases",
        "",
        *_failing(run),
    ]
    return "\n".join(lines) + "\n"


def write_reports(run: EvalRun, directory: Path) -> tuple[Path, Path]:
    """Write eval-report.md and eval-report.json into `directory`; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    md_path, json_path = directory / "eval-report.md", directory / "eval-report.json"
    md_path.write_text(to_markdown(run), encoding="utf-8")
    json_path.write_text(json.dumps(to_document(run), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return md_path, json_path
