"""The kill-and-resume guarantee, with a real process: `python -m agent triage` is killed with
SIGKILL in the middle of a queue, then run again. Every ticket is reported exactly once, and no
ticket finished before the kill is triaged again (the state's attempt counts prove it)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.generate_tickets import write_queue

ROOT = Path(__file__).resolve().parents[2]
COUNT = 2000


def _snapshot(state: Path) -> dict[str, tuple[str, int, str]]:
    """key -> (status, attempts, ticket id), read without disturbing the writer."""
    if not state.exists():
        return {}
    try:
        db = sqlite3.connect(f"file:{state}?mode=ro", uri=True, timeout=1)
        try:
            rows = db.execute("SELECT key, status, attempts, ticket_id FROM items").fetchall()
        finally:
            db.close()
    except sqlite3.OperationalError:
        return {}  # the first run has not created the schema yet
    return {k: (s, a, t) for k, s, a, t in rows}


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_run_then_rerun_finishes_without_redoing_or_losing_tickets(tmp_path: Path) -> None:
    tickets = write_queue(tmp_path / "queue", COUNT, seed=11, accounts=300)
    report, state = tmp_path / "out" / "report.json", tmp_path / "out" / "report.triage.sqlite"
    command = [
        sys.executable,
        "-m",
        "agent",
        "triage",
        "--input",
        str(tickets),
        "--workspace",
        "none",
        "--model",
        "offline",
        "--date",
        "2026-11-27",
        "--report",
        str(report),
        "--no-progress",
        "--top",
        "0",
    ]
    env = {k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"}

    first = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    done_before = 0
    while time.monotonic() < deadline and first.poll() is None:
        done_before = sum(1 for s, _, _ in _snapshot(state).values() if s == "done")
        if done_before >= 200:
            break
        time.sleep(0.01)
    assert first.poll() is None, "the first run ended before it could be killed: make the queue longer"
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert first.returncode == -signal.SIGKILL

    killed = _snapshot(state)
    finished = {k for k, (s, _, _) in killed.items() if s == "done"}
    assert 200 <= len(finished) < COUNT, "the kill must land mid-queue"
    assert not report.exists()
    assert {a for k, (_, a, _) in killed.items() if k in finished} == {1}

    second = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr

    data = json.loads(report.read_text())
    ids = [t["id"] for t in data["tickets"]]
    assert len(ids) == len(set(ids)) == COUNT
    assert data["failed"] == []
    after = _snapshot(state)
    assert len(after) == COUNT and all(s == "done" for s, _, _ in after.values())
    assert all(after[k][1] == 1 for k in finished), "a ticket finished before the kill was triaged again"
    # Only the ticket in flight at the kill may have needed a second attempt.
    assert sum(1 for _, a, _ in after.values() if a == 2) <= 1
    assert all(a in (1, 2) for _, a, _ in after.values())
    assert data["run"]["already_done"] == len(finished)
    assert data["run"]["triaged_now"] == COUNT - len(finished)
