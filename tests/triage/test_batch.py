"""`--batch-api`: Message Batches over an in-process fake (httpx2.MockTransport): one batch per
submission keyed by the idempotency keys, polling, results joined in any order, resume by the
stored batch id without a second create, and retries of retryable failures only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from agent.decide.policy import load_policy
from agent.models.base import ModelCapabilities
from agent.models.offline.extractor import extract_offline
from agent.models.offline.model import OfflineModel
from agent.triage.batch_api import BatchOptions, BatchRunner
from agent.triage.input import QueueItem
from agent.triage.keys import WorkKey
from agent.triage.limiter import ScaledClock
from agent.triage.runner import work_keys
from agent.triage.store import StateStore
from agent.triage.ticket import Lookup, TicketTriager, brief_request
from tests.fakes.batches import FakeBatchesAPI, errored, succeeded
from tests.fakes.triage import NOW, item

ITEMS = [
    item("1", "Acme Corp", "CSV export is missing rows", "Export drops rows; month-end close is blocked."),
    item("2", "Globex", "SSO login loop", "Okta login loops; nobody can log in."),
    item("3", "Initech", "How do I add a user?", "How can I invite a colleague?"),
    item("4", "Hooli", "Webhooks late", "Webhook deliveries arrive hours late."),
    item("5", "Umbrella Health", "Dark mode please", "We'd love a dark theme."),
    item("6", "Soylent", "API returns 500", "Our API calls fail with HTTP 500 errors since Monday."),
]


class Claude:
    """The model identity batches are keyed by (batches never call `complete`)."""

    name = "anthropic:claude-test"
    capabilities = ModelCapabilities(batches=True, price_id="claude-test")

    def complete(self, request: Any) -> Any:
        raise AssertionError("the batch path must not call the Messages API one by one")


def triager() -> TicketTriager:
    return TicketTriager(Lookup(None), load_policy(), Claude(), NOW)  # type: ignore[arg-type]


def keyed() -> tuple[dict[str, WorkKey], dict[str, QueueItem]]:
    keys = work_keys(ITEMS, triager())
    return keys, {keys[i.id].key: i for i in ITEMS}


def extraction_for(it: QueueItem) -> dict[str, Any]:
    return extract_offline(brief_request(it, NOW).as_data(), [it.ticket], NOW).model_dump(mode="json")


def always_succeeds(key: str, params: dict[str, Any], round_no: int) -> dict[str, Any]:
    return succeeded(extraction_for(keyed()[1][key]))


def runner(store: StateStore, api: FakeBatchesAPI, **kw: Any) -> BatchRunner:
    options = BatchOptions(client=api.client(), model_id="claude-test", poll_interval=5.0, clock=ScaledClock(10_000))
    return BatchRunner(store, triager(), options, **kw)


def statuses(store: StateStore) -> dict[str, tuple[str, int]]:
    keys, _ = keyed()
    states = store.states(k.key for k in keys.values())
    return {tid: (states[k.key].status, states[k.key].attempts) for tid, k in keys.items()}


def test_one_batch_keyed_by_idempotency_keys_polled_and_joined_in_any_order(tmp_path: Path) -> None:
    api = FakeBatchesAPI(always_succeeds, polls_before_end=3)
    store = StateStore(tmp_path / "s.sqlite")
    keys, _ = keyed()
    stats = runner(store, api).run(ITEMS, keys)

    assert (stats.done, stats.dead, api.creates) == (6, 0, 1)
    assert api.retrieves >= 3  # polled until ended
    [sent] = api.created
    assert sorted(r["custom_id"] for r in sent) == sorted(k.key for k in keys.values())
    params = sent[0]["params"]
    assert params["model"] == "claude-test" and params["tool_choice"]["name"] == "record_extraction"
    assert any('<data kind="request">' in b.get("text", "") for m in params["messages"] for b in m["content"])
    results_order = [r["custom_id"] for r in api.batches["msgbatch_01"]["results"]]
    assert results_order != [r["custom_id"] for r in sent]  # the fake really shuffled them

    # Joined on custom_id: each ticket's stored decision is the one its own extraction gives.
    fast = TicketTriager(Lookup(None), load_policy(), OfflineModel(), NOW)
    summaries = store.summaries(k.key for k in keys.values())
    for it in ITEMS:
        mine, expected = summaries[keys[it.id].key], fast.triage(it).summary
        assert mine["id"] == it.id
        assert (mine["escalate"], mine["priority"], mine["target_team"]) == (
            expected["escalate"],
            expected["priority"],
            expected["target_team"],
        )
    assert set(statuses(store).values()) == {("done", 1)}


def test_a_killed_run_resumes_by_the_stored_batch_id_without_a_second_create(tmp_path: Path) -> None:
    api = FakeBatchesAPI(always_succeeds, polls_before_end=4)
    path = tmp_path / "s.sqlite"
    keys, _ = keyed()
    dying = StateStore(path)
    first = runner(dying, api)

    def killed(seconds: float) -> None:
        raise KeyboardInterrupt  # the process dies while it waits between polls

    first.clock.sleep = killed  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        first.run(ITEMS, keys)
    dying.close()  # what the OS does for a dead process; every state change was already committed
    assert api.creates == 1

    store = StateStore(path)
    [open_batch] = store.open_batches()
    assert open_batch.batch_id == "msgbatch_01"
    second = runner(store, api)
    stats = second.run(ITEMS, keys)
    assert (stats.done, second.creates, api.creates) == (6, 0, 1)
    assert set(statuses(store).values()) == {("done", 1)}
    assert runner(store, api).run(ITEMS, keys).done == 0 and api.creates == 1


def test_a_crash_before_the_batch_id_was_stored_adopts_the_batch_instead_of_creating_another(tmp_path: Path) -> None:
    api = FakeBatchesAPI(always_succeeds)
    path = tmp_path / "s.sqlite"
    keys, _ = keyed()
    dying = StateStore(path)

    def crash(row: int, batch_id: str) -> None:
        raise KeyboardInterrupt  # the API accepted the batch; the process died before recording it

    dying.set_batch_id = crash  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        runner(dying, api).run(ITEMS, keys)
    dying.close()
    assert api.creates == 1

    store = StateStore(path)
    [pending] = store.open_batches()
    assert pending.batch_id is None and pending.status == "submitting"
    stats = runner(store, api).run(ITEMS, keys)
    assert (stats.done, api.creates) == (6, 1)
    assert set(statuses(store).values()) == {("done", 1)}


def test_retryable_failures_go_in_a_later_batch_and_fatal_ones_are_dead_lettered(tmp_path: Path) -> None:
    keys, by_key = keyed()

    def answer(key: str, params: dict[str, Any], round_no: int) -> dict[str, Any]:
        ticket = by_key[key].id
        if ticket == "1" and round_no == 0:
            return errored("overloaded_error", "Overloaded")
        if ticket == "2":
            return errored("invalid_request_error", "prompt is too long")
        if ticket == "3":
            return {"type": "expired"}
        if ticket == "4" and round_no == 0:
            return succeeded({"summary": "not a valid extraction"})
        return succeeded(extraction_for(by_key[key]))

    api = FakeBatchesAPI(answer, polls_before_end=1)
    store = StateStore(tmp_path / "s.sqlite")
    stats = runner(store, api, max_attempts=2).run(ITEMS, keys)

    assert api.creates == 2
    resubmitted = {by_key[r["custom_id"]].id for r in api.created[1]}
    assert resubmitted == {"1", "3", "4"}
    final = statuses(store)
    assert final["1"] == ("done", 2) and final["4"] == ("done", 2) and final["5"] == ("done", 1)
    assert final["2"] == ("dead", 1)  # invalid request: no retry
    assert final["3"] == ("dead", 2)  # expired twice: out of attempts
    assert (stats.done, stats.dead) == (4, 2)
    errors = {s.ticket_id: s.last_error for s in store.states(k.key for k in keys.values()).values()}
    assert "invalid_request_error" in (errors["2"] or "") and "expired" in (errors["3"] or "")


def test_with_the_offline_fallback_a_ticket_the_batch_cannot_triage_is_read_offline(tmp_path: Path) -> None:
    keys, by_key = keyed()

    def answer(key: str, params: dict[str, Any], round_no: int) -> dict[str, Any]:
        if by_key[key].id == "2":
            return errored("invalid_request_error", "prompt is too long")
        return succeeded(extraction_for(by_key[key]))

    api = FakeBatchesAPI(answer, polls_before_end=1)
    store = StateStore(tmp_path / "s.sqlite")
    offline = TicketTriager(Lookup(None), load_policy(), OfflineModel(), NOW)
    stats = runner(store, api, max_attempts=2, fallback=offline.triage).run(ITEMS, keys)
    final = statuses(store)
    assert final["2"][0] == "done" and stats.dead == 0 and stats.fell_back == 1
    state = store.states([keys["2"].key])[keys["2"].key]
    assert state.fallback and "invalid_request_error" in (state.last_error or "")
