"""Model calls, tokens and estimated cost per brief on the live path, for the seed's four examples,
with a scripted model that calls the tools as Claude would (`evals.claude_like.ClaudeLike`) over
the demo workspace. No network is used.

Tokens are an estimate: characters / 4 of the exact request bodies `AnthropicModel` sends, prompt
caching simulated at the real breakpoints; the extraction is the offline extractor's output written
out in full (a strict schema has every field required), a realistic stand-in for what Claude fills.
Two runs: `cold` gives every brief a fresh cache (the first brief of a session), `warm` shares one
cache across the four (briefs within the cache lifetime share the tools and system prompt).
Over a brief, cache reads should be at least the cache writes: the second call reads what the first
wrote.

Run: python -m benchmarks.claude_usage [--model MODEL_ID]
"""

from __future__ import annotations

import argparse
from typing import Any

from agent.brief import BriefRequest
from agent.clock import parse_now
from agent.decide.policy import load_policy
from agent.extract.schema import Extraction
from agent.models.anthropic_wire import DEFAULT_MODEL
from agent.models.base import ModelRequest, Usage
from agent.models.offline.extractor import extract_offline
from agent.models.pricing import cost_of
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


def measure(model_id: str, shared_cache: bool) -> list[tuple[str, Usage, bool]]:
    """(request, usage, fell back) per example."""
    now, policy = parse_now("2026-11-27"), load_policy()
    shared = ClaudeLike(extraction=realistic_extraction, model_id=model_id)
    rows = []
    for text in EXAMPLES:
        model = shared if shared_cache else ClaudeLike(extraction=realistic_extraction, model_id=model_id)
        workspace = demo_workspace(now.date())
        try:
            result = run_brief(BriefRequest(text=text, now=now), workspace, model, policy)
        finally:
            workspace.close()
        rows.append((text, result.usage, result.extraction_fallback))
    return rows


def table(model_id: str, shared_cache: bool) -> list[str]:
    """The markdown table of one run."""
    caps = ClaudeLike(model_id=model_id).capabilities
    lines = [
        f"{'warm' if shared_cache else 'cold'} cache, {model_id}:",
        "",
        "| request | model calls | input | cache write | cache read | output | est. cost (USD) | read >= write |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for text, u, fell_back in measure(model_id, shared_cache):
        cost = cost_of(caps, u)
        shown = "unknown" if cost is None else f"{cost:.3f}"
        note = " (fell back)" if fell_back else ""
        lines.append(
            f"| {text[:45]}{note} | {u.calls} | {u.input_tokens:,} | {u.cache_write_tokens:,} | "
            f"{u.cache_read_tokens:,} | {u.output_tokens:,} | {shown} | "
            f"{'yes' if u.cache_read_tokens >= u.cache_write_tokens else 'no'} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"Claude model id to price (default {DEFAULT_MODEL})")
    args = parser.parse_args()
    for shared_cache in (False, True):
        print("\n".join(table(args.model, shared_cache)), end="\n\n")


if __name__ == "__main__":
    main()
