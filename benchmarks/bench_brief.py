"""Speed of one brief: whole-process wall time of one offline `escalate brief` on the demo workspace
(target < 1 s, with the anthropic SDK never imported) and in-process time per brief (target < 50 ms).

Run: python -m benchmarks.bench_brief [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from agent.clock import parse_now
from agent.decide.policy import load_policy
from agent.models.offline.model import OfflineModel
from agent.service import BriefService
from connectors.demo import demo_workspace

REQUESTS = (
    "API returning 500 errors intermittently for Acme Corp",
    "Data export is missing rows — 3 customers reported this week",
    "SSO login loop affecting all Enterprise customers",
    "Customer threatening to churn over missing audit log feature",
)
ROOT = Path(__file__).resolve().parent.parent


def whole_process(runs: int) -> list[float]:
    """Seconds per `python -m agent brief ...` subprocess, offline, demo workspace."""
    env = {k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"}
    times = []
    for i in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "agent", "brief", REQUESTS[i % len(REQUESTS)], "--date", "2026-11-27"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    return times


def anthropic_imported() -> bool:
    """Whether an offline brief imports the anthropic SDK (it must not)."""
    code = (
        "import sys; from agent.cli import main; main(['brief', 'x y z', '--workspace', 'none']);"
        "print('anthropic' in sys.modules, file=sys.stderr)"
    )
    env = {k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return done.stderr.strip().endswith("True")


def in_process(runs: int, rebuild_workspace: bool) -> list[float]:
    """Seconds per brief (gather, extract, decide, render) in one warm process; with
    `rebuild_workspace` the demo SQLite workspace is built again for every brief."""
    now = parse_now("2026-11-27")
    service = BriefService(model=OfflineModel(), policy=load_policy())
    shared = demo_workspace(now.date())
    times = []
    for i in range(runs + 2):
        start = time.perf_counter()
        workspace = demo_workspace(now.date()) if rebuild_workspace else shared
        service.brief(REQUESTS[i % len(REQUESTS)], date=now, workspace=workspace)
        if rebuild_workspace:
            workspace.close()
        if i >= 2:  # the first two warm caches and imports
            times.append(time.perf_counter() - start)
    shared.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=12)
    args = parser.parse_args()
    proc = whole_process(args.runs)
    warm = in_process(args.runs * 4, rebuild_workspace=False)
    cold = in_process(args.runs * 4, rebuild_workspace=True)
    print(
        f"whole process (offline, demo): median {statistics.median(proc) * 1000:.0f} ms, max {max(proc) * 1000:.0f} ms over {len(proc)} runs"
    )
    for label, times in (("workspace built once", warm), ("workspace rebuilt per brief", cold)):
        print(
            f"in process per brief, {label}: median {statistics.median(times) * 1000:.1f} ms, "
            f"p90 {statistics.quantiles(times, n=10)[-1] * 1000:.1f} ms over {len(times)} briefs"
        )
    print(f"anthropic SDK imported on the offline path: {anthropic_imported()}")


if __name__ == "__main__":
    main()
