"""Tool calls made before the model's first turn, as the conversation a model reads: the opening
request, one assistant turn with the calls, one user turn with their results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agent.gather.tools import records_json
from agent.models.base import Message, ToolCall, ToolResult
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
    calls = [call for call, _ in groups]
    results = [ToolResult(tool_call_id=call.id, content=records_json(records)) for call, records in groups]
    messages = [Message(role="user", text=opening)]
    if calls:
        messages += [Message(role="assistant", tool_calls=calls), Message(role="user", tool_results=results)]
    return Prefetched(system=system_prompt(today=now.date().isoformat()), messages=messages)
