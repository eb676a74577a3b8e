"""Estimated USD cost of model usage, from list prices per million tokens (MTok).

Prices are Anthropic's published list prices as of October 2026 (platform.claude.com "Pricing" and
the model pages): base input, output, 5-minute cache write (1.25x input; we only write 5-minute
caches) and cache read. They change; the estimate ignores batch discounts, data-residency
surcharges and Haiku 5.5's higher rate for prompts over 100k tokens. A Claude id missing from the
table is priced like the default model (`DEFAULT_MODEL`), which is the documented assumption.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.models.anthropic_wire import DEFAULT_MODEL
from agent.models.base import Usage


@dataclass(frozen=True)
class Price:
    """USD per million tokens."""

    input: float
    output: float
    cache_write: float
    cache_read: float


PRICES: dict[str, Price] = {
    "claude-fable-5-1": Price(10.0, 50.0, 12.5, 0.25),
    "claude-mythos-5-1": Price(10.0, 50.0, 12.5, 0.25),
    "claude-fable-5": Price(10.0, 50.0, 12.5, 1.0),
    "claude-mythos-5": Price(10.0, 50.0, 12.5, 1.0),
    "claude-opus-5-5": Price(4.0, 20.0, 5.0, 0.20),
    "claude-opus-5": Price(5.0, 25.0, 6.25, 0.50),
    "claude-opus-4-8": Price(5.0, 25.0, 6.25, 0.50),
    "claude-opus-4-7": Price(5.0, 25.0, 6.25, 0.50),
    "claude-opus-4-6": Price(5.0, 25.0, 6.25, 0.50),
    "claude-opus-4-5": Price(5.0, 25.0, 6.25, 0.50),
    "claude-opus-4-1": Price(15.0, 75.0, 18.75, 1.50),
    "claude-opus-4": Price(15.0, 75.0, 18.75, 1.50),
    "claude-sonnet-5-5": Price(2.0, 10.0, 2.5, 0.10),
    "claude-sonnet-5": Price(2.0, 10.0, 2.5, 0.20),
    "claude-sonnet-4-6": Price(3.0, 15.0, 3.75, 0.30),
    "claude-sonnet-4-5": Price(3.0, 15.0, 3.75, 0.30),
    "claude-sonnet-4": Price(3.0, 15.0, 3.75, 0.30),
    "claude-haiku-5-5": Price(0.10, 0.50, 0.125, 0.01),
    "claude-haiku-4-5": Price(1.0, 5.0, 1.25, 0.10),
    "claude-3-5-haiku": Price(0.80, 4.0, 1.0, 0.08),
}
DEFAULT_PRICE = PRICES[DEFAULT_MODEL]


def price_for(model_name: str) -> Price | None:
    """The price of a Claude model (`anthropic:<id>` or a bare id, dated snapshots included);
    None for models that are not billed per token."""
    model_id = model_name.removeprefix("anthropic:").strip()
    if not model_id.startswith("claude-"):
        return None
    matches = [k for k in PRICES if model_id == k or (model_id.startswith(k) and model_id[len(k)] in "-@[")]
    return PRICES[max(matches, key=len)] if matches else DEFAULT_PRICE


def estimate_cost(usage: Usage, model_name: str) -> float | None:
    """Estimated USD for `usage` on `model_name`: 0.0 for the offline model, None when unknown
    (e.g. a scripted test model)."""
    if model_name == "offline" or model_name.startswith("offline:"):
        return 0.0
    price = price_for(model_name)
    if price is None:
        return None
    dollars = (
        usage.input_tokens * price.input
        + usage.output_tokens * price.output
        + usage.cache_write_tokens * price.cache_write
        + usage.cache_read_tokens * price.cache_read
    ) / 1_000_000
    return round(dollars, 6)
