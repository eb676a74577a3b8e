"""Estimated USD cost of model usage, from list prices per million tokens (MTok).

Prices are Anthropic's published list prices as checked on 2026-12-03:
https://platform.claude.com/docs/en/about-claude/pricing ("Model pricing": base input, 5-minute
and 1-hour cache writes, cache hits, output) and the model pages under
https://platform.claude.com/docs/en/about-claude/models (current ids: Fable/Mythos 5.2 and 5.1,
Opus 5.5, Sonnet 5.5, Haiku 5.5, and the legacy models still served). Cache reads are not always
0.1x input (Fable/Mythos 5.1 0.025x, Opus 5.5 and Sonnet 5.5 0.05x, Haiku 5.5 0.1x). The Message
Batches API bills 50% of these. The estimate ignores data-residency surcharges and Haiku 5.5's
higher rate for prompts over 100k tokens. A model id missing from the table has no estimate (None,
shown as unknown), never another model's price.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.models.base import Model, ModelCapabilities, Usage

BATCH_DISCOUNT = 0.5


@dataclass(frozen=True)
class Price:
    """USD per million tokens."""

    input: float
    output: float
    cache_write: float
    """5-minute cache write (1.25x input)."""
    cache_read: float
    cache_write_1h: float = 0.0
    """1-hour cache write (2x input), used by the Message Batches path."""


def _p(inp: float, out: float, read: float) -> Price:
    return Price(inp, out, round(inp * 1.25, 4), read, inp * 2)


PRICES: dict[str, Price] = {
    "claude-fable-5-2": _p(8.0, 40.0, 0.20),
    "claude-mythos-5-2": _p(8.0, 40.0, 0.20),
    "claude-fable-5-1": _p(10.0, 50.0, 0.25),
    "claude-mythos-5-1": _p(10.0, 50.0, 0.25),
    "claude-fable-5": _p(10.0, 50.0, 1.0),
    "claude-mythos-5": _p(10.0, 50.0, 1.0),
    "claude-opus-5-5": _p(4.0, 20.0, 0.20),
    "claude-opus-5": _p(5.0, 25.0, 0.50),
    "claude-opus-4-8": _p(5.0, 25.0, 0.50),
    "claude-opus-4-7": _p(5.0, 25.0, 0.50),
    "claude-opus-4-6": _p(5.0, 25.0, 0.50),
    "claude-opus-4-5": _p(5.0, 25.0, 0.50),
    "claude-opus-4-1": _p(15.0, 75.0, 1.50),
    "claude-opus-4": _p(15.0, 75.0, 1.50),
    "claude-sonnet-5-5": _p(2.0, 10.0, 0.10),
    "claude-sonnet-5": _p(2.0, 10.0, 0.20),
    "claude-sonnet-4-6": _p(3.0, 15.0, 0.30),
    "claude-sonnet-4-5": _p(3.0, 15.0, 0.30),
    "claude-sonnet-4": _p(3.0, 15.0, 0.30),
    "claude-haiku-5-5": _p(0.10, 0.50, 0.01),
    "claude-haiku-4-5": _p(1.0, 5.0, 0.10),
    "claude-3-5-haiku": _p(0.80, 4.0, 0.08),
}
FREE_PROVIDERS = ("offline", "ollama")
"""Model-name prefixes of models that cost nothing per token (in-process, or a local server)."""


def price_for(model_name: str) -> Price | None:
    """The price of a Claude model (`anthropic:<id>` or a bare id, dated snapshots and `[1m]`
    variants included); None for ids not in the table."""
    model_id = model_name.removeprefix("anthropic:").strip()
    matches = [k for k in PRICES if model_id == k or (model_id.startswith(k) and model_id[len(k)] in "-@[")]
    return PRICES[max(matches, key=len)] if matches else None


def _dollars(usage: Usage, price: Price, batch: bool) -> float:
    write = price.cache_write_1h if batch else price.cache_write
    total = (
        usage.input_tokens * price.input
        + usage.output_tokens * price.output
        + usage.cache_write_tokens * write
        + usage.cache_read_tokens * price.cache_read
    ) / 1_000_000
    return round(total * (BATCH_DISCOUNT if batch else 1.0), 6)


def estimate_cost(usage: Usage, model_name: str, *, batch: bool = False) -> float | None:
    """Estimated USD for `usage` by the model named `model_name` (as in a brief's `model` field):
    0.0 for free models, None when unknown (an unlisted id, a scripted test model). `batch` prices
    Message Batches usage (half price, 1-hour cache writes)."""
    provider = model_name.partition(":")[0] if ":" in model_name else model_name
    if provider in FREE_PROVIDERS:
        return 0.0
    price = price_for(model_name) if provider in ("anthropic", model_name) else None
    return _dollars(usage, price, batch) if price is not None else None


def cost_of(capabilities: ModelCapabilities, usage: Usage, *, batch: bool = False) -> float | None:
    """Estimated USD for `usage` from a model's capabilities (free, or priced as `price_id`)."""
    if capabilities.free:
        return 0.0
    price = price_for(capabilities.price_id) if capabilities.price_id else None
    return _dollars(usage, price, batch) if price is not None else None


def model_cost(model: Model, usage: Usage) -> float | None:
    """Estimated USD for `usage` by `model`."""
    return cost_of(model.capabilities, usage)
