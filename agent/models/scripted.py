"""A model that replays queued turns, for exact tests of the loop and the pipeline.

An unexpected call (queue empty) raises `ScriptError`, which is not a `ModelError`, so no loop
swallows it and the test fails where the extra call was made; `assert_done()` (or leaving a
`with` block) fails on queued turns never used. A test sees both too many and too few calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import TracebackType

from agent.models.base import ModelCapabilities, ModelRequest, ModelTurn

ScriptStep = ModelTurn | Callable[[ModelRequest], ModelTurn] | Exception

SCRIPTED_CAPABILITIES = ModelCapabilities(prefetch=False)
"""By default a scripted model plans its own turns (no prefetch) and is priced as unknown."""


class ScriptError(AssertionError):
    """The script and the calls made disagree: a test failure, never a model failure."""


class ScriptedModel:
    """Answers each request with the next queued turn (or calls a function, or raises)."""

    def __init__(
        self,
        steps: Iterable[ScriptStep],
        name: str = "scripted",
        capabilities: ModelCapabilities = SCRIPTED_CAPABILITIES,
    ) -> None:
        self._steps = list(steps)
        self._name = name
        self._capabilities = capabilities
        self.requests: list[ModelRequest] = []
        """Every request received, in order, for assertions."""

    @property
    def name(self) -> str:
        return self._name

    @property
    def capabilities(self) -> ModelCapabilities:
        """As given (no prefetch, not billed, unless the test says otherwise)."""
        return self._capabilities

    def complete(self, request: ModelRequest) -> ModelTurn:
        self.requests.append(request)
        if not self._steps:
            raise ScriptError(f"scripted model: unexpected call #{len(self.requests)} ({request.purpose})")
        step = self._steps.pop(0)
        if isinstance(step, Exception):
            raise step
        if isinstance(step, ModelTurn):
            return step
        return step(request)

    def assert_done(self) -> None:
        """Fail if queued turns were never used."""
        if self._steps:
            raise ScriptError(f"scripted model: {len(self._steps)} queued turn(s) never used")

    def __enter__(self) -> ScriptedModel:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.assert_done()
