"""The offline model: deterministic, no network, the default when no API key is set.

It runs the same gather loop and tools as Claude: it reads the request and earlier tool results
from the conversation, plans the next tool calls, and answers the forced extraction tool with the
offline extractor. Its reasoning is inspectable: heuristics in `agent.models.offline`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from agent.models.base import Message, ModelError, ModelRequest, ModelTurn, ToolCall, Usage
from connectors.records import RECORDS_ADAPTER, Record

REQUEST_BLOCK = re.compile(r'<data kind="request">\s*(\{.*?\})\s*</data>', re.S)


def read_request(messages: list[Message]) -> dict[str, Any]:
    """The request data from the opening message's <data kind="request"> block."""
    for message in messages:
        if message.role == "user" and (match := REQUEST_BLOCK.search(message.text)):
            data: dict[str, Any] = json.loads(match.group(1))
            return data
    raise ModelError("offline model: the conversation has no request block")


def read_records(messages: list[Message]) -> list[Record]:
    """Every record returned by earlier tool calls, in order."""
    records: list[Record] = []
    for message in messages:
        for result in message.tool_results:
            if result.is_error:
                continue
            try:
                payload = json.loads(result.content)
            except json.JSONDecodeError:
                continue
            records.extend(RECORDS_ADAPTER.validate_python(payload.get("records", [])))
    return records


class OfflineModel:
    """Plans tool calls and extracts fields with transparent heuristics."""

    @property
    def name(self) -> str:
        return "offline"

    def complete(self, request: ModelRequest) -> ModelTurn:
        data = read_request(request.messages)
        records = read_records(request.messages)
        if request.force_tool:
            from agent.models.offline.extractor import extract_offline
            from agent.models.offline.planner import now_of

            extraction = extract_offline(data, records, now_of(data))
            call = ToolCall(id="offline_extract", name=request.force_tool, arguments=extraction.model_dump(mode="json"))
            return ModelTurn(tool_calls=[call], stop_reason="tool_use", usage=Usage(calls=1))
        from agent.models.offline.planner import plan_turn

        made = [c for m in request.messages for c in m.tool_calls]
        calls = plan_turn(data, made, records, [t.name for t in request.tools])
        if not calls:
            return ModelTurn(text=f"Gathered {len(records)} records.", stop_reason="end_turn", usage=Usage(calls=1))
        return ModelTurn(tool_calls=calls, stop_reason="tool_use", usage=Usage(calls=1))
