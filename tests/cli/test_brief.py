"""`escalate brief` end to end through the CLI entry point: golden briefs on the demo workspace,
the JSON contract, and every bad-input case (one line on stderr, exit 2)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from agent.cli import main

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
EXAMPLES = {
    "api-500-acme": "API returning 500 errors intermittently for Acme Corp",
    "export-missing-rows": "Data export is missing rows — 3 customers reported this week",
    "sso-login-loop": "SSO login loop affecting all Enterprise customers",
    "audit-log-churn": "Customer threatening to churn over missing audit log feature",
    "support-webhook-signature": "Webhook signature verification failing",
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_golden_briefs(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, err = run(capsys, "brief", EXAMPLES[name], "--date", "2026-11-27", "--reported-by", "Support L1")
    assert code == 0, err
    path = GOLDEN / f"{name}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")
    assert "[" + "Your name" not in out and "{{" not in out and "TODO" not in out


EXPECTED = {
    "api-500-acme": (True, "High", "Engineering", "P2"),
    "export-missing-rows": (True, "Critical", "Engineering", "P1"),
    "sso-login-loop": (True, "Critical", "Engineering", "P1"),
    "audit-log-churn": (True, "High", "Leadership", "P2"),
    "support-webhook-signature": (False, None, None, "P3"),
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_json_contract_and_decisions(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, _ = run(capsys, "brief", EXAMPLES[name], "--date", "2026-11-27", "--format", "json")
    assert code == 0
    data = json.loads(out)
    for key in (
        "escalate",
        "severity",
        "target_team",
        "priority",
        "summary",
        "impact",
        "rules_fired",
        "follow_up",
        "needed",
        "model",
        "markdown",
    ):
        assert key in data
    assert (data["escalate"], data["severity"], data["target_team"], data["priority"]) == EXPECTED[name]
    assert data["model"] == "offline"
    assert data["usage"]["cost_usd"] == 0.0
    for rule in data["rules_fired"]:
        assert rule["id"] and rule["reason"]
        for ev in rule["evidence"]:
            assert set(ev) == {"source", "id", "url", "quote"}


def test_distinct_briefs_for_the_four_seed_examples(capsys: pytest.CaptureFixture[str]) -> None:
    summaries = set()
    for name in ("api-500-acme", "export-missing-rows", "sso-login-loop", "audit-log-churn"):
        _, out, _ = run(capsys, "brief", EXAMPLES[name], "--date", "2026-11-27", "--format", "json")
        data = json.loads(out)
        summaries.add(tuple(sorted(data["extraction"]["ticket_ids"])))
        assert data["extraction"]["ticket_ids"], name
    assert len(summaries) == 4


def test_arr_in_brief_is_summed_from_the_crm(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "brief", EXAMPLES["export-missing-rows"], "--date", "2026-11-27", "--format", "json")
    impact = json.loads(out)["impact"]
    assert impact["customer_count"] == 3
    assert impact["arr_at_risk"] > 0 and "$" in impact["revenue_at_risk"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["brief", ""], "request is empty"),
        (["brief", "x", "--format", "xml"], "--format"),
        (["brief", "x", "--ticket", "999999"], "not found"),
        (["brief", "x", "--workspace", "/no/such/file"], "workspace"),
        (["brief", "x", "--model", "gpt-9"], "unknown model"),
        (["brief", "x", "--date", "yesterday"], "--date"),
        (["brief", "x", "--policy", "/no/policy.toml"], "policy"),
        (["brief", "--no-such-flag"], "No such option"),
        (["brief", "x", "--model", "anthropic"], "ANTHROPIC_API_KEY"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = run(capsys, *args)
    lines = [line for line in err.splitlines() if line.startswith("escalate: error:")]
    assert code == 2
    assert len(lines) == 1 and message in lines[0]
    assert "Traceback" not in err and out == ""


def test_output_file_is_written_whole(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "briefs" / "acme.md"
    code, out, _ = run(capsys, "brief", EXAMPLES["api-500-acme"], "--date", "2026-11-27", "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith("# ESCALATION:")


def test_none_workspace_builds_from_the_request_alone(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "brief",
        "Data export is missing rows — 3 customers reported this week",
        "--workspace",
        "none",
        "--date",
        "2026-11-27",
        "--format",
        "json",
    )
    data = json.loads(out)
    assert code == 0 and data["escalate"] is True
    assert data["sources"]["calls"] == []
    assert data["impact"]["customer_count"] == 3


def test_demo_without_date_runs_on_the_demo_clock(capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import UTC, datetime

    today = datetime.now(UTC).date().isoformat()
    request = EXAMPLES["api-500-acme"]
    _, implicit, _ = run(capsys, "brief", request, "--format", "json")
    _, explicit, _ = run(capsys, "brief", request, "--format", "json", "--date", today)
    a, b = json.loads(implicit), json.loads(explicit)
    assert a["date"] == b["date"] and a["date"].endswith("T12:00:00+00:00")
    assert [r["id"] for r in a["rules_fired"]] == [r["id"] for r in b["rules_fired"]]


def test_json_flag_prints_the_same_contract_as_format_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("brief", EXAMPLES["export-missing-rows"], "--date", "2026-11-27")
    _, by_format, _ = run(capsys, *args, "--format", "json")
    code, by_flag, _ = run(capsys, *args, "--json")
    assert code == 0
    assert json.loads(by_flag) == json.loads(by_format)
