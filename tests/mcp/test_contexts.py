"""Contexts kept between gather_context and assess_extraction: records expire and are gathered
again from the same inputs; ids whose inputs expired too, or never issued, are unknown."""

from __future__ import annotations

import pytest

from agent.decide.policy import load_policy
from agent.mcp.contexts import MAX_CONTEXTS, ContextStore, GatherInputs, UnknownContext
from agent.mcp.host_tools import regather
from agent.models.factory import make_model
from agent.service import BriefService, HostContext, gather_context

SERVICE = BriefService(model=make_model("offline"), policy=load_policy(None), workspace="demo")
REQUEST = "Data export is missing rows — 3 customers reported this week"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def first_gather() -> tuple[GatherInputs, HostContext]:
    context = gather_context(SERVICE, REQUEST, date="2026-11-27")
    return GatherInputs(REQUEST, None, None, None, context.request.now.isoformat()), context


def test_expired_records_are_gathered_again_from_the_same_inputs() -> None:
    clock, calls = Clock(), []

    def counting(inputs: GatherInputs) -> HostContext:
        calls.append(inputs)
        return regather(SERVICE, inputs)

    store = ContextStore(counting, ttl=60, keep_inputs=3600, clock=clock)
    inputs, context = first_gather()
    context_id = store.put(inputs, context)
    assert store.get(context_id) is context and calls == []
    clock.now = 61
    again = store.get(context_id)
    assert calls == [inputs] and again is not context
    assert set(again.gathered.records) == set(context.gathered.records)  # arrival order may differ
    assert again.request == context.request
    assert store.get(context_id) is again  # kept for another ttl
    clock.now = 3600
    with pytest.raises(UnknownContext):
        store.get(context_id)
    with pytest.raises(UnknownContext):
        store.get("ctx_never_issued")


def test_only_the_most_recent_contexts_hold_their_records() -> None:
    clock, calls = Clock(), []
    inputs, context = first_gather()

    def counting(given: GatherInputs) -> HostContext:
        calls.append(given)
        return context

    store = ContextStore(counting, clock=clock)
    ids = [store.put(inputs, context) for _ in range(MAX_CONTEXTS + 1)]
    assert store.get(ids[-1]) is context and calls == []
    store.get(ids[0])  # its records were let go; its inputs were not
    assert calls == [inputs]
