"""A model that replays queued turns, for exact tests of the loop and the pipeline.

It fails loudly on an unexpected call (queue empty) and `assert_done()` fails on leftovers, so
a test sees both too many and too few model calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from agent.models.base import ModelError, ModelRequest, ModelTurn

ScriptStep = ModelTurn | Callable[[ModelRequest], ModelTurn] | Exception


class ScriptedModel:
    """Answers each request with the next queued turn (or calls a function, or raises)."""

    def __init__(self, steps: Iterable[ScriptStep], name: str = "scripted") -> None:
        self._steps = list(steps)
        self._name = name
        self.requests: list[ModelRequest] = []
        """Every request received, in order, for assertions."""

    @property
    def name(self) -> str:
        return self._name

    def complete(self, request: ModelRequest) -> ModelTurn:
        self.requests.append(request)
        if not self._steps:
            raise ModelError(f"scripted model: unexpected call #{len(self.requests)} ({request.purpose})")
        step = self._steps.pop(0)
        if isinstance(step, Exception):
            raise step
        if isinstance(step, ModelTurn):
            return step
        return step(request)

    def assert_done(self) -> None:
        """Fail if queued turns were never used."""
        if self._steps:
            raise AssertionError(f"scripted model: {len(self._steps)} queued turn(s) never used")
