"""Benchmarks for `escalate triage`.

offline: triage a generated queue (default 10,000 tickets, CRM accounts in a workspace file) with
  the offline model through the real CLI in a child process; reports end-to-end tickets/s (start
  to report written: reading, triage, clustering, patterns, report and digest), the triage loop's
  own rate, and the child's peak RSS.

rate-limited: a scripted-style model that answers in `--latency` seconds and enforces `--rpm`
  requests per minute like the Messages API: a token bucket (capacity = one minute's allowance,
  refilled continuously) that answers 429 with an integer `retry-after` when empty. The bucket
  starts empty, as if the previous minute had used the whole allowance, so the figure is the
  sustained rate, not a burst. Time runs on a `ScaledClock` (`--scale` simulated seconds per real
  second), so `--minutes 3` of simulated queue takes a few real seconds. The queue holds `--rpm x
  --minutes` tickets; throughput is tickets per simulated minute from start to the last result,
  compared with the limit, and every ticket must end up done (none lost, none dead-lettered).

clusters: clustering of the generated queue against the generator's ground truth (pairwise
  precision and recall, with tracker links and on text alone).

    python -m benchmarks.bench_triage offline --count 10000
    python -m benchmarks.bench_triage rate-limited --minutes 3 --scale 30
    python -m benchmarks.bench_triage clusters --seed 11
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

from agent.decide.policy import load_policy  # noqa: E402
from agent.models.base import ModelCapabilities, ModelRequest, ModelTurn  # noqa: E402
from agent.models.offline.model import OfflineModel  # noqa: E402
from agent.triage.input import load_file  # noqa: E402
from agent.triage.limiter import Clock, Overloaded, ScaledClock  # noqa: E402
from agent.triage.runner import Runner, work_keys  # noqa: E402
from agent.triage.store import StateStore  # noqa: E402
from agent.triage.ticket import Lookup, TicketTriager  # noqa: E402
from benchmarks.generate_tickets import BASE_NOW, write_queue  # noqa: E402


def bench_offline(count: int, workdir: Path, briefs: bool = False) -> dict[str, Any]:
    """Offline triage of `count` generated tickets through `python -m agent triage`."""
    from connectors.demo import import_file, init_workspace

    queue_dir = workdir / "queue"
    tickets = write_queue(queue_dir, count)
    workspace = workdir / "crm.sqlite"
    init_workspace(workspace)
    import_file(workspace, queue_dir / "accounts.jsonl")
    report = workdir / "report.json"
    command = [
        sys.executable,
        "-m",
        "agent",
        "triage",
        "--input",
        str(tickets),
        "--workspace",
        str(workspace),
        "--model",
        "offline",
        "--date",
        BASE_NOW.date().isoformat(),
        "--report",
        str(report),
        "--digest",
        str(workdir / "digest.md"),
        "--no-progress",
        "--top",
        "0",
    ]
    if briefs:
        command += ["--out-dir", str(workdir / "briefs")]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=workdir, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"triage failed ({done.returncode}): {done.stderr[-2000:]}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # Linux reports KiB
    data = json.loads(report.read_text())
    c = data["counts"]
    return {
        "tickets": count,
        "wall_seconds": round(wall, 2),
        "tickets_per_second_end_to_end": round(count / wall, 1),
        "tickets_per_second_triage_loop": data["run"]["tickets_per_second"],
        "peak_rss_mb": round(peak_mb, 1),
        "escalate": c["escalate"],
        "clusters": c["clusters"],
        "pattern_escalations": c["pattern_escalations"],
        "failed": c["failed"],
        "briefs": briefs,
    }


class RateLimitedModel:
    """Answers in `latency` simulated seconds; over `rpm` requests per minute it answers 429.

    `window="token"`: a token bucket, as the Messages API documents its limits. `window="sliding"`:
    at most `rpm` accepted requests in any 60 s (stricter: a late retry loses its slot for good).
    Either starts full of last minute's traffic.
    """

    def __init__(self, clock: Clock, rpm: int, latency: float, window: str = "token") -> None:
        self.clock, self.rpm, self.latency, self.window = clock, rpm, latency, window
        self._inner = OfflineModel()
        self._lock = threading.Lock()
        self._tokens = 0.0  # empty: the previous minute used the whole allowance
        self._stamp = clock.now()
        # Sliding window: last minute's requests evenly spread, so slots free up one by one.
        self._recent = [self._stamp - 60 + (i + 1) * 60 / rpm for i in range(rpm)]
        self.accepted = 0
        self.refused = 0

    def _admit(self, now: float) -> float | None:
        """None when admitted, else the seconds until a request would be."""
        if self.window == "sliding":
            self._recent = [t for t in self._recent if t > now - 60]
            if len(self._recent) >= self.rpm:
                return self._recent[0] + 60 - now
            self._recent.append(now)
            return None
        self._tokens = min(float(self.rpm), self._tokens + (now - self._stamp) * self.rpm / 60)
        self._stamp = now
        if self._tokens < 1:
            return (1 - self._tokens) * 60 / self.rpm
        self._tokens -= 1
        return None

    @property
    def name(self) -> str:
        """Not `offline`, so the runner takes the model path (one request per ticket)."""
        return f"scripted:rate-limited-{self.rpm}rpm"

    @property
    def capabilities(self) -> ModelCapabilities:
        """A paid API's: not in-process, so the runner takes the model path."""
        return ModelCapabilities()

    def complete(self, request: ModelRequest) -> ModelTurn:
        """429 when over the limit; else the offline model's answer after `latency` seconds."""
        with self._lock:
            wait = self._admit(self.clock.now())
            if wait is not None:
                self.refused += 1
                raise Overloaded("rate_limit_error: 429", 429, retry_after=float(math.ceil(wait)))
            self.accepted += 1
        answer = self._inner.complete(request)
        self.clock.sleep(self.latency)
        return answer


