"""Triage through the Message Batches API: half the price, for queues that can wait (most batches end
within an hour, all within 24).

- Each ticket is one request whose `custom_id` is its idempotency key; results come back in any
  order and are joined on it.
- Before `batches.create` the state records the submission and claims its keys (attempt + 1);
  right after, it records the batch id. A rerun polls the recorded batches instead of creating new
  ones, and a key sits in at most one open batch, so no second batch is ever created for it.
- `create` is not idempotent on the server, so the SDK's automatic retry is off for that one call.
  If the process dies (or the call fails ambiguously) between the server accepting the batch and
  the id being stored, the next run lists recent batches and adopts the one created after the
  submission with the same number of requests; only when there is none are the keys released.
- Expired, canceled and retryable errored requests go into a later batch until `max_attempts`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from agent.errors import UsageError
from agent.extract.step import extraction_tool_spec
from agent.models import anthropic_quirks as quirks
from agent.models.anthropic_errors import BatchCreateError
from agent.models.anthropic_wire import BATCH_CACHE_TTL, build_params, parse_message
from agent.models.base import ModelError
from agent.triage.input import QueueItem
from agent.triage.keys import WorkKey
from agent.triage.limiter import Clock, RealClock
from agent.triage.runner import NoProgress, ProgressSink, RunStats, record_failure
from agent.triage.store import BatchRow, StateStore
from agent.triage.ticket import TicketFailure, TicketTriager, Triaged

MAX_REQUESTS_PER_BATCH = 10_000
"""Well under the API's 100,000 requests / 256 MB per batch, so one failed create costs little."""
_FATAL_ERRORS = (
    "invalid_request_error",
    "authentication_error",
    "permission_error",
    "not_found_error",
    "request_too_large",
)
_ADOPT_WINDOW = timedelta(minutes=10)


@dataclass
class BatchOptions:
    """How to talk to the Message Batches API."""

    client: Any
    """An SDK client from `agent.models.anthropic.batches_client` (tests build one over MockTransport)."""
    model_id: str
    poll_interval: float = 30.0
    chunk_size: int = MAX_REQUESTS_PER_BATCH
    clock: Clock | None = None


