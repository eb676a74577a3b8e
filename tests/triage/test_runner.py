"""The durable loop: each ticket done exactly once across runs, retries, the dead-letter list, and
429/529 answers that wait instead of failing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from agent.decide.policy import load_policy
from agent.errors import UsageError
from agent.models.anthropic_errors import ModelConfigError
from agent.models.base import ModelCapabilities, ModelRequest, ModelTurn
from agent.models.offline.model import OfflineModel
from agent.triage.input import QueueItem, load_support
from agent.triage.limiter import Overloaded, ScaledClock
from agent.triage.runner import Runner, work_keys
from agent.triage.store import StateStore
from agent.triage.ticket import Lookup, TicketFailure, TicketTriager, Triaged
from connectors.demo import demo_workspace
from tests.fakes.triage import NOW, item

ISSUES = [
    ("CSV export is missing rows", "Our export drops rows since the release. Month-end close is blocked."),
    ("SSO login loop", "Okta login loops back to the sign-in page; nobody can log in."),
    ("How do I add a user?", "How can I invite a colleague as a viewer?"),
    ("Dark mode please", "We would love a dark theme."),
]


def queue(n: int = 12) -> list[QueueItem]:
    return [item(str(100 + i), f"Account {i % 5}", *ISSUES[i % len(ISSUES)]) for i in range(n)]


class Wrapped:
    """A non-offline model: the offline model answering the single extraction request, after `before`."""

    capabilities = ModelCapabilities()

    def __init__(self, name: str = "fake-claude", before: Callable[[int], None] | None = None) -> None:
        self._inner, self._name, self._before, self.calls = OfflineModel(), name, before, 0

    @property
    def name(self) -> str:
        return self._name

    def complete(self, request: ModelRequest) -> ModelTurn:
        self.calls += 1
        if self._before is not None:
            self._before(self.calls)
        return self._inner.complete(request)


def triager(model: object | None = None) -> TicketTriager:
    return TicketTriager(Lookup(None), load_policy(), model or OfflineModel(), NOW)  # type: ignore[arg-type]


def attempts(store: StateStore, t: TicketTriager, items: list[QueueItem]) -> dict[str, int]:
    keys = work_keys(items, t)
    states = store.states(k.key for k in keys.values())
    return {tid: states[k.key].attempts for tid, k in keys.items()}


def test_each_ticket_is_done_once_and_a_rerun_redoes_nothing(tmp_path: Path) -> None:
    store, t, items = StateStore(tmp_path / "s.sqlite"), triager(), queue()
    first = Runner(store, t).run(items)
    assert (first.done, first.already_done, first.dead) == (12, 0, 0)
    again = Runner(store, t).run(items)
    assert (again.done, again.already_done) == (0, 12)
    assert set(attempts(store, t, items).values()) == {1}


def test_a_changed_ticket_or_policy_is_new_work(tmp_path: Path) -> None:
    store, t, items = StateStore(tmp_path / "s.sqlite"), triager(), queue(4)
    Runner(store, t).run(items)
    edited = [
        items[0].__class__(ticket=items[0].ticket.model_copy(update={"description": "now it is worse"})),
        *items[1:],
    ]
    assert Runner(store, t).run(edited).done == 1
    stricter = load_policy().model_copy(update={"version": "test-2"})
    assert Runner(store, TicketTriager(Lookup(None), stricter, OfflineModel(), NOW)).run(items).done == 4


def test_a_ticket_that_keeps_failing_is_dead_lettered_and_the_run_completes(tmp_path: Path) -> None:
    store, t, items = StateStore(tmp_path / "s.sqlite"), triager(), queue()

    def flaky(it: QueueItem) -> Triaged:
        if it.id == "103":
            raise RuntimeError("extractor crashed")
        return t.triage(it)

    stats = Runner(store, t, max_attempts=3, triage=flaky).run(items)
    assert (stats.done, stats.dead, stats.retried) == (11, 1, 2)
    state = store.states([work_keys(items, t)["103"].key]).popitem()[1]
    assert (state.status, state.attempts) == ("dead", 3)
    assert "RuntimeError: extractor crashed" in (state.last_error or "")
    assert Runner(store, t, triage=flaky).run(items).done == 0  # dead stays dead; nothing else is redone


def test_a_flaky_ticket_succeeds_on_its_second_attempt(tmp_path: Path) -> None:
    store, t, items = StateStore(tmp_path / "s.sqlite"), triager(), queue(3)
    failed: set[str] = set()

    def once(it: QueueItem) -> Triaged:
        if it.id == "101" and it.id not in failed:
            failed.add(it.id)
            raise TicketFailure("model returned garbage")
        return t.triage(it)

    stats = Runner(store, t, triage=once).run(items)
    assert (stats.done, stats.dead, stats.retried) == (3, 0, 1)
    assert attempts(store, t, items) == {"100": 1, "101": 2, "102": 1}


def test_a_non_retryable_failure_is_dead_lettered_at_once(tmp_path: Path) -> None:
    store, t, items = StateStore(tmp_path / "s.sqlite"), triager(), queue(2)

    def refuse(it: QueueItem) -> Triaged:
        if it.id == "100":
            raise TicketFailure("the model refused", retryable=False)
        return t.triage(it)

    assert Runner(store, t, triage=refuse).run(items).dead == 1
    assert attempts(store, t, items)["100"] == 1


def test_a_ticket_that_ended_the_process_on_every_attempt_is_dead_lettered(tmp_path: Path) -> None:
    store, t, items = StateStore(tmp_path / "s.sqlite"), triager(), queue(2)
    key = work_keys(items, t)["100"].key
    store.ensure(list(work_keys(items, t).values()))
    for _ in range(3):
        store.start(key)  # three runs died mid-ticket: started, never finished
    stats = Runner(store, t, max_attempts=3).run(items)
    assert stats.done == 1
    state = store.states([key])[key]
    assert state.status == "dead" and "gave up after 3 attempts" in (state.last_error or "")


def test_overloaded_answers_wait_and_do_not_use_up_attempts(tmp_path: Path) -> None:
    def overload_first_three(call: int) -> None:
        if call <= 3:
            raise Overloaded("rate limited", 429, retry_after=2.0)

    model = Wrapped(before=overload_first_three)
    store, t, items = StateStore(tmp_path / "s.sqlite"), triager(model), queue(8)
    runner = Runner(store, t, concurrency=4, max_attempts=1, clock=ScaledClock(1000))
    stats = runner.run(items)
    assert (stats.done, stats.dead) == (8, 0)
    assert set(attempts(store, t, items).values()) == {1}
    assert stats.limiter.overloads == 3 and stats.limiter.decreases >= 1
    assert model.calls == 11


def test_a_model_that_cannot_work_at_all_stops_the_run_with_a_usage_error(tmp_path: Path) -> None:
    def bad_key(call: int) -> None:
        if call > 2:
            raise ModelConfigError("Anthropic rejected the API key (401)")

    model = Wrapped(before=bad_key)
    store, t, items = StateStore(tmp_path / "s.sqlite"), triager(model), queue(6)
    with pytest.raises(UsageError, match="401"):
        Runner(store, t, concurrency=1).run(items)
    done = sum(1 for s in store.states(k.key for k in work_keys(items, t).values()).values() if s.status == "done")
    assert done == 2  # what finished stays finished for the rerun


def test_the_single_request_path_decides_like_the_in_process_fast_path() -> None:
    space = demo_workspace(NOW.date())
    try:
        items = load_support(space, None, limit=1000).items
        fast = TicketTriager(Lookup(space), load_policy(), OfflineModel(), NOW)
        asked = TicketTriager(Lookup(space), load_policy(), Wrapped("offline-by-request"), NOW)  # type: ignore[arg-type]
        for it in items:
            a, b = fast.triage(it).summary, asked.triage(it).summary
            assert (a["escalate"], a["severity"], a["target_team"], a["priority"]) == (
                b["escalate"],
                b["severity"],
                b["target_team"],
                b["priority"],
            ), it.id
    finally:
        space.close()


def test_a_rate_limited_model_is_used_at_nine_tenths_of_its_limit_without_losing_tickets(tmp_path: Path) -> None:
    # The benchmark's scripted model (1 s answers, 50 requests/min, 429 + retry-after beyond) on a
    # clock 60x faster than real time: 1.5 simulated minutes of queue in about 1.5 s.
    import importlib.util
    import sys

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_triage.py"
    spec = importlib.util.spec_from_file_location("bench_triage", path)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench
    spec.loader.exec_module(bench)
    result = bench.bench_rate_limited(1.5, 60.0, 50, 1.0, 8, tmp_path)
    assert result["lost"] == 0 and result["dead_lettered"] == 0
    assert result["answers_429"] > 0  # the limit really bit
    assert result["share_of_limit"] >= 0.9, result


def test_one_run_at_a_time_per_state_file(tmp_path: Path) -> None:
    first = StateStore(tmp_path / "s.sqlite")
    with pytest.raises(UsageError, match="another triage run is using --state"):
        StateStore(tmp_path / "s.sqlite")
    first.close()
    StateStore(tmp_path / "s.sqlite").close()  # released on close (and by the OS when a process dies)
