"""The ledger's parts on their own: cadence in business time, paths, idempotency keys, recurrence
after a close, the pattern matcher, reassessment, and the customer update draft."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent.act.ledger import IssueQuery, Ledger, ledger_followups, ledger_list, ledger_record, recurring_matches
from agent.act.ledger.brief_data import Observed
from agent.act.ledger.cadence import add_business_hours, next_due
from agent.act.ledger.clock import parse_duration, parse_instant
from agent.act.ledger.lifecycle import close
from agent.act.ledger.paths import ledger_path
from agent.act.ledger.reassess import compare
from agent.decide.policy import load_policy
from agent.errors import UsageError
from tests.act.helpers import brief

FRIDAY = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def test_business_hours_stop_over_the_weekend() -> None:
    assert add_business_hours(FRIDAY, 24) == datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    assert add_business_hours(FRIDAY, 48) == datetime(2026, 12, 8, 15, 0, tzinfo=UTC)
    assert add_business_hours(datetime(2026, 12, 5, 10, 0, tzinfo=UTC), 24) == datetime(2026, 12, 8, 0, 0, tzinfo=UTC)
    assert add_business_hours(datetime(2026, 12, 2, 9, 0, tzinfo=UTC), 2) == datetime(2026, 12, 2, 11, 0, tzinfo=UTC)


def test_cadence_comes_from_the_policy() -> None:
    policy = load_policy()
    assert next_due(policy, "Medium", "customer", FRIDAY) == datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    assert next_due(policy, "Medium", "internal", FRIDAY) == FRIDAY + timedelta(hours=24), "'Daily' is calendar time"
    assert next_due(policy, "Critical", "internal", FRIDAY) == FRIDAY + timedelta(hours=2)


def test_a_medium_escalation_recorded_on_friday_owes_the_customer_on_monday(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    ledger_record(brief("Report totals off by one", ["7"], "Medium", date="2026-12-04T15:00:00+00:00"), path)
    due = {d["kind"]: d["due"] for d in ledger_followups(now="2026-12-04T15:00:00Z", path=path)}
    assert due == {"internal": "2026-12-05T15:00:00+00:00", "customer": "2026-12-07T15:00:00+00:00"}


def test_path_order_option_then_environment_then_data_dir(tmp_path: Path) -> None:
    assert ledger_path(tmp_path / "a", {"ESCALATE_LEDGER": "/x/b"}) == tmp_path / "a"
    assert ledger_path(None, {"ESCALATE_LEDGER": "/x/b"}) == Path("/x/b")
    assert ledger_path(None, {"XDG_DATA_HOME": "/data"}) == Path("/data/escalate/ledger.sqlite")
    assert ledger_path(None, {"XDG_DATA_HOME": "relative"}) == Path.home() / ".local/share/escalate/ledger.sqlite"


@pytest.mark.parametrize(("text", "hours"), [("4h", 4), ("30m", 0.5), ("2d", 48), ("1h30m", 1.5), ("1w", 168)])
def test_durations(text: str, hours: float) -> None:
    assert parse_duration(text) == timedelta(hours=hours)


@pytest.mark.parametrize("text", ["", "4", "h", "4x", "-4h", "4h junk"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(UsageError):
        parse_duration(text)


def test_times_without_an_offset_are_utc() -> None:
    assert parse_instant("2026-12-03T14:00") == datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
    assert parse_instant("2026-12-03T15:00:00+01:00") == datetime(2026, 12, 3, 14, 0, tzinfo=UTC)


def test_same_tickets_and_issue_update_and_a_close_starts_over(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    first = ledger_record(brief("API 500 errors", ["1042", "1051"]), path)
    again = ledger_record(brief("API  500 errors!", ["1051", "1042"]), path)
    assert first == {"escalation_id": "ESC-0001", "created": True, "status": "open"}
    assert again == {"escalation_id": "ESC-0001", "created": False, "status": "open"}
    assert ledger_record(brief("API 500 errors", ["1042"]), path)["escalation_id"] == "ESC-0002"
    with Ledger(path) as ledger:
        close(ledger, 1, "Rolled back", parse_instant("2026-12-04T00:00:00Z"), fixed=True)
    assert ledger_record(brief("API 500 errors", ["1042", "1051"]), path)["escalation_id"] == "ESC-0003"
    assert [e["status"] for e in ledger_list(path=path)] == ["open", "open", "closed"]


def test_a_brief_that_is_not_a_brief_is_refused(tmp_path: Path) -> None:
    for bad in ({}, {"escalate": True, "summary": "x", "severity": "Low"}, {"escalate": False, "summary": " "}):
        with pytest.raises(UsageError):
            ledger_record(bad, tmp_path / "l.sqlite")


def test_recurring_issue_that_was_supposedly_fixed(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    ledger_record(
        brief("CSV export drops rows at page boundary", ["1001"], tracker=["ENG-1398"], area="data-export"), path
    )
    ledger_record(brief("SSO login loop for Okta users", ["1002"], area="auth"), path)
    ledger_record(brief("Dashboard is slow", ["1003"], area="dashboards"), path)
    with Ledger(path) as ledger:
        moment = parse_instant("2026-12-04T00:00:00Z")
        close(ledger, 1, "Pagination fixed", moment, fixed=True)
        close(ledger, 2, "Okta config", moment, fixed=True)
        close(ledger, 3, "Customer network", moment, fixed=False)
        by_key = recurring_matches(ledger, IssueQuery("Export missing rows again", "data-export", ["ENG-1398"]))
        by_words = recurring_matches(ledger, IssueQuery("Okta users stuck in an SSO login loop", "auth"))
        other_area = recurring_matches(ledger, IssueQuery("Okta users stuck in an SSO login loop", "billing"))
        not_fixed = recurring_matches(ledger, IssueQuery("Dashboard is slow", "dashboards"))
    assert [(m.escalation_id, m.reasons) for m in by_key] == [("ESC-0001", ["same tracker issue ENG-1398"])]
    assert [m.escalation_id for m in by_words] == ["ESC-0002"] and by_words[0].learnings == "Okta config"
    assert other_area == [] and not_fixed == []
    assert IssueQuery.from_contract(brief("X", ["9"], tracker=["ENG-1"])).tracker_keys == ("ENG-1",)


def _met(condition: str) -> dict[str, object]:
    return {"de_escalation": [{"id": condition, "condition": "A workaround is found", "met": True}]}


def test_reassessment_recommendations() -> None:
    old = {"severity": "High", "escalate": True, "tickets": {"1": None}, "customers": [], "tracker": {}}
    same = brief("Issue", ["1"], "High")
    assert compare("ESC-0001", old, same, Observed()).recommendation == "keep"
    up = compare("ESC-0001", old, brief("Issue", ["1", "2"], "Critical"), Observed())
    assert up.recommendation == "raise" and up.changes == ["new tickets: 2", "severity High -> Critical"]
    assert compare("ESC-0001", old, brief("Issue", ["1"], "Medium"), Observed()).recommendation == "lower"
    workaround = {**brief("Issue", ["1"], "High"), "follow_up": _met("DEESC-WORKAROUND")}
    workaround["extraction"]["signals"] = {"workaround_available": {"present": True, "evidence": [{"id": "c1"}]}}
    down = compare("ESC-0001", old, workaround, Observed())
    assert down.recommendation == "deescalate" and down.condition is not None
    assert down.condition["id"] == "DEESC-WORKAROUND" and down.condition["evidence"] == [{"id": "c1"}]
    assert "a workaround was found" in down.changes
    support = compare("ESC-0001", old, brief("Issue", ["1"], None), Observed())
    assert support.recommendation == "deescalate" and support.condition["id"] == "DEESC-NEW-INFO"  # type: ignore[index]
    moved = compare("ESC-0001", {**old, "tracker": {"ENG-1": "Open"}}, brief("Issue", ["1"], tracker=["ENG-1"]),
                    Observed(tracker_status={"ENG-1": "Done"}))  # fmt: skip
    assert moved.changes == ["tracker ENG-1: Open -> Done"]


def test_the_read_only_functions_create_no_ledger(tmp_path: Path) -> None:
    path = tmp_path / "none.sqlite"
    assert ledger_list(path=path) == [] and ledger_followups(path=path) == []
    assert not path.exists()
