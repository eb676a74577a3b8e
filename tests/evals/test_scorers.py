"""Unit tests of the eval scorers and reports on hand-made cases and outcomes: each scorer passes a
good result and fails a bad one."""

from __future__ import annotations

import json
from typing import Any

import pytest

from evals.case import Case
from evals.checks import brief_gaps, stated_numbers, ungrounded
from evals.outcome import Cited, Outcome
from evals.report import to_document, to_markdown
from evals.runner import EvalRun, gate
from evals.scorers import (
    Pair,
    Score,
    completeness,
    escalate_accuracy,
    fact_coverage,
    groundedness,
    injection_resistance,
    rule_accuracy,
    score_all,
    severity_accuracy,
    target_accuracy,
)

BRIEF = """# ESCALATION: Intermittent 500s on ingestion for Acme Corp

**Severity:** High | **Target team:** Engineering | **Priority:** P2
**Reported by:** Support team | **Date:** 2026-11-27

## Impact

- **Customers affected:** 1 customer (Acme Corp)
- **Workflow impact:** Nightly loads fail.
- **Revenue at risk:** $480,000 ARR across 1 account(s) (CRM)
- **Time in queue:** 9 days

## Issue Description

About 4% of POST /v1/events calls fail with HTTP 500.

## What's Been Tried

1. Retries with backoff — fewer failures, not fixed

## Reproduction Steps

1. Send 500-event batches at peak
- **Expected:** 200

## Customer Communication

- **Last update to customer:** 2026-11-26 18:00 UTC: "Engineering is on it."
- **Customer expectation:** A root cause this week.
- **Escalation risk:** executives involved

## What's Needed

- Prioritize the fix for ENG-1423
- **Deadline:** 2026-11-28 12:00 UTC (High)

## Supporting Context

- Ticket #1042
"""
SUPPORT = """# HANDLE IN SUPPORT: How to rotate an API key

**Recommendation:** No escalation. | **Priority:** P4
**Reported by:** Support team | **Date:** 2026-11-27

## Why support can handle it

- **HS-GUIDANCE**: guidance

## Suggested reply to the customer

> Hi there,

## Supporting Context

- Documentation [Rotating API keys](https://help.example/kb-2)
"""


def case(case_id: str = "c1", **expect: Any) -> Case:
    data: dict[str, Any] = {"escalate": True, **expect}
    return Case.model_validate(
        {"id": case_id, "title": case_id, "input": {"request": "r", "workspace": "none"}, "expect": data}
    )


def outcome(case_id: str = "c1", **fields: Any) -> Outcome:
    base: dict[str, Any] = {"escalate": True, "severity": "High", "target": "Engineering", "markdown": BRIEF}
    base.update(fields)
    return Outcome(case_id=case_id, **base)


# --- decision scorers --------------------------------------------------------------------


def test_escalate_accuracy_counts_wrong_decisions_and_errors() -> None:
    pairs: list[Pair] = [
        (case("a"), outcome("a")),
        (case("b", escalate=False), outcome("b")),
        (case("c"), outcome("c", error="boom")),
    ]
    score = escalate_accuracy(pairs)
    assert score.value == pytest.approx(1 / 3)
    assert set(score.failures) == {"b", "c"}
    assert "expected handle in support, got escalate" in score.failures["b"]
    assert score.details["confusion"]["false"]["true"] == 1


def test_severity_accepts_an_allowed_set_and_builds_a_confusion_matrix() -> None:
    pairs: list[Pair] = [
        (case("a", severity=["High", "Critical"]), outcome("a", severity="Critical")),
        (case("b", severity="Critical"), outcome("b", severity="Medium")),
        (case("c", severity="High"), outcome("c", escalate=False, severity=None)),
        (case("d", escalate=False), outcome("d", escalate=False, severity=None)),
    ]
    score = severity_accuracy(pairs)
    assert score.value == pytest.approx(1 / 3)
    assert set(score.failures) == {"b", "c"}
    assert score.details["confusion"] == {"Critical": {"Critical": 1, "Medium": 1}, "High": {"none": 1}}


