"""Message Batches requests come from the same builder as the Messages path, with the 1-hour cache
TTL, a strict schema within the limits, and the run's learnt downgrades."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agent.decide.policy import load_policy
from agent.models import anthropic_quirks as quirks
from agent.models.anthropic_wire import build_params
from agent.models.offline.extractor import extract_offline
from agent.models.strict_limits import count_strict
from agent.triage.batch_api import BatchOptions, BatchRunner
from agent.triage.limiter import ScaledClock
from agent.triage.runner import work_keys
from agent.triage.store import StateStore
from agent.triage.ticket import Lookup, TicketTriager, brief_request
from tests.fakes.batches import FakeBatchesAPI, errored, succeeded
from tests.fakes.triage import NOW, item

MODEL_ID = "claude-sonnet-5"
ITEMS = [
    item("1", "Acme Corp", "CSV export is missing rows", "Export drops rows; month-end close is blocked."),
    item("2", "Globex", "SSO login loop", "Okta login loops; nobody can log in."),
]


class Claude:
    """The identity batches are keyed by (batches never call `complete`)."""

    name = f"anthropic:{MODEL_ID}"
    capabilities = quirks.claude_capabilities(MODEL_ID)

    def complete(self, request: Any) -> Any:
        raise AssertionError("the batch path must not call the Messages API one by one")


def triager() -> TicketTriager:
    return TicketTriager(Lookup(None), load_policy(), Claude(), NOW)  # type: ignore[arg-type]


def runner(tmp_path: Path, api: FakeBatchesAPI) -> tuple[BatchRunner, StateStore]:
    store = StateStore(tmp_path / "s.sqlite")
    options = BatchOptions(client=api.client(), model_id=MODEL_ID, poll_interval=5.0, clock=ScaledClock(10_000))
    return BatchRunner(store, triager(), options, max_attempts=3), store


def answer_for(by_key: dict[str, Any]) -> Any:
    def answer(key: str, params: dict[str, Any], round_no: int) -> dict[str, Any]:
        it = by_key[key]
        return succeeded(extract_offline(brief_request(it, NOW).as_data(), [it.ticket], NOW).model_dump(mode="json"))

    return answer


def test_batch_params_are_the_briefs_builder_with_the_one_hour_ttl(tmp_path: Path) -> None:
    keys = work_keys(ITEMS, triager())
    by_key = {keys[i.id].key: i for i in ITEMS}
    api = FakeBatchesAPI(answer_for(by_key), polls_before_end=1)
    batch, _ = runner(tmp_path, api)
    stats = batch.run(ITEMS, keys)
    assert (stats.done, stats.dead) == (2, 0)
    [sent] = api.created
    for entry in sent:
        request = triager().model_request(by_key[entry["custom_id"]])
        caps = quirks.claude_capabilities(MODEL_ID)
        assert entry["params"] == build_params(request, MODEL_ID, caps, cache_ttl="1h")
        text = json.dumps(entry["params"])
        # tools and system, shared by every ticket of the batch (each conversation is asked once)
        assert text.count('"cache_control"') == 2 and text.count('"ttl": "1h"') == 2
        assert entry["params"]["system"][0]["cache_control"] == {"type": "ephemeral", "ttl": "1h"}
        assert count_strict(entry["params"]["tools"]).within_limits()
        assert entry["params"]["tools"][-1]["strict"] is True


def test_a_schema_limit_error_in_a_batch_is_remembered_and_the_retry_goes_non_strict(tmp_path: Path) -> None:
    keys = work_keys(ITEMS, triager())
    by_key = {keys[i.id].key: i for i in ITEMS}
    good = answer_for(by_key)

    def answer(key: str, params: dict[str, Any], round_no: int) -> dict[str, Any]:
        if round_no == 0:
            text = "Schemas contains too many parameters with union types (19) ... (limit: 16)"
            return errored("invalid_request_error", text.upper())
        return good(key, params, round_no)

    api = FakeBatchesAPI(answer, polls_before_end=1)
    batch, _ = runner(tmp_path, api)
    stats = batch.run(ITEMS, keys)
    assert (stats.done, stats.dead, api.creates) == (2, 0, 2)
    assert quirks.learnt(MODEL_ID) == {"strict_tools"}
    first, second = api.created
    assert all(e["params"]["tools"][-1].get("strict") for e in first)
    assert not any(e["params"]["tools"][-1].get("strict") for e in second)
