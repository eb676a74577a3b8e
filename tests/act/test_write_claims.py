"""Writes are claimed before they are made: concurrent runs of one action write once, and a run that
died between its claim and its record is resolved by the vendor search on the next run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agent.act.claims import Done, WriteClaims
from tests.act.test_actions import BRIEF
from tests.fakes.vendors import ENV, FAKES
from tests.fakes.vendors.server import serve

ROOT = Path(__file__).resolve().parents[2]
JIRA = 'email = "bot@acme.example"\nproject_key = "ENG"\nweb_url = "https://acme.atlassian.net"\n'


def test_the_first_claim_wins_and_later_claims_see_its_record(tmp_path: Path) -> None:
    first, second = WriteClaims(tmp_path / "c.sqlite"), WriteClaims(tmp_path / "c.sqlite", wait_seconds=0)
    assert first.claim("jira issue", "ENG", "k1") is None
    with pytest.raises(Exception, match="another run is still writing"):
        second.claim("jira issue", "ENG", "k1")
    first.record("jira issue", "ENG", "k1", Done("ENG-7", "https://x/browse/ENG-7", {"id": "20007"}))
    assert second.claim("jira issue", "ENG", "k1") == Done("ENG-7", "https://x/browse/ENG-7", {"id": "20007"})
    assert second.created_ids("jira issue", "ENG") == ["20007"]
    first.close()
    second.close()


def test_a_claim_left_by_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    dead = subprocess.run([sys.executable, "-c", "print(0)"], check=True, capture_output=True)
    assert dead.returncode == 0
    claims = WriteClaims(path)
    claims._db.execute(
        "INSERT INTO write_claims (action, target, key, status, owner_pid, owner, claimed_at) "
        "VALUES ('slack message', 'C1', 'k', 'claimed', 999999999, 'gone', 0)"
    )
    assert WriteClaims(path, wait_seconds=0).claim("slack message", "C1", "k") is None
    claims.close()


def test_three_concurrent_runs_of_one_action_write_once(tmp_path: Path) -> None:
    fake = FAKES["jira"](delay=0.4)
    with serve(fake) as root:
        (tmp_path / "escalation.toml").write_text(
            f'[tracker]\nbackend = "jira"\nbase_url = "{root}/rest/api/3"\n{JIRA}', encoding="utf-8"
        )
        (tmp_path / "brief.json").write_text(json.dumps(BRIEF), encoding="utf-8")
        env = {**os.environ, **ENV, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "agent", "act", "file-issue", "--brief-json", "brief.json", "--yes"]
        runs = [
            subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)
        ]
        outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    assert len(fake.created) == 1
    said = sorted(out.split(":")[0] for out, _ in outputs)
    assert said == ["already done, nothing sent", "already done, nothing sent", "created jira issue"]
