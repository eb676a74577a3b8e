"""Adaptive concurrency for model calls: AIMD on the number of calls in flight, plus a shared pause
when the API says it is overloaded (429 rate limited, 529 overloaded).

Additive increase: every success raises the limit by 1/limit (about +1 per round of calls).
Multiplicative decrease: an overload halves it, at most once per pause, so a burst of 429s from
calls that were already in flight counts as one signal. Every worker waits out the pause the API
asked for (`retry-after`), or a capped exponential back-off with jitter when it gave none.

Time goes through a `Clock` so the benchmark can run a simulated hour in seconds.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from typing import Protocol

from agent.models.base import ModelError

OVERLOAD_STATUSES = (429, 529)


class Clock(Protocol):
    """Monotonic time in (possibly simulated) seconds."""

    def now(self) -> float:
        """Seconds since an arbitrary start."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait `seconds`."""
        ...

    def real(self, seconds: float) -> float:
        """How many wall-clock seconds `seconds` of this clock take (for lock timeouts)."""
        ...


class RealClock:
    """The wall clock."""

    def now(self) -> float:
        """`time.monotonic()`."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        """`time.sleep`."""
        if seconds > 0:
            time.sleep(seconds)

    def real(self, seconds: float) -> float:
        """The same seconds."""
        return seconds


class ScaledClock:
    """Simulated time running `scale` times faster than the wall clock (benchmarks and tests)."""

    def __init__(self, scale: float) -> None:
        self.scale = scale
        self._start = time.monotonic()

    def now(self) -> float:
        """Simulated seconds since the clock was made."""
        return (time.monotonic() - self._start) * self.scale

    def sleep(self, seconds: float) -> None:
        """Wait `seconds` of simulated time."""
        if seconds > 0:
            time.sleep(seconds / self.scale)

    def real(self, seconds: float) -> float:
        """Wall-clock seconds for `seconds` of simulated time."""
        return seconds / self.scale


class Overloaded(ModelError):
    """The model API refused for load (429/529); `retry_after` is its wait hint in seconds, if any."""

    def __init__(self, message: str, status: int = 429, retry_after: float | None = None) -> None:
        super().__init__(message, status=status, retry_after=retry_after)


def as_overload(exc: BaseException) -> Overloaded | None:
    """The overload an error reports, if it is one: a `ModelError` with status 429 or 529 (as
    `AnthropicModel` reports them after its own retries), with the API's wait hint."""
    if isinstance(exc, Overloaded):
        return exc
    if isinstance(exc, ModelError) and exc.status in OVERLOAD_STATUSES:
        return Overloaded(str(exc), exc.status, exc.retry_after)
    return None


@dataclass
class LimiterStats:
    """What the limiter saw, for the progress line and the report."""

    overloads: int = 0
    decreases: int = 0
    lowest_limit: float = 0.0


class AimdLimiter:
    """Bounds calls in flight to a limit that adapts between 1 and `maximum`."""

    def __init__(
        self,
        maximum: int,
        clock: Clock | None = None,
        *,
        initial: float | None = None,
        base_backoff: float = 1.0,
        max_backoff: float = 60.0,
        seed: int | None = None,
    ) -> None:
        self.maximum = max(1, maximum)
        self.limit = float(min(self.maximum, initial or self.maximum))
        self.clock = clock or RealClock()
        self.stats = LimiterStats(lowest_limit=self.limit)
        self._in_flight = 0
        self._resume_at = 0.0
        self._epoch = 0
        self._streak = 0
        self._base, self._cap = base_backoff, max_backoff
        self._random = random.Random(seed)
        self._cond = threading.Condition()

    @property
    def in_flight(self) -> int:
        """Calls currently admitted."""
        return self._in_flight

    def acquire(self) -> int:
        """Wait for a slot (and for any pause to end); returns the epoch the call starts in."""
        with self._cond:
            while True:
                wait = self._resume_at - self.clock.now()
                if wait <= 0 and self._in_flight < int(self.limit):
                    self._in_flight += 1
                    return self._epoch
                self._cond.wait(timeout=self.clock.real(wait) if wait > 0 else None)

    def success(self) -> None:
        """A call finished normally: release its slot and grow the limit a little."""
        with self._cond:
            self._in_flight -= 1
            self._streak = 0
            self.limit = min(float(self.maximum), self.limit + 1.0 / max(self.limit, 1.0))
            self._cond.notify_all()

    def release(self) -> None:
        """A call finished with an error unrelated to load: release its slot only."""
        with self._cond:
            self._in_flight -= 1
            self._cond.notify_all()

    def overload(self, epoch: int, retry_after: float | None) -> None:
        """A call started in `epoch` was refused for load: halve the limit (once per epoch) and pause."""
        with self._cond:
            self._in_flight -= 1
            self.stats.overloads += 1
            if epoch == self._epoch:
                self._epoch += 1
                self._streak += 1
                self.limit = max(1.0, self.limit / 2)
                self.stats.decreases += 1
                self.stats.lowest_limit = min(self.stats.lowest_limit, self.limit)
            if retry_after is not None:
                pause = max(0.0, retry_after)
            else:
                ceiling = min(self._cap, self._base * 2 ** max(0, self._streak - 1))
                pause = self._random.uniform(ceiling / 2, ceiling)
            self._resume_at = max(self._resume_at, self.clock.now() + pause)
            self._cond.notify_all()