def test_target_accuracy_fails_a_wrong_team() -> None:
    pairs: list[Pair] = [
        (case("a", target=["Leadership", "Product"]), outcome("a", target="Product")),
        (case("b", target="Security"), outcome("b", target="Engineering")),
    ]
    score = target_accuracy(pairs)
    assert score.value == 0.5
    assert score.failures == {"b": "expected Security, got Engineering"}


def test_label_scorers_have_no_value_without_labelled_cases() -> None:
    assert severity_accuracy([(case("a"), outcome("a"))]).value is None


def test_rule_precision_and_recall() -> None:
    pairs: list[Pair] = [
        (case("a", fire=["TECH-BUG"], not_fire=["IMPACT-SECURITY"]), outcome("a", fired=["TECH-BUG"])),
        (case("b", fire=["TECH-BUG"]), outcome("b", fired=[])),
        (case("c", not_fire=["TECH-BUG"]), outcome("c", fired=["TECH-BUG"])),
    ]
    score = rule_accuracy(pairs)
    bug = score.details["per_rule"]["TECH-BUG"]
    assert (bug["tp"], bug["fp"], bug["fn"]) == (1, 1, 1)
    assert bug["precision"] == 0.5 and bug["recall"] == 0.5
    assert score.details["per_rule"]["IMPACT-SECURITY"]["precision"] is None
    assert score.failures == {"b": "missing TECH-BUG", "c": "unwanted TECH-BUG"}


def test_fact_coverage_is_case_insensitive_and_names_what_is_missing() -> None:
    pairs: list[Pair] = [
        (case("a", facts=["eng-1423", "ACME CORP"]), outcome("a")),
        (case("b", facts=["ENG-9999"]), outcome("b")),
    ]
    score = fact_coverage(pairs)
    assert score.value == 0.5
    assert "ENG-9999" in score.failures["b"]


# --- completeness ------------------------------------------------------------------------


def test_a_complete_brief_and_a_complete_recommendation_pass() -> None:
    assert brief_gaps(outcome()) == []
    assert brief_gaps(outcome(escalate=False, markdown=SUPPORT)) == []


@pytest.mark.parametrize(
    ("old", "new", "gap"),
    [
        ("## Reproduction Steps", "## Repro", "missing Reproduction Steps"),
        ("- **Time in queue:** 9 days\n", "", "missing Time in queue"),
        ("- **Deadline:** 2026-11-28 12:00 UTC (High)", "- **Deadline:** soon", "missing Deadline"),
        ("**Reported by:** Support team", "**Reported by:** [Your name/team]", "placeholder '[Your name'"),
        ("Nightly loads fail.", "TODO", "placeholder 'TODO'"),
        ("Nightly loads fail.", "{{ impact.workflow }}", "placeholder '{{'"),
        ("$480,000 ARR across 1 account(s) (CRM)", "None", "placeholder 'None'"),
        ("# ESCALATION: Intermittent", "# Intermittent", "missing ESCALATION heading"),
    ],
)
def test_completeness_flags_missing_sections_and_placeholders(old: str, new: str, gap: str) -> None:
    broken = outcome(markdown=BRIEF.replace(old, new))
    assert gap in brief_gaps(broken)
    score = completeness([(case(), broken)])
    assert score.value == 0.0 and gap in score.failures["c1"]


def test_an_escaped_placeholder_in_a_recommendation_is_still_a_placeholder() -> None:
    text = SUPPORT.replace("> Hi there,", "> Here is how to resolve it: \\[add the steps you used\\].")
    assert "placeholder '[add the '" in brief_gaps(outcome(escalate=False, markdown=text))


# --- groundedness ------------------------------------------------------------------------


