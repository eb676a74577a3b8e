"""The durable triage loop: every ticket of the queue ends up done or dead-lettered, exactly once,
across any number of interrupted runs.

Per ticket: commit "attempt n starts", do the work, commit the result (or the failure). A rerun
skips done keys, retries pending ones, and dead-letters a pending one whose attempts are used up
(for example a ticket that crashed the process each time). Failures are retried within the run
until `max_attempts`; 429/529 answers are not failures: the worker waits (see `limiter`) and asks
again without using up an attempt.

When the model is unavailable (see `outage`) the attempt does not count. With a fallback (the
offline reader) the ticket is triaged by it at once, stored as done and marked `fallback`; without
one it stays pending. Either way a later run asks the model again. A ticket the model keeps failing
on for its own reasons falls back too once its attempts are used up, instead of being dead-lettered.
After a few outages in a row the model is taken to be down: the rest of the run stops asking it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Protocol

from agent.errors import UsageError
from agent.models.anthropic_errors import ModelConfigError
from agent.triage.input import QueueItem
from agent.triage.keys import WorkKey, model_identity, prompt_version, rules_version
from agent.triage.limiter import AimdLimiter, Clock, LimiterStats, Overloaded
from agent.triage.outage import Breaker, ModelUnavailable, outage_reason
from agent.triage.store import StateStore
from agent.triage.ticket import TicketFailure, TicketTriager, Triaged

DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_CONCURRENCY = 4
MAX_OVERLOAD_WAITS = 200
OVERLOAD_PATIENCE = 900.0
"""Seconds one ticket keeps waiting out overload answers before the model counts as unavailable."""


class ProgressSink(Protocol):
    """Where the runner reports progress (a rich bar on stderr, or nothing)."""

    def start(self, total: int, completed: int) -> None:
        """The queue has `total` tickets, `completed` of them already finished earlier."""
        ...

    def advance(self, note: str = "") -> None:
        """One more ticket finished (done or dead-lettered)."""
        ...

    def note(self, text: str) -> None:
        """Show a status line (e.g. a batch's progress while polling)."""
        ...

    def stop(self) -> None:
        """The run ended."""
        ...


class NoProgress:
    """Reports nothing."""

    def start(self, total: int, completed: int) -> None:
        """Nothing."""

    def advance(self, note: str = "") -> None:
        """Nothing."""

    def note(self, text: str) -> None:
        """Nothing."""

    def stop(self) -> None:
        """Nothing."""


@dataclass
class RunStats:
    """What one run did."""

    total: int = 0
    already_done: int = 0
    in_open_batch: int = 0
    """Tickets waiting in a Message Batch an earlier `--batch-api` run submitted (left alone here)."""
    done: int = 0
    retried: int = 0
    dead: int = 0
    fell_back: int = 0
    """Triaged by the offline reader in this run because the model failed."""
    unavailable: int = 0
    """Left for a later run in this run because the model was unavailable (no fallback)."""
    retry_fallback: int = 0
    """Tickets an earlier run had triaged by the fallback, tried with the model again now."""
    elapsed: float = 0.0
    limiter: LimiterStats = field(default_factory=LimiterStats)

    @property
    def rate(self) -> float:
        """Tickets finished per second in this run."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0


def work_keys(items: Sequence[QueueItem], triager: TicketTriager) -> dict[str, WorkKey]:
    """The idempotency key of every item, by ticket id."""
    policy = f"{triager.policy.version}+{rules_version()}"
    prompts, model = prompt_version(), model_identity(triager.model)
    return {item.id: WorkKey(item.id, item.content_hash, policy, prompts, model) for item in items}


TriageFn = Callable[[QueueItem], Triaged]


class Runner:
    """Runs a queue against a state store. One instance per run."""

    def __init__(
        self,
        store: StateStore,
        triager: TicketTriager,
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        clock: Clock | None = None,
        progress: ProgressSink | None = None,
        triage: TriageFn | None = None,
        fallback: TriageFn | None = None,
    ) -> None:
        self.store = store
        self.triager = triager
        self.max_attempts = max(1, max_attempts)
        self.progress = progress or NoProgress()
        self.limiter = AimdLimiter(max(1, concurrency), clock)
        self.stats = RunStats()
        self._triage = triage or triager.triage
        self._fallback = fallback
        self.breaker = Breaker()
        self._has_result: set[str] = set()
        """Keys retried that already hold a fallback result: a failure keeps that result."""
        # The offline extractor is CPU-bound Python: threads would only add hand-offs under the GIL.
        self._inline = triager.model.capabilities.in_process

    def prepare(self, items: Sequence[QueueItem]) -> tuple[dict[str, WorkKey], list[QueueItem]]:
        """Register every key; dead-letter pending keys whose attempts are used up; return the work."""
        keys = work_keys(items, self.triager)
        self.store.ensure(list(keys.values()))
        states = self.store.states(k.key for k in keys.values())
        todo: list[QueueItem] = []
        for item in items:
            state = states[keys[item.id].key]
            if state.status == "done" and state.fallback and state.attempts < self.max_attempts:
                self.stats.retry_fallback += 1
                self._has_result.add(state.key)
                todo.append(item)
            elif state.status == "done":
                self.stats.already_done += 1
            elif state.status == "pending" and state.batch is not None:
                self.stats.in_open_batch += 1
            elif state.status == "pending":
                if state.attempts >= self.max_attempts:
                    reason = state.last_error or "the process ended during each attempt"
                    self.store.fail(state.key, f"gave up after {state.attempts} attempts: {reason}", dead=True)
                else:
                    todo.append(item)
        return keys, todo

    def run(self, items: Sequence[QueueItem]) -> RunStats:
        """Triage every item not already finished. Raises `UsageError` if the model cannot work at all."""
        started = time.perf_counter()
        keys, todo = self.prepare(items)
        self.stats.total = len(items)
        self.progress.start(len(items), len(items) - len(todo))
        try:
            if self._inline:
                self._run_inline(todo, keys)
            else:
                self._run_threaded(todo, keys)
        except ModelConfigError as exc:
            raise UsageError(str(exc)) from None
        finally:
            self.progress.stop()
            self.stats.elapsed = time.perf_counter() - started
            self.stats.limiter = self.limiter.stats
        return self.stats

    # --- the two loops -----------------------------------------------------------------------

    def _run_inline(self, todo: list[QueueItem], keys: dict[str, WorkKey]) -> None:
        queue = deque(todo)
        while queue:
            item = queue.popleft()
            key = keys[item.id].key
            if self.breaker.open:
                self._unavailable(item, key, self.breaker.reason, started=False)
                continue
            attempt = self.store.start(key)
            try:
                triaged = self._triage(item)
            except (ModelConfigError, KeyboardInterrupt):
                raise
            except Exception as exc:
                self._failed(item, key, attempt, exc, queue)
            else:
                self._finished(key, triaged)

    def _run_threaded(self, todo: list[QueueItem], keys: dict[str, WorkKey]) -> None:
        queue = deque(todo)
        pool = ThreadPoolExecutor(max_workers=self.limiter.maximum, thread_name_prefix="triage")
        running: dict[Future[Triaged], tuple[QueueItem, int]] = {}
        try:
            while queue or running:
                # Start only as many as the adaptive limit admits, so a ticket counted as started
                # (attempt + 1) is really running, not parked behind the limiter.
                while queue and len(running) < max(1, int(self.limiter.limit)):
                    item = queue.popleft()
                    if self.breaker.open:
                        self._unavailable(item, keys[item.id].key, self.breaker.reason, started=False)
                        continue
                    attempt = self.store.start(keys[item.id].key)
                    running[pool.submit(self._with_backoff, item)] = (item, attempt)
                if not running:
                    continue
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    item, attempt = running.pop(future)
                    key = keys[item.id].key
                    error = future.exception()
                    if isinstance(error, ModelConfigError):
                        raise error
                    if error is not None:
                        self._failed(item, key, attempt, error, queue)
                    else:
                        self._finished(key, future.result())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _with_backoff(self, item: QueueItem) -> Triaged:
        waits = 0
        first: float | None = None
        while True:
            epoch = self.limiter.acquire()
            try:
                triaged = self._triage(item)
            except Overloaded as exc:
                now = self.limiter.clock.now()
                first = now if first is None else first
                self.limiter.overload(epoch, exc.retry_after)
                waits += 1
                if waits >= MAX_OVERLOAD_WAITS or now - first >= OVERLOAD_PATIENCE:
                    raise ModelUnavailable(f"model still overloaded after {waits} waits: {exc}") from None
                continue
            except BaseException:
                self.limiter.release()
                raise
            self.limiter.success()
            return triaged

    # --- outcomes ------------------------------------------------------------------------------

    def _finished(self, key: str, triaged: Triaged) -> None:
        self.breaker.success()
        self.store.finish(key, triaged.summary, triaged.extraction_json)
        self.stats.done += 1
        self.progress.advance()

    def _failed(self, item: QueueItem, key: str, attempt: int, exc: BaseException, queue: deque[QueueItem]) -> None:
        outage = outage_reason(exc)
        if outage is not None:
            self.breaker.outage(outage)
            self._unavailable(item, key, outage, started=True)
            return
        self.breaker.success()  # the model answered, however badly
        retryable = exc.retryable if isinstance(exc, TicketFailure) else True
        reason = str(exc) if isinstance(exc, TicketFailure) else f"{type(exc).__name__}: {exc}"
        final = not retryable or attempt >= self.max_attempts
        if final and self._fallback is not None:
            self._fall_back(item, key, f"attempt {attempt}: {reason}", refund=False)
            return
        if key in self._has_result:  # keep the earlier fallback result, whatever this run makes of it
            self.store.record_error(key, f"attempt {attempt}: {reason}", refund=False)
            if final:
                self.progress.advance("kept fallback")
            else:
                self.stats.retried += 1
                queue.append(item)
            return
        dead = record_failure(self.store, self.stats, self.progress, key, reason, retryable, attempt, self.max_attempts)
        if not dead:
            queue.append(item)

    def _unavailable(self, item: QueueItem, key: str, reason: str, *, started: bool) -> None:
        """The model is unavailable for this ticket: fall back, or leave it for a later run."""
        if self._fallback is not None:
            self._fall_back(item, key, reason, refund=started)
            return
        self.store.record_error(key, reason, refund=started)
        self.stats.unavailable += 1
        self.progress.advance("model unavailable")

    def _fall_back(self, item: QueueItem, key: str, reason: str, *, refund: bool) -> None:
        assert self._fallback is not None
        try:
            triaged = self._fallback(item)
        except Exception as exc:  # the offline reader failed too: an ordinary failure of this ticket
            record_failure(
                self.store, self.stats, self.progress, key, f"{reason}; fallback: {exc}", False, 0, self.max_attempts
            )
            return
        summary = {**triaged.summary, "fallback": True, "fallback_reason": reason[:300]}
        self.store.fall_back(key, summary, triaged.extraction_json, reason, refund=refund)
        self.stats.fell_back += 1
        self.progress.advance("fallback")


def record_failure(
    store: StateStore,
    stats: RunStats,
    progress: ProgressSink,
    key: str,
    reason: str,
    retryable: bool,
    attempt: int,
    max_attempts: int,
) -> bool:
    """Record a failed attempt: dead-lettered when it cannot or may no longer be retried (returns True),
    otherwise counted as a retry."""
    dead = not retryable or attempt >= max_attempts
    store.fail(key, f"attempt {attempt}: {reason}", dead=dead)
    if dead:
        stats.dead += 1
        progress.advance("dead-lettered")
    else:
        stats.retried += 1
    return dead
