"""Several processes on one ledger: eight recording at once, and one killed mid-write."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from agent.act.ledger import Ledger, ledger_list
from tests.act.helpers import brief

ROOT = Path(__file__).resolve().parents[2]
WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from agent.act.ledger import ledger_record
    from tests.act.helpers import brief

    index, path, go = int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    while not go.exists():
        time.sleep(0.005)
    own = brief(f"Webhook deliveries time out for tenant {index}", [str(2000 + index)])
    print(ledger_record(own, path)["escalation_id"])
    ledger_record(own, path)
    ledger_record(brief("Login page shows a blank screen", ["1999"]), path)
    """
)
STALLED = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import agent.act.ledger.record as record
    from agent.act.ledger import ledger_record
    from tests.act.helpers import brief

    path, inside = Path(sys.argv[1]), Path(sys.argv[2])
    real = record.set_obligations

    def stall(*args, **kwargs):
        due = real(*args, **kwargs)
        inside.write_text("in the transaction")
        time.sleep(60)
        return due

    record.set_obligations = stall
    ledger_record(brief("Killed while writing", ["3000"]), path)
    """
)


def python(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    while not path.exists():
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)


def test_eight_processes_record_at_once(tmp_path: Path) -> None:
    path, go = tmp_path / "ledger.sqlite", tmp_path / "go"
    writers = [python("-c", WRITER, str(i), str(path), str(go)) for i in range(8)]
    go.write_text("go")
    ids = []
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        ids.append(out.strip())
    assert len(set(ids)) == 8
    listed = ledger_list(path=path)
    summaries = [e["summary"] for e in listed]
    assert len(listed) == 9 and len(set(summaries)) == 9, "eight of their own and the shared one, once"
    assert {e["id"] for e in listed} == {f"ESC-{n:04d}" for n in range(1, 10)}
    with Ledger(path) as ledger:
        shared = next(e["id"] for e in listed if e["summary"] == "Login page shows a blank screen")
        kinds = [r[0] for r in ledger.conn.execute(
            "SELECT kind FROM events WHERE escalation_id = ? ORDER BY id", (int(shared[4:]),))]  # fmt: skip
        assert kinds == ["recorded"] + ["re-recorded"] * 7
        assert ledger.conn.execute("SELECT count(*) FROM obligations").fetchone()[0] == 18


def test_a_process_killed_mid_write_leaves_the_ledger_consistent(tmp_path: Path) -> None:
    path, inside = tmp_path / "ledger.sqlite", tmp_path / "inside"
    from agent.act.ledger import ledger_record

    ledger_record(brief("Recorded before the crash", ["2999"]), path)
    victim = python("-c", STALLED, str(path), str(inside))
    wait_for(inside, victim)
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=30)
    assert victim.returncode == -signal.SIGKILL

    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert connection.execute("SELECT count(*) FROM escalations").fetchone() == (1,)
    assert connection.execute("SELECT count(*) FROM obligations").fetchone() == (2,)
    connection.close()

    env = {**os.environ, "PYTHONPATH": str(ROOT), "ESCALATE_LEDGER": str(path)}
    after = subprocess.run([sys.executable, "-m", "agent", "ledger", "list", "--json"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert after.returncode == 0, after.stderr
    assert [e["summary"] for e in json.loads(after.stdout)] == ["Recorded before the crash"]
    assert ledger_record(brief("Killed while writing", ["3000"]), path)["escalation_id"] == "ESC-0002"


@pytest.mark.parametrize("statement", ["UPDATE events SET kind = 'x'", "DELETE FROM events"])
def test_the_history_is_append_only(tmp_path: Path, statement: str) -> None:
    from agent.act.ledger import ledger_record

    path = tmp_path / "ledger.sqlite"
    ledger_record(brief("Something", ["1"]), path)
    with Ledger(path) as ledger, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        ledger.conn.execute(statement)