def bench_rate_limited(
    minutes: float, scale: float, rpm: int, latency: float, concurrency: int, workdir: Path, window: str = "token"
) -> dict[str, Any]:
    """Sustained throughput against a 429-enforcing fake, in tickets per simulated minute."""
    count = int(rpm * minutes)
    queue = load_file(write_queue(workdir / "queue", count, seed=5))
    clock = ScaledClock(scale)
    model = RateLimitedModel(clock, rpm, latency, window)
    triager = TicketTriager(Lookup(None), load_policy(), model, BASE_NOW)
    store = StateStore(workdir / "rate.sqlite")
    runner = Runner(store, triager, concurrency=concurrency, max_attempts=3, clock=clock)
    started = clock.now()
    stats = runner.run(queue.items)
    elapsed = clock.now() - started
    keys = work_keys(queue.items, triager)
    states = store.states(k.key for k in keys.values())
    done = sum(1 for s in states.values() if s.status == "done")
    per_minute = done * 60 / elapsed
    return {
        "tickets": count,
        "simulated_minutes": round(elapsed / 60, 2),
        "real_seconds": round(elapsed / scale, 2),
        "limit_rpm": rpm,
        "limiter": window,
        "throughput_per_minute": round(per_minute, 1),
        "share_of_limit": round(per_minute / rpm, 3),
        "done": done,
        "lost": count - done,
        "dead_lettered": stats.dead,
        "answers_429": model.refused,
        "concurrency_decreases": stats.limiter.decreases,
    }


def bench_clusters(count: int, workdir: Path, seed: int = 7) -> dict[str, Any]:
    """Clustering quality against the generator's ground truth (pairwise precision and recall), with
    the tracker links and on text alone, and its time."""
    from collections import Counter
    from dataclasses import replace

    from agent.triage.cluster import cluster_items

    tickets = write_queue(workdir / "queue", count, seed=seed)
    truth: dict[str, str] = json.loads((workdir / "queue" / "truth.json").read_text())
    items = load_file(tickets).items
    text_only = [replace(i, ticket=i.ticket.model_copy(update={"tracker_keys": ()})) for i in items]
    out: dict[str, Any] = {"tickets": count, "seed": seed, "issues_in_truth": len(set(truth.values()))}
    for name, queue in (("with_links", items), ("text_only", text_only)):
        started = time.perf_counter()
        groups = cluster_items(queue)
        seconds = time.perf_counter() - started
        cells = Counter((g, truth[queue[i].id]) for g, group in enumerate(groups) for i in group)
        sizes = Counter(truth.values())
        pairs = sum(len(g) * (len(g) - 1) // 2 for g in groups)
        true_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
        hits = sum(n * (n - 1) // 2 for n in cells.values())
        majority: dict[int, int] = {}
        for (g, _), n in cells.items():
            majority[g] = max(majority.get(g, 0), n)
        out[name] = {
            "seconds": round(seconds, 2),
            "clusters": len(groups),
            "pair_precision": round(hits / max(pairs, 1), 3),
            "pair_recall": round(hits / max(true_pairs, 1), 3),
            "purity": round(sum(majority.values()) / len(queue), 3),  # tickets in their cluster's main issue
        }
    return out


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("which", choices=("offline", "rate-limited", "clusters", "all"), nargs="?", default="all")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--briefs", action="store_true", help="offline: also write a brief per escalation")
    parser.add_argument("--minutes", type=float, default=3.0, help="rate-limited: simulated minutes of queue")
    parser.add_argument("--scale", type=float, default=30.0, help="rate-limited: simulated seconds per real second")
    parser.add_argument("--rpm", type=int, default=50)
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7, help="clusters: the generator's seed")
    parser.add_argument("--window", choices=("token", "sliding"), default="token", help="rate-limited: limiter kind")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-triage-") as tmp:
        if args.which in ("offline", "all"):
            results["offline"] = bench_offline(args.count, Path(tmp) / "offline", args.briefs)
        if args.which in ("rate-limited", "all"):
            results["rate_limited"] = bench_rate_limited(
                args.minutes, args.scale, args.rpm, args.latency, args.concurrency, Path(tmp) / "rate", args.window
            )
        if args.which in ("clusters", "all"):
            results["clusters"] = bench_clusters(args.count, Path(tmp) / "clusters", args.seed)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
