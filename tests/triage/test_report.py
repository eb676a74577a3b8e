"""`escalate triage` end to end through the CLI: the report's JSON shape, ARR summed from the CRM
over a cross-customer cluster, the digest, the briefs, the table, and bad input (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.cli import main
from connectors.demo import demo_workspace
from tests.fakes.triage import NOW, ticket_row, write_jsonl

ROWS: list[dict[str, object] | str] = [
    ticket_row(
        "501",
        "Acme Corp",
        "CSV export is missing rows",
        "Since the release our CSV export is missing rows; finance cannot close the month.",
    ),
    ticket_row(
        "502",
        "Globex",
        "Exported report incomplete",
        "The data export drops records: rows are missing from the downloaded file.",
    ),
    '{"id": "503", "subject": "half a row"',
    ticket_row("504", "Initech", "Rows lost in our export", "Our export has been missing rows since the release."),
    ticket_row("505", "Acme Corp", "How do I change the dashboard timezone?", "Dashboards show UTC; how do we switch?"),
    ticket_row("506", "Hooli", "How do I change the dashboard timezone?", "Where is the timezone setting?"),
    ticket_row(
        "507", "Umbrella Health", "How do I change the dashboard timezone?", "How to change the timezone of dashboards?"
    ),
    ticket_row("508", "Globex", "Invoice address", "Please update the billing address on our invoices."),
]


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)


def triage(capsys: pytest.CaptureFixture[str], tmp_path: Path, *extra: str) -> tuple[int, str, str, dict]:  # type: ignore[type-arg]
    queue = write_jsonl(tmp_path / "tickets.jsonl", ROWS)
    report = tmp_path / "out" / "report.json"
    code = main(
        ["triage", "--input", str(queue), "--date", "2026-11-27", "--report", str(report), "--no-progress", *extra]
    )
    out, err = capsys.readouterr()
    return code, out, err, json.loads(report.read_text()) if report.exists() else {}


def test_report_shape_clusters_and_arr_from_the_crm(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err, data = triage(
        capsys, tmp_path, "--digest", str(tmp_path / "out" / "digest.md"), "--out-dir", str(tmp_path / "briefs")
    )
    assert code == 0, err
    assert {"tickets", "clusters", "failed", "counts", "run", "policy_version", "prompt_version", "model"} <= set(data)
    for row in data["tickets"]:
        assert {"id", "escalate", "severity", "target_team", "priority", "cluster"} <= set(row)
        assert row["priority"] in ("P1", "P2", "P3", "P4")
        assert (row["severity"] is None) == (not row["escalate"])
    assert sorted(t["id"] for t in data["tickets"]) == ["501", "502", "504", "505", "506", "507", "508"]

    export = next(c for c in data["clusters"] if "501" in c["ticket_ids"])
    assert sorted(export["ticket_ids"]) == ["501", "502", "504"]
    assert sorted(export["accounts"]) == ["Acme Corp", "Globex", "Initech"]
    space = demo_workspace(NOW.date())
    try:
        expected = sum(space.crm.find_account(n).arr for n in ("Acme Corp", "Globex", "Initech"))  # type: ignore[union-attr,misc]
    finally:
        space.close()
    assert export["arr_at_risk"] == expected > 0
    assert export["escalate"] is True and export["target_team"] == "Engineering"
    assert "PAT-MULTI-CUSTOMER" in export["rules_fired"]
    assert {t["cluster"] for t in data["tickets"] if t["id"] in ("501", "502", "504")} == {export["id"]}

    questions = next(c for c in data["clusters"] if "505" in c["ticket_ids"])
    assert len(questions["accounts"]) == 3 and questions["escalate"] is False  # a repeated question is no incident
    assert next(t for t in data["tickets"] if t["id"] == "508")["cluster"] is None

    [bad] = data["failed"]
    assert (bad["id"], bad["line"], bad["stage"], bad["attempts"]) == (None, 3, "malformed", 0)  # no id in broken JSON
    assert bad["reason"].startswith("invalid JSON")
    assert "line 3: skipped: invalid JSON" in err
    assert data["counts"]["pattern_escalations"] == 1

    digest = (tmp_path / "out" / "digest.md").read_text()
    assert "## Cross-customer patterns" in digest and f"| {export['id']} |" in digest
    assert "| - | 3 | malformed | invalid JSON" in digest
    briefs = sorted(p.name for p in (tmp_path / "briefs").iterdir())
    assert f"cluster-{export['id']}.md" in briefs
    assert {f"ticket-{t['id']}.md" for t in data["tickets"] if t["escalate"]} == {
        b for b in briefs if b.startswith("ticket-")
    }
    pattern_brief = (tmp_path / "briefs" / f"cluster-{export['id']}.md").read_text()
    assert "Acme Corp" in pattern_brief and "Initech" in pattern_brief
    assert export["id"] in out and "Engineering" in out  # the ranked table on stdout


def test_without_a_crm_the_arr_is_unknown_not_zero_by_accident(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err, data = triage(capsys, tmp_path, "--workspace", "none")
    assert code == 0, err
    export = next(c for c in data["clusters"] if "501" in c["ticket_ids"])
    assert export["arr_at_risk"] == 0
    assert sorted(export["arr_unknown_accounts"]) == ["Acme Corp", "Globex", "Initech"]


def test_a_rerun_reuses_the_state_next_to_the_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    triage(capsys, tmp_path, "--top", "0")
    assert (tmp_path / "out" / "report.triage.sqlite").exists()
    code, _, err, data = triage(capsys, tmp_path, "--top", "0")
    assert code == 0, err
    assert (data["run"]["already_done"], data["run"]["triaged_now"]) == (7, 0)


def test_the_support_platform_as_the_queue(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    code = main(
        [
            "triage",
            "--source",
            "support",
            "--query",
            "export",
            "--limit",
            "10",
            "--date",
            "2026-11-27",
            "--report",
            str(report),
            "--state",
            str(tmp_path / "s.sqlite"),
            "--no-progress",
            "--top",
            "0",
        ]
    )
    _, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(report.read_text())
    assert 0 < data["counts"]["triaged"] <= 10 and "query 'export'" in data["source"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "exactly one queue"),
        (["--input", "x.jsonl", "--source", "support"], "exactly one queue"),
        (["--source", "jira"], "only source is 'support'"),
        (["--input", "x.jsonl", "--query", "export"], "--query needs --source support"),
        (["--input", "missing.jsonl"], "does not exist"),
        (["--source", "support", "--concurrency", "0"], "at least 1"),
        (["--source", "support", "--batch-api", "--model", "offline"], "--batch-api needs Claude"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["triage", "--no-progress", *args])
    _, err = capsys.readouterr()
    assert code == 2
    errors = [line for line in err.splitlines() if line.startswith("escalate: error:")]
    assert len(errors) == 1 and message in errors[0], err


def test_dead_letters_are_reported_with_their_attempts_and_the_run_completes(tmp_path: Path) -> None:
    from agent.decide.policy import load_policy
    from agent.models.base import ModelCapabilities, ModelRequest, ModelTurn
    from agent.models.offline.model import OfflineModel
    from agent.triage.digest import render_digest
    from agent.triage.input import load_file
    from agent.triage.report import build_report
    from agent.triage.session import TriageSession, TriageSettings

    class BrokenOnInvoices:
        """Answers, but never with an extraction for one ticket: that ticket's own failure."""

        name = "fake-claude"
        capabilities = ModelCapabilities()

        def complete(self, request: ModelRequest) -> ModelTurn:
            if any("Invoice address" in m.text for m in request.messages):
                return ModelTurn(text="I cannot read this invoice.", stop_reason="end_turn")
            return OfflineModel().complete(request)

    queue = load_file(write_jsonl(tmp_path / "t.jsonl", ROWS))
    settings = TriageSettings(
        policy=load_policy(),
        model=BrokenOnInvoices(),
        workspace=None,
        now=NOW,
        state=tmp_path / "s.sqlite",
        concurrency=2,
        max_attempts=3,
        fallback=False,
    )
    session = TriageSession(settings)
    try:
        data = build_report(session.run(queue))
    finally:
        session.close()
    dead = [f for f in data["failed"] if f["stage"] == "dead_letter"]
    assert [(f["id"], f["line"], f["attempts"]) for f in dead] == [("508", 8, 3)]
    assert "without the extraction tool" in dead[0]["reason"]
    assert data["exit_code"] == 1
    assert data["counts"]["triaged"] == 6 and data["counts"]["dead_letter"] == 1 and data["counts"]["pending"] == 0
    assert "| 508 | 8 | dead_letter |" in render_digest(data)


def test_the_report_counts_low_confidence_rows(tmp_path: Path) -> None:
    from agent.decide.policy import load_policy
    from agent.models.offline.model import OfflineModel
    from agent.triage.input import load_file
    from agent.triage.report import build_report
    from agent.triage.session import TriageSession, TriageSettings

    vague = {"id": "900", "subject": "Something is off", "description": "Please have a look at our account.",
             "account": "Brightwave", "created_at": "2026-11-26T09:00:00Z"}  # fmt: skip
    queue = load_file(write_jsonl(tmp_path / "t.jsonl", [*ROWS, vague]))
    settings = TriageSettings(
        policy=load_policy(), model=OfflineModel(), workspace=None, now=NOW, state=tmp_path / "s.sqlite"
    )
    session = TriageSession(settings)
    try:
        data = build_report(session.run(queue))
    finally:
        session.close()
    low = [t for t in data["tickets"] if t["confidence"] == "low"]
    assert [t["id"] for t in low] == ["900"] and data["counts"]["low_confidence"] == 1
    assert all(t["escalate"] and t["target_team"] == "L2 Support" for t in low)
    assert {t["confidence"] for t in data["tickets"]} <= {"high", "medium", "low"}
