"""Ledger figure: whole-process wall time of `escalate followups` over a ledger of 10,000
escalations (target < 0.5 s), as a table, as `--json` and with `--within 4h`.

Run: python benchmarks/bench_ledger.py [--escalations N] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from agent.act.ledger import Ledger, Observed, record_brief
from agent.act.ledger.lifecycle import close, deescalate
from agent.decide.policy import SEVERITIES, load_policy

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
NOW = "2026-12-03T12:00:00Z"


def brief(index: int, moment: datetime) -> dict[str, Any]:
    """A synthetic brief: a mix of severities, targets and tickets."""
    severity = SEVERITIES[index % 3]
    return {
        "escalate": True,
        "severity": severity,
        "target_team": ("Engineering", "Product", "Security", "Leadership")[index % 4],
        "priority": "P2",
        "summary": f"Issue {index}: exports fail for tenant {index % 997}",
        "date": moment.isoformat(),
        "workspace": "bench",
        "rules_fired": [{"id": "TECH-BUG", "family": "technical", "reason": "bug", "evidence": []}],
        "follow_up": {"de_escalation": []},
        "extraction": {"ticket_ids": [str(100000 + index)], "tracker_keys": [f"ENG-{index}"], "product_area": "data"},
    }


def build(path: Path, count: int) -> None:
    """`count` escalations over a month; one in ten closed, one in ten de-escalated."""
    policy = load_policy()
    with Ledger(path) as ledger:
        ledger.conn.execute("PRAGMA synchronous = OFF")  # setup only: the commands keep FULL
        for i in range(count):
            moment = START + timedelta(minutes=4 * i)
            sla = Observed(sla_due={str(100000 + i): moment + timedelta(hours=24)})
            record_brief(ledger, brief(i, moment), policy, moment, sla)
            if i % 10 == 1:
                close(ledger, i + 1, "Fixed in release", moment + timedelta(hours=1), fixed=True)
            elif i % 10 == 2:
                deescalate(ledger, i + 1, "Workaround found", moment + timedelta(hours=1))


def timed(path: Path, runs: int, *args: str) -> list[float]:
    """Seconds per `python -m agent ARGS` subprocess on the ledger at `path`."""
    env = {**os.environ, "ESCALATE_LEDGER": str(path)}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "agent", *args], cwd=ROOT, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    """Build the ledger, then time the three forms."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--escalations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.sqlite"
        began = time.perf_counter()
        build(path, args.escalations)
        print(f"built {args.escalations} escalations in {time.perf_counter() - began:.1f} s")
        with Ledger(path) as ledger:
            open_count = ledger.conn.execute("SELECT count(*) FROM obligations").fetchone()[0]
        print(f"{open_count} open obligations")
        floor = timed(path, args.runs, "ledger", "path")
        print(f"escalate ledger path (start-up, no query): median {statistics.median(floor):.3f} s")
        for label, extra in (("table", ()), ("--json", ("--json",)), ("--within 4h", ("--within", "4h"))):
            times = timed(path, args.runs, "followups", "--now", NOW, *extra)
            print(
                f"escalate followups {label}: median {statistics.median(times):.3f} s, "
                f"min {min(times):.3f} s, max {max(times):.3f} s over {args.runs} runs (target < 0.5 s)"
            )


if __name__ == "__main__":
    main()
