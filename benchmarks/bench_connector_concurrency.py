"""How long one gather turn of five tool calls takes when every connector is a real HTTP adapter
whose vendor answers each request after a fixed delay (vendor-shaped fakes, no network).

    python -m benchmarks.bench_connector_concurrency [--delay 0.2] [--rounds 3]

Prints the concurrent time (`ConnectorTools.run_all`, as the agent loop calls it), the time of
the same calls one after another, and the number of HTTP requests made.
"""

from __future__ import annotations

import argparse
import statistics
import time

from agent.gather.tools import ConnectorTools
from tests.fakes.vendors import GATHER_CALLS, NOW, vendor_workspace_with_fakes


def measure(delay: float, concurrent: bool) -> tuple[float, int]:
    """Seconds for the five calls on a fresh workspace, and the HTTP requests they made."""
    workspace, fakes = vendor_workspace_with_fakes(delay=delay)
    tools = ConnectorTools(workspace, NOW)
    started = time.perf_counter()
    results = tools.run_all(GATHER_CALLS) if concurrent else [tools.run(call) for call in GATHER_CALLS]
    elapsed = time.perf_counter() - started
    workspace.close()
    failed = [r.content for r in results if r.is_error]
    if failed:
        raise SystemExit(f"a call failed: {failed[0]}")
    return elapsed, sum(len(fake.requests) for fake in fakes.values())


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=0.2, help="seconds each fake takes per request")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    concurrent = [measure(args.delay, True) for _ in range(args.rounds)]
    serial = [measure(args.delay, False) for _ in range(args.rounds)]
    requests = concurrent[0][1]
    best = min(t for t, _ in concurrent)
    median = statistics.median(t for t, _ in concurrent)
    serial_median = statistics.median(t for t, _ in serial)
    print(f"5 tool calls, {requests} HTTP requests, {args.delay * 1000:.0f} ms per request")
    print(f"concurrent (run_all): median {median:.3f} s, best {best:.3f} s over {args.rounds} rounds")
    print(f"one after another:    median {serial_median:.3f} s")
    print(f"speed-up: {serial_median / median:.1f}x; 5 x {args.delay:.1f} s serial = {5 * args.delay:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
