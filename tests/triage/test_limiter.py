"""AIMD concurrency: halve once per overload burst, grow by about one per round of successes, and
hold every caller for the pause the API asked for."""

from __future__ import annotations

import threading

from agent.models.base import ModelError
from agent.triage.limiter import AimdLimiter, Overloaded, ScaledClock, as_overload


class ManualClock:
    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds

    def real(self, seconds: float) -> float:
        return 0.001


def test_a_burst_of_overloads_from_one_round_halves_the_limit_once() -> None:
    limiter = AimdLimiter(8, ManualClock())
    epochs = [limiter.acquire() for _ in range(4)]
    for epoch in epochs:
        limiter.overload(epoch, retry_after=0)
    assert limiter.limit == 4 and limiter.stats.decreases == 1 and limiter.stats.overloads == 4
    limiter.overload(limiter.acquire(), retry_after=0)  # a call from the new round: halve again
    assert limiter.limit == 2 and limiter.in_flight == 0


def test_successes_grow_the_limit_additively_up_to_the_maximum() -> None:
    limiter = AimdLimiter(4, ManualClock(), initial=1)
    for _ in range(3):
        limiter.acquire()
        limiter.success()
    assert 2.5 < limiter.limit < 3.5
    for _ in range(50):
        limiter.acquire()
        limiter.success()
    assert limiter.limit == 4


def test_callers_wait_out_the_retry_after_pause() -> None:
    clock = ScaledClock(100)  # 1 simulated second = 10 ms
    limiter = AimdLimiter(2, clock)
    limiter.overload(limiter.acquire(), retry_after=30)
    asked_at = clock.now()
    admitted: list[float] = []
    worker = threading.Thread(target=lambda: (limiter.acquire(), admitted.append(clock.now())))
    worker.start()
    worker.join(timeout=5)
    assert admitted and admitted[0] - asked_at >= 29


def test_overloads_are_recognized_from_the_model_error_status() -> None:
    found = as_overload(ModelError("Anthropic API unavailable after 2 retries", status=529, retry_after=12.0))
    assert found is not None and found.status == 529 and found.retry_after == 12.0
    assert as_overload(ModelError("Anthropic API rejected the request", status=400)) is None
    assert as_overload(ModelError("status 529 mentioned only in text")) is None
    direct = Overloaded("slow down", 429, retry_after=7)
    assert as_overload(direct) is direct
    assert as_overload(ValueError("status 429")) is None
