"""The models an eval can run: `offline`, `anthropic[:MODEL_ID]`, and `scripted` (the Claude-like
stand-in of `evals.claude_like`, whose judgement is the offline extractor's and whose usage is an
estimate of what Claude would spend on the same conversation)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from agent.errors import UsageError
from agent.extract.schema import Extraction
from agent.models.base import Model, ModelRequest, Usage
from agent.models.factory import make_model
from agent.models.offline.extractor import extract_offline
from agent.models.offline.model import OfflineModel
from agent.models.pricing import model_cost
from connectors.records import RECORDS_ADAPTER
from evals.claude_like import ClaudeLike, request_data

MODEL_CHOICES = ("offline", "anthropic", "anthropic:MODEL_ID", "scripted")


def offline_judgement(request: ModelRequest, records: list[dict[str, Any]]) -> Extraction:
    """The offline extractor over what the Claude-like conversation gathered."""

    data = request_data(request)
    now = datetime.fromisoformat(str(data["today"]))
    return extract_offline(data, RECORDS_ADAPTER.validate_python(records), now)


def model_factory(spec: str) -> Callable[[], Model]:
    """A function returning the model for one case (a fresh one when the model keeps state)."""
    spec = spec.strip()
    if spec == "offline":
        return OfflineModel
    if spec == "scripted":
        return lambda: ClaudeLike(extraction=offline_judgement)
    if spec == "anthropic" or spec.startswith("anthropic:"):
        shared = make_model(spec)
        return lambda: shared
    raise UsageError(f"unknown --model {spec!r}: use one of {', '.join(MODEL_CHOICES)}")


def cost_of(model: Model, usage: Usage) -> float | None:
    """Estimated USD for one case (the Claude-like stand-in is priced as the model it imitates)."""
    return model_cost(model, usage)