def grounded(**fields: Any) -> Outcome:
    base: dict[str, Any] = {
        "cited": [
            Cited("TECH-BUG", "demo", "1042", "https://t/1042", "quote"),
            Cited("BIZ-EXEC", "request", "request"),
        ],
        "record_urls": {"demo:1042": "https://t/1042", "demo:acme": None},
        "sources_text": 'Acme is angry\n{"arr": 480000.0, "name": "Acme Corp"} {"arr": 120000.0}',
        "impact": {"customers_affected": "1 customer (Acme Corp)", "revenue_at_risk": "$480,000 ARR"},
        "summable": [480000.0, 120000.0],
        "count_bound": 1,
    }
    base.update(fields)
    return outcome(**base)


def test_grounded_citations_and_figures_pass() -> None:
    assert ungrounded(grounded()) == []
    total = grounded(impact={"revenue_at_risk": "$600,000 ARR across 2 account(s)"}, count_bound=2)
    assert ungrounded(total) == []
    assert groundedness([(case(), grounded())]).value == 1.0


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"cited": [Cited("TECH-BUG", "demo", "9999")]}, "cites demo:9999, which was never gathered"),
        ({"cited": [Cited("TECH-BUG", "demo", "1042", "https://evil")]}, "url that is not the record's"),
        ({"cited": [Cited("BIZ-EXEC", "request", "1042")]}, "cites request with id '1042'"),
        ({"impact": {"revenue_at_risk": "$2,000,000 ARR"}}, "$2,000,000 is in no record"),
        ({"impact": {"customers_affected": "7 customers"}}, "'7 customers' is in no record"),
    ],
)
def test_ungrounded_citations_and_figures_fail(fields: dict[str, Any], problem: str) -> None:
    found = ungrounded(grounded(**fields))
    assert any(problem in p for p in found), found
    assert groundedness([(case(), grounded(**fields))]).value == 0.0


def test_stated_numbers_reads_thousands_suffixes_and_words() -> None:
    assert {480000.0, 120000.0, 1204.0, 3.0} <= stated_numbers("480000.0 and $120k, 1,204 rows, three customers")


# --- injection ---------------------------------------------------------------------------


def test_injection_resistance_compares_with_the_clean_twin() -> None:
    clean = case("clean")
    attacked = case("attacked").model_copy(update={"clean_twin": "clean"})
    same = injection_resistance([(clean, outcome("clean")), (attacked, outcome("attacked"))])
    assert same.value == 1.0
    changed = injection_resistance(
        [(clean, outcome("clean")), (attacked, outcome("attacked", severity="Critical", target="Security"))]
    )
    assert changed.value == 0.0 and "differs from clean twin clean" in changed.failures["attacked"]
    assert injection_resistance([(clean, outcome("clean"))]).value is None


# --- gate and reports --------------------------------------------------------------------


def test_gate_reports_metrics_below_threshold_and_unknown_ones() -> None:
    scores = {"escalate": Score("escalate", 0.8, ""), "injection": Score("injection", None, "")}
    below = gate(scores, {"escalate": 0.9, "injection": 1.0, "speed": 0.5})
    assert below == {"escalate": "0.800 < 0.90", "speed": "unknown metric (threshold 0.50)"}
    assert gate({"escalate": Score("escalate", 0.9, "")}, {"escalate": 0.9}) == {}


def test_reports_render_every_section_and_serialize() -> None:
    pairs: list[Pair] = [
        (case("a", severity="High", target="Engineering", fire=["TECH-BUG"]), outcome("a", fired=["TECH-BUG"])),
        (case("b", escalate=False), outcome("b")),
    ]
    scores = score_all(pairs)
    run = EvalRun("offline", pairs, scores, {"escalate": 0.9}, 0.1, gate(scores, {"escalate": 0.9}))
    text = to_markdown(run)
    for heading in ("Severity confusion", "Target confusion", "Per-rule precision and recall", "Failing cases"):
        assert heading in text
    assert "**b**" in text and "FAIL" in text
    doc = json.loads(json.dumps(to_document(run)))
    assert doc["gate"]["passed"] is False
    assert doc["results"][1]["failures"]["escalate"].startswith("expected handle in support")
