"""Offline reader figures: time to read 1 MB of text (target < 2 s), long tokens and long lines, a
1 MB comment inside a ticket, and the whole-process time of one offline brief as a ratio to the import
floor (python + pydantic + jinja2 + typer imported alone, measured in the same run, paired).

Run: python -m benchmarks.bench_reader [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from agent.models.offline.extractor import extract_offline
from connectors.records import Comment, Ticket

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
FLOOR = "import pydantic, jinja2, typer"
BRIEF = (
    "from agent.cli import main; main(['brief', 'Data export is missing rows for 3 customers', '--date', '2026-11-27'])"
)


def _prose(size: int) -> str:
    """`size` characters of support prose: the request texts of the regression sets, repeated."""
    import yaml

    texts: list[str] = []
    for folder in sorted((ROOT / "evals").glob("holdout*")):
        texts += [str(c["input"]["request"]) for c in yaml.safe_load((folder / "cases.yaml").read_text())["cases"]]
    corpus = "\n\n".join(texts)
    return (corpus * (size // len(corpus) + 1))[:size]


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def reading(runs: int) -> dict[str, float]:
    """Median seconds per input shape, read by the offline extractor alone."""

    megabyte = _prose(1_000_000)
    ticket = Ticket(source="bench", source_id="1", subject="Export is missing rows", status="open", created_at=NOW)
    comment = Comment(
        source="bench",
        source_id="1-1",
        ticket_id="1",
        author="a",
        author_role="customer",
        body=megabyte,
        created_at=NOW,
    )
    shapes: dict[str, Callable[[], object]] = {
        "1 MB of prose in the request": lambda: extract_offline({"request": megabyte}, [], NOW),
        "1 MB comment on a ticket": lambda: extract_offline(
            {"request": "Export is missing rows", "ticket_id": "1"}, [ticket, comment], NOW
        ),
        "one 100k-character token": lambda: extract_offline({"request": "x" * 100_000}, [], NOW),
        "one 1 MB line without full stops": lambda: extract_offline({"request": "word " * 200_000}, [], NOW),
    }
    return {name: statistics.median(_timed(run) for _ in range(runs)) for name, run in shapes.items()}


def process_ratio(runs: int) -> tuple[float, float]:
    """Median seconds of the import floor and of one offline brief, each as its own process, paired."""
    env = {k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"}

    def run(code: str) -> float:
        return _timed(
            lambda: subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True)
        )

    floor, brief = [], []
    for _ in range(runs):
        floor.append(run(FLOOR))
        brief.append(run(BRIEF))
    return statistics.median(floor), statistics.median(brief)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for name, seconds in reading(args.runs).items():
        print(f"{name}: {seconds:.2f} s")
    floor, brief = process_ratio(max(args.runs, 5))
    print(f"import floor {floor * 1000:.0f} ms, offline brief {brief * 1000:.0f} ms: {brief / floor:.2f}x")


if __name__ == "__main__":
    main()
