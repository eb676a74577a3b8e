"""One escalation's whole life through the CLI, on a fixed clock (`--now`): record, follow-ups due
on the cadence and then overdue, updates, reassessment, de-escalation and close, each refused
without its reason, and a complete, ordered history with no obligation left."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.act.helpers import API_500, WEBHOOK, cli, cli_json

T0 = "2026-12-03T12:00:00Z"


def record(capsys: pytest.CaptureFixture[str], request: str) -> tuple[dict[str, object], str]:
    code, out, err = cli(capsys, "brief", request, "--date", T0, "--record", "--format", "json", "--model", "offline")
    assert code == 0, err
    return json.loads(out), err


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = cli(capsys, *args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("escalate: error: ")
    return err


def test_lifecycle(capsys: pytest.CaptureFixture[str], ledger_file: Path) -> None:
    brief, err = record(capsys, API_500)
    esc = brief["escalation_id"]
    assert esc == "ESC-0001" and brief["severity"] == "High" and f"recorded {esc}" in err
    again, err = record(capsys, API_500)
    assert again["escalation_id"] == esc and f"updated {esc}" in err

    # High: internal every 4 hours, customer every 4 hours (policy.toml), from the brief's time.
    due = cli_json(capsys, "followups", "--now", "2026-12-03T13:00:00Z")
    assert [(d["escalation_id"], d["kind"], d["due"], d["overdue"]) for d in due] == [
        (esc, "customer", "2026-12-03T16:00:00+00:00", False),
        (esc, "internal", "2026-12-03T16:00:00+00:00", False),
    ]
    assert due[0]["sla"], "the recorded tickets' SLA due times are shown beside the obligations"
    assert cli_json(capsys, "followups", "--within", "2h", "--now", "2026-12-03T13:00:00Z") == []
    assert len(cli_json(capsys, "followups", "--within", "3h", "--now", "2026-12-03T13:00:00Z")) == 2
    late = cli_json(capsys, "followups", "--now", "2026-12-03T17:00:00Z")
    assert [d["overdue"] for d in late] == [True, True]

    noted = cli_json(
        capsys, "ledger", "update", esc, "--note", "Checked with Engineering", "--now", "2026-12-03T17:00:00Z"
    )
    assert noted["due"] == {"internal": "2026-12-03T21:00:00+00:00"}
    kinds = {d["kind"]: d for d in cli_json(capsys, "followups", "--now", "2026-12-03T17:00:00Z")}
    assert kinds["customer"]["overdue"] and not kinds["internal"]["overdue"]
    cli_json(capsys, "ledger", "update", esc, "--note", "Told the customer", "--customer-updated",
             "--now", "2026-12-03T17:30:00Z")  # fmt: skip
    assert not any(d["overdue"] for d in cli_json(capsys, "followups", "--now", "2026-12-03T17:30:00Z"))
    raised = cli_json(capsys, "ledger", "update", esc, "--note", "A second region is down", "--severity", "Critical",
                      "--by", "Sam", "--now", "2026-12-03T18:00:00Z")  # fmt: skip
    assert raised["severity"] == ["High", "Critical"] and raised["why"] == "A second region is down"
    assert raised["due"] == {"internal": "2026-12-03T20:00:00+00:00", "customer": "2026-12-03T20:00:00+00:00"}

    before = len(cli_json(capsys, "ledger", "show", esc)["history"])
    seen = cli_json(capsys, "ledger", "reassess", esc, "--workspace", "demo", "--model", "offline", "--now", T0)
    assert seen["recommendation"] == "lower" and "severity Critical -> High" in seen["changes"]
    assert len(cli_json(capsys, "ledger", "show", esc)["history"]) == before, "without --apply nothing is written"

    assert "--reason" in refused(capsys, "ledger", "deescalate", esc)
    assert "--reason" in refused(capsys, "ledger", "deescalate", esc, "--reason", "  ")
    down = cli_json(capsys, "ledger", "deescalate", esc, "--reason", "Workaround unblocks them",
                    "--condition", "DEESC-WORKAROUND", "--now", "2026-12-03T19:00:00Z")  # fmt: skip
    assert down["status"] == "deescalated"
    assert [s["step"] for s in down["next_steps"]] == [
        "notify_team",
        "update_ticket",
        "inform_customer",
        "document_learnings",
    ]
    assert cli_json(capsys, "followups", "--now", "2026-12-04T12:00:00Z") == []
    assert "cannot update" in refused(capsys, "ledger", "update", esc, "--note", "late")

    assert "--learnings" in refused(capsys, "ledger", "close", esc)
    assert "--learnings" in refused(capsys, "ledger", "close", esc, "--learnings", "")
    closed = cli_json(capsys, "ledger", "close", esc, "--learnings", "Retry storms after deploys: add a canary",
                      "--fixed", "--customer-confirmed", "--now", "2026-12-04T09:00:00Z")  # fmt: skip
    assert closed["checklist"] == {"customer_confirmed": True, "tracking_updated": False, "learnings_captured": True}

    shown = cli_json(capsys, "ledger", "show", esc)
    assert shown["status"] == "closed" and shown["fixed"] and shown["obligations"] == []
    history = shown["history"]
    assert [h["kind"] for h in history] == [
        "recorded", "re-recorded", "note", "note", "severity-changed", "deescalated", "closed"
    ]  # fmt: skip
    assert [h["seq"] for h in history] == sorted(h["seq"] for h in history)
    assert [h["at"] for h in history] == sorted(h["at"] for h in history)
    assert history[4]["actor"] == "Sam"
    assert cli_json(capsys, "followups", "--now", "2026-12-05T00:00:00Z") == []
    listed = cli_json(capsys, "ledger", "list", "--status", "closed")
    assert [(e["id"], e["status"], e["severity"], e["target_team"]) for e in listed] == [
        (esc, "closed", "Critical", "Engineering")
    ]


def test_a_handle_in_support_result_is_recorded_with_no_obligations(
    capsys: pytest.CaptureFixture[str], ledger_file: Path
) -> None:
    brief, _ = record(capsys, WEBHOOK)
    assert brief["escalate"] is False and brief["escalation_id"] == "ESC-0001"
    assert cli_json(capsys, "ledger", "show", "ESC-0001")["obligations"] == []
    assert cli_json(capsys, "followups", "--now", "2026-12-10T00:00:00Z") == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("ledger", "show", "ESC-0042"), "unknown escalation ESC-0042"),
        (("ledger", "show", "nope"), "not an escalation id"),
        (("ledger", "close", "ESC-0042", "--learnings", "x"), "unknown escalation"),
        (("followups", "--now", "tomorrow"), "--now"),
        (("followups", "--within", "soon"), "--within"),
        (("ledger", "list", "--status", "pending"), "--status"),
        (("ledger", "update", "ESC-0001", "--note", "x", "--severity", "Low"), "--severity"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], ledger_file: Path, args: tuple[str, ...], says: str
) -> None:
    assert says in refused(capsys, *args)


def test_path_resolution(capsys: pytest.CaptureFixture[str], ledger_file: Path, tmp_path: Path) -> None:
    assert cli_json(capsys, "ledger", "path")["path"] == str(ledger_file)
    other = tmp_path / "other.sqlite"
    assert cli_json(capsys, "ledger", "path", "--ledger", str(other))["path"] == str(other)


def test_reassess_apply_records_the_recommendation(capsys: pytest.CaptureFixture[str], ledger_file: Path) -> None:
    esc = record(capsys, API_500)[0]["escalation_id"]
    cli_json(capsys, "ledger", "update", esc, "--note", "Looked worse", "--severity", "Critical", "--now", T0)
    later = "2026-12-03T13:00:00Z"
    applied = cli_json(capsys, "ledger", "reassess", esc, "--apply", "--workspace", "demo", "--model", "offline",
                       "--now", later)  # fmt: skip
    assert applied["recommendation"] == "lower" and applied["applied"]["status"] == "open"
    shown = cli_json(capsys, "ledger", "show", esc)
    assert shown["severity"] == "High" and shown["history"][-1]["kind"] == "reassessed"
    assert {o["kind"]: o["due"] for o in shown["obligations"]} == {
        "internal": "2026-12-03T17:00:00+00:00",
        "customer": "2026-12-03T17:00:00+00:00",
    }


def test_a_file_that_is_not_a_ledger_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database, not at all", encoding="utf-8")
    assert "file is not a database" in refused(capsys, "ledger", "list", "--ledger", str(junk))
    assert "cannot open ledger" in refused(capsys, "ledger", "list", "--ledger", str(tmp_path))