class BatchRunner:
    """Submits, polls and collects batches until every ticket of the queue is done or dead."""

    def __init__(
        self,
        store: StateStore,
        triager: TicketTriager,
        options: BatchOptions,
        *,
        max_attempts: int = 3,
        progress: ProgressSink | None = None,
        fallback: Callable[[QueueItem], Triaged] | None = None,
    ) -> None:
        self.store, self.triager, self.options = store, triager, options
        self.fallback = fallback
        """The offline reader, for a ticket the batch could not triage at its last attempt."""
        self.max_attempts = max(1, max_attempts)
        self.progress = progress or NoProgress()
        self.clock = options.clock or RealClock()
        self.stats = RunStats()
        self.creates = 0
        self._items: dict[str, QueueItem] = {}

    def run(self, items: Sequence[QueueItem], keys: dict[str, WorkKey]) -> RunStats:
        """Finish the queue through batches. Raises `UsageError` when the API refuses the key or model."""
        started = self.clock.now()
        self._items = {keys[i.id].key: i for i in items}
        self.store.ensure(list(keys.values()))
        states = self.store.states(self._items)
        self.stats.total = len(items)
        self.stats.already_done = sum(1 for s in states.values() if s.status == "done")
        self.progress.start(len(items), sum(1 for s in states.values() if s.status != "pending"))
        failures = 0
        try:
            while True:
                self._recover()
                todo = self._todo()
                for start in range(0, len(todo), self.options.chunk_size):
                    self._submit(todo[start : start + self.options.chunk_size])
                self._recover()
                open_rows = [b for b in self.store.open_batches() if self._ours(b)]
                if not open_rows and not todo:
                    break
                if not open_rows:  # every create failed: back off before the keys go again
                    failures += 1
                    self.clock.sleep(min(60.0, 2.0**failures))
                for row in open_rows:
                    self._wait(row)
                    self._collect(row)
        finally:
            self.progress.stop()
            self.stats.elapsed = self.clock.now() - started
        return self.stats

    # --- steps ---------------------------------------------------------------------------------

    def _todo(self) -> list[str]:
        todo = []
        for key, state in self.store.states(self._items).items():
            if state.status != "pending" or state.batch is not None:
                continue
            if state.attempts >= self.max_attempts:
                self.store.fail(
                    key, f"gave up after {state.attempts} attempts: {state.last_error or 'no result'}", dead=True
                )
                self.stats.dead += 1
                self.progress.advance("dead-lettered")
            else:
                todo.append(key)
        return todo

    def _ours(self, row: BatchRow) -> bool:
        return any(key in self._items for key in self.store.batch_keys(row.id))

    def _submit(self, keys: list[str]) -> None:
        requests: list[Any] = []
        for key in keys:
            request = self.triager.model_request(self._items[key])
            # The same builder as the Messages path, with what this run has learnt about the model
            # and the 1-hour cache TTL (a batch can take longer than the 5-minute default).
            capabilities = quirks.claude_capabilities(self.options.model_id)
            params = build_params(request, self.options.model_id, capabilities, cache_ttl=BATCH_CACHE_TTL)
            requests.append({"custom_id": key, "params": params})
        row = self.store.open_submission(keys)
        from agent.models.anthropic import create_batch

        try:
            batch_id = create_batch(self.options.client, requests)
        except BatchCreateError as exc:
            status = exc.status
            if status in (401, 403):
                self.store.close_batch(row, "abandoned")
                raise UsageError(f"Anthropic refused the batch ({status}): set a valid ANTHROPIC_API_KEY") from None
            if status is not None and status < 500 and status not in (408, 409, 429):
                self.store.close_batch(row, "abandoned")  # certainly not created; the keys go again
                for key in keys:
                    self.store.fail(key, f"batch create rejected ({status})", dead=False)
            return  # otherwise ambiguous: `_recover` looks for it before anything is resubmitted
        self.creates += 1
        self.store.set_batch_id(row, batch_id)

    def _recover(self) -> None:
        """Adopt (or release) submissions whose batch id was never stored."""
        pending = [b for b in self.store.open_batches() if b.batch_id is None]
        if not pending:
            return
        known = self.store.known_batch_ids()
        listed = list(self.options.client.messages.batches.list(limit=100))
        for row in pending:
            candidates = sorted(
                (
                    b
                    for b in listed
                    if b.id not in known and b.created_at >= row.submitted_at - _ADOPT_WINDOW and _total(b) == row.size
                ),
                key=lambda b: b.created_at,
            )
            if candidates:
                self.store.set_batch_id(row.id, candidates[0].id)
                known.add(candidates[0].id)
            else:
                for key in self.store.batch_keys(row.id):
                    self.store.fail(key, "batch submission was interrupted before the API accepted it", dead=False)
                self.store.close_batch(row.id, "abandoned")

    def _wait(self, row: BatchRow) -> None:
        assert row.batch_id is not None
        while True:
            batch = self.options.client.messages.batches.retrieve(row.batch_id)
            counts = batch.request_counts
            self.progress.note(f"batch {batch.id}: {_total(batch) - counts.processing}/{_total(batch)} processed")
            if batch.processing_status == "ended":
                return
            self.clock.sleep(self.options.poll_interval)

    def _collect(self, row: BatchRow) -> None:
        assert row.batch_id is not None
        waiting = set(self.store.batch_keys(row.id))
        attempts = {k: s.attempts for k, s in self.store.states(waiting).items()}
        for entry in self.options.client.messages.batches.results(row.batch_id):
            key = entry.custom_id
            if key not in waiting:
                continue  # a key we no longer wait for (already finished elsewhere, or foreign)
            waiting.discard(key)
            item = self._items.get(key)
            if item is None:
                self.store.fail(key, "result for a ticket not in this queue; it runs again with its queue", dead=False)
                continue
            self._outcome(key, item, entry.result, attempts.get(key, self.max_attempts))
        for key in waiting:
            self._failed(
                key, "the batch returned no result for this request", True, attempts.get(key, self.max_attempts)
            )
        self.store.close_batch(row.id, "collected")

    def _outcome(self, key: str, item: QueueItem, result: Any, attempt: int) -> None:
        if result.type == "succeeded":
            try:
                from agent.triage.ticket import extraction_from_turn

                spec = extraction_tool_spec()
                turn = parse_message(result.message.to_dict(), {spec.name: spec})
                extraction = extraction_from_turn(turn)
                triaged = self.triager.evaluate(item, extraction)
            except TicketFailure as exc:
                self._failed(key, str(exc), exc.retryable, attempt)
                return
            except ModelError as exc:  # a result body that is not a message
                self._failed(key, str(exc), True, attempt)
                return
            self.store.finish(key, triaged.summary, triaged.extraction_json)
            self.stats.done += 1
            self.progress.advance()
            return
        if result.type == "errored":
            error = result.error.error
            kind, message = getattr(error, "type", "error"), getattr(error, "message", "")
            downgrade = quirks.recognise(str(message)) if kind == "invalid_request_error" else None
            if downgrade is not None:
                # A schema or tool choice the model cannot take: later requests go without it.
                quirks.remember(self.options.model_id, downgrade)
                self._failed(key, f"{kind}: {message}"[:300], True, attempt)
                return
            self._failed(key, f"{kind}: {message}"[:300], kind not in _FATAL_ERRORS, attempt)
            return
        self._failed(key, f"request {result.type}", True, attempt)

    def _failed(self, key: str, reason: str, retryable: bool, attempt: int) -> None:
        item = self._items.get(key)
        final = not retryable or attempt >= self.max_attempts
        if final and self.fallback is not None and item is not None:
            try:
                triaged = self.fallback(item)
            except Exception as exc:  # the offline reader failed too: an ordinary failure of this ticket
                reason = f"{reason}; fallback: {exc}"
            else:
                summary = {**triaged.summary, "fallback": True, "fallback_reason": reason[:300]}
                self.store.fall_back(key, summary, triaged.extraction_json, reason, refund=False)
                self.stats.fell_back += 1
                self.progress.advance("fallback")
                return
        record_failure(self.store, self.stats, self.progress, key, reason, retryable, attempt, self.max_attempts)


def _total(batch: Any) -> int:
    c = batch.request_counts
    return int(c.processing + c.succeeded + c.errored + c.canceled + c.expired)
