"""A conversation that starts with gathering done: the opening request, then the tool turn of
`prefetch_messages` (the calls and the records they returned)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agent.gather.prefetch import prefetch_messages
from agent.models.base import Message, ToolCall
from agent.prompting import gather_prompt, system_prompt
from connectors.records import Record


@dataclass(frozen=True)
class Prefetched:
    """A conversation that starts with gathering already done."""

    system: str
    messages: list[Message]


def describe(call: ToolCall) -> str:
    """The call as the sources list shows it, e.g. `get_ticket(ticket_id='1042')`."""
    arguments = ", ".join(f"{k}={v!r}" for k, v in call.arguments.items())
    return f"{call.name}({arguments})"


def prefetched_conversation(
    request: dict[str, Any], groups: Sequence[tuple[ToolCall, Sequence[Record]]], now: datetime
) -> Prefetched:
    """The system prompt and the messages for `request` with `groups` (each call and the records
    it returned) already answered."""
    opening = gather_prompt(request, sorted({call.name for call, _ in groups}))
    messages = [Message(role="user", text=opening), *prefetch_messages(list(groups))]
    return Prefetched(system=system_prompt(today=now.date().isoformat()), messages=messages)
