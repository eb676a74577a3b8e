"""Pattern detection over the ledger: a new brief for an issue closed as fixed before fires the
seed's "recurring issue that was supposedly fixed" rule, citing that escalation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.act.helpers import cli, cli_json

REQUEST = "Webhook deliveries are delayed by hours for Pied Piper and Globex since this morning"


def brief_json(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    code, out, err = cli(
        capsys, "brief", REQUEST, "--workspace", "none", "--date", "2026-12-03", "--format", "json", *extra
    )
    assert code == 0, err
    return dict(json.loads(out))


def regression_rule(brief: dict[str, object]) -> dict[str, object] | None:
    fired = brief["rules_fired"]
    assert isinstance(fired, list)
    return next((r for r in fired if r["id"] == "PAT-REGRESSION"), None)


def test_an_issue_closed_as_fixed_that_comes_back_fires_the_recurring_rule(
    capsys: pytest.CaptureFixture[str], ledger_file: Path
) -> None:
    first = brief_json(capsys, "--record")
    assert regression_rule(first) is None
    esc = str(first["escalation_id"])
    cli_json(capsys, "ledger", "close", esc, "--learnings", "Queue autoscaling was capped", "--fixed",
             "--now", "2026-12-03T18:00:00Z")  # fmt: skip
    again = brief_json(capsys)
    rule = regression_rule(again)
    assert rule is not None, again["rules_fired"]
    assert "supposedly fixed" in str(rule["reason"]) and esc in str(rule["reason"])
    assert [e["id"] for e in rule["evidence"]] == [esc]  # type: ignore[index]
    assert [e["source"] for e in rule["evidence"]] == ["ledger"]  # type: ignore[index]


def test_without_a_ledger_nothing_is_recalled(capsys: pytest.CaptureFixture[str], ledger_file: Path) -> None:
    assert not ledger_file.exists()
    assert regression_rule(brief_json(capsys)) is None
    assert not ledger_file.exists()
