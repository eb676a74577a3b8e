"""Issue 3 figures: model calls and tokens per brief for the seed's four examples, with a scripted
model that calls the tools as Claude would (`evals.claude_like.ClaudeLike`) over the demo workspace.

Tokens are an estimate (characters / 4 of the exact request bodies, caching simulated at the real
cache breakpoints); the extraction's size is that of the offline extractor's output, a realistic
stand-in for what Claude fills. No network is used.

Run: python -m benchmarks.claude_usage
"""

from __future__ import annotations

from typing import Any

from agent.brief import BriefRequest
from agent.clock import parse_now
from agent.decide.policy import load_policy
from agent.extract.schema import Extraction
from agent.models.base import ModelRequest
from agent.models.offline.extractor import extract_offline
from agent.models.pricing import estimate_cost
from agent.service import run_brief
from connectors.demo import demo_workspace
from connectors.records import RECORDS_ADAPTER
from evals.claude_like import ClaudeLike, request_data

EXAMPLES = (
    "API returning 500 errors intermittently for Acme Corp",
    "Data export is missing rows — 3 customers reported this week",
    "SSO login loop affecting all Enterprise customers",
    "Customer threatening to churn over missing audit log feature",
)


def realistic_extraction(request: ModelRequest, records: list[dict[str, Any]]) -> Extraction:
    """An extraction of the size Claude would return: the offline extractor's, over the same records."""
    data = request_data(request)
    return extract_offline(data, RECORDS_ADAPTER.validate_python(records), parse_now(data["today"][:10]))


def main() -> None:
    now, policy = parse_now("2026-11-27"), load_policy()
    print("| request | model calls | input | cache write | cache read | output | est. cost (USD) |")
    print("|---|---|---|---|---|---|---|")
    for text in EXAMPLES:
        model = ClaudeLike(extraction=realistic_extraction)
        workspace = demo_workspace(now.date())
        result = run_brief(BriefRequest(text=text, now=now), workspace, model, policy)
        workspace.close()
        u = result.usage
        cost = estimate_cost(u, f"anthropic:{model.model_id}")
        print(
            f"| {text[:45]} | {u.calls} | {u.input_tokens:,} | {u.cache_write_tokens:,} | {u.cache_read_tokens:,} | "
            f"{u.output_tokens:,} | {cost:.3f} |"
            if cost is not None
            else "| n/a |"
        )


if __name__ == "__main__":
    main()
