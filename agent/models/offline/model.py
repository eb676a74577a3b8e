"""The offline model: deterministic, no network, the default when no API key is set.

It runs the same gather loop and tools as Claude: it reads the request from the request's
structured context and the records from earlier typed tool results, plans the next tool calls, and
answers the extraction request with the offline extractor. Its reasoning is inspectable:
heuristics in `agent.models.offline`.
"""

from __future__ import annotations

from agent.models.base import ModelCapabilities, ModelError, ModelRequest, ModelTurn, ToolCall, Usage

CAPABILITIES = ModelCapabilities(
    forced_tool_choice=True,
    max_gather_turns=4,
    prefetch=False,  # it plans its own first searches (and its briefs must not change)
    in_process=True,
    free=True,
)
EXTRACTION_CALL_ID = "offline_extract"


class OfflineModel:
    """Plans tool calls and extracts fields with transparent heuristics."""

    @property
    def name(self) -> str:
        return "offline"

    @property
    def capabilities(self) -> ModelCapabilities:
        """In-process, free, deterministic; plans its own gather turns."""
        return CAPABILITIES

    def complete(self, request: ModelRequest) -> ModelTurn:
        if request.context is None:
            raise ModelError("offline model: the request carries no request context")
        data = request.context.as_data()
        records = request.gathered_records()
        if request.purpose == "extract":
            from agent.models.offline.extractor import extract_offline

            tool = request.output_tool
            if tool is None:
                raise ModelError("offline model: the extraction request offers no extraction tool")
            extraction = extract_offline(data, records, request.context.now)
            call = ToolCall(id=EXTRACTION_CALL_ID, name=tool, arguments=extraction.model_dump(mode="json"))
            return ModelTurn(tool_calls=[call], stop_reason="tool_use", usage=Usage(calls=1))
        from agent.models.offline.planner import plan_turn

        made = [c for m in request.messages for c in m.tool_calls]
        calls = plan_turn(data, made, records, [t.name for t in request.tools])
        if not calls:
            return ModelTurn(text=f"Gathered {len(records)} records.", stop_reason="end_turn", usage=Usage(calls=1))
        return ModelTurn(tool_calls=calls, stop_reason="tool_use", usage=Usage(calls=1))
