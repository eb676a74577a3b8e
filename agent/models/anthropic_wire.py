"""Translation between the model seam and Messages API payloads, as plain dicts.

Kept apart from `agent.models.anthropic` so it can be read and tested without importing the SDK
(only that module imports `anthropic`). Facts this relies on (Messages API, SDK 2.x):

- Prompt caching covers the prefix in the order tools -> system -> messages up to a block marked
  `cache_control`; at most 4 breakpoints. We mark the last tool, the last system block and, on
  gather turns, the last block of the conversation, so each gather turn reads the previous turn's
  prefix from the cache.
- Every `tool_use` must be answered by a `tool_result` in the very next user message, and in that
  message the `tool_result` blocks come before any text.
- With thinking on (adaptive thinking is the default on current models), an assistant turn that
  called tools must be sent back exactly as received, thinking blocks included; the caller passes
  those raw blocks in through `echo`.
- Claude Sonnet 5.5, Opus 5.5 and Fable/Mythos 5.1 reject a forced `tool_choice` with a 400, so for
  them extraction asks with `auto` and only the extraction tool on offer (the extract step repairs
  a turn without the tool call).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from agent.models.base import Message, ModelRequest, ModelTurn, StopReason, ToolCall, ToolResult, Usage

DEFAULT_MODEL = "claude-sonnet-5"
"""Current Sonnet that still accepts a forced tool choice (the 5.5 generation rejects it)."""

_FORCING_REJECTED = ("claude-sonnet-5-5", "claude-opus-5-5", "claude-fable-5-1", "claude-mythos-5-1")

_EPHEMERAL: dict[str, str] = {"type": "ephemeral"}

_STOP_REASONS: dict[str, StopReason] = {
    "end_turn": "end_turn",
    "tool_use": "tool_use",
    "max_tokens": "max_tokens",
    "refusal": "refusal",
    "stop_sequence": "stop_sequence",
    "pause_turn": "pause_turn",
}

_CLOSING_TAG = re.compile(r"</(data\b)", re.IGNORECASE)

Echo = Callable[[Sequence[str]], list[dict[str, Any]] | None]
"""Looks up the raw content blocks of an earlier assistant turn by its tool-call ids."""


def forced_tool_supported(model_id: str) -> bool:
    """Whether the model accepts `tool_choice={"type": "tool", ...}`."""
    return not any(
        model_id == m or model_id.startswith(m + "-") or model_id.startswith(m + "[") for m in _FORCING_REJECTED
    )


def data_block(result: ToolResult, tool_name: str) -> str:
    """A tool result's content framed as untrusted data, as prompts/system.j2 describes it.

    A literal `</data` inside the content is written `<\\/data`: in JSON that is the same string, and
    it keeps a record from closing the block early and posing as instructions.
    """
    body = _CLOSING_TAG.sub(r"<\\/\1", result.content)
    error = ' error="true"' if result.is_error else ""
    return f'<data kind="tool_result" tool="{tool_name}" tool_use_id="{result.tool_call_id}"{error}>\n{body}\n</data>'


def _user_blocks(message: Message, names: Mapping[str, str]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [
        {
            "type": "tool_result",
            "tool_use_id": r.tool_call_id,
            "content": data_block(r, names.get(r.tool_call_id, "unknown")),
            "is_error": r.is_error,
        }
        for r in message.tool_results
    ]
    if message.text:
        blocks.append({"type": "text", "text": message.text})
    return blocks


def _assistant_blocks(message: Message, echo: Echo | None) -> list[dict[str, Any]]:
    ids = [c.id for c in message.tool_calls]
    raw = echo(ids) if echo and ids else None
    if raw is not None:
        return [dict(block) for block in raw]
    blocks: list[dict[str, Any]] = [{"type": "text", "text": message.text}] if message.text else []
    blocks += [{"type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments} for c in message.tool_calls]
    return blocks


def _merge(role: str, first: list[dict[str, Any]], second: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if role != "user":
        return first + second
    combined = first + second
    return [b for b in combined if b["type"] == "tool_result"] + [b for b in combined if b["type"] != "tool_result"]


def build_messages(
    messages: Sequence[Message], echo: Echo | None = None, *, cache_last: bool = True
) -> list[dict[str, Any]]:
    """API messages: consecutive same-role messages merged, empty ones dropped, results paired by id.
    With `cache_last`, the last block is a cache breakpoint (the next turn reads the conversation)."""
    names = {c.id: c.name for m in messages for c in m.tool_calls}
    out: list[dict[str, Any]] = []
    for message in messages:
        blocks = _user_blocks(message, names) if message.role == "user" else _assistant_blocks(message, echo)
        if not blocks:
            continue
        if out and out[-1]["role"] == message.role:
            out[-1]["content"] = _merge(message.role, out[-1]["content"], blocks)
        else:
            out.append({"role": message.role, "content": blocks})
    if cache_last and out and out[-1]["content"]:
        last = out[-1]["content"][-1]
        if last["type"] in ("text", "tool_result"):
            out[-1]["content"][-1] = {**last, "cache_control": dict(_EPHEMERAL)}
    return out


def build_params(
    request: ModelRequest, model_id: str, *, strict_tools: bool = True, echo: Echo | None = None
) -> dict[str, Any]:
    """Keyword arguments for `client.messages.create`."""
    params: dict[str, Any] = {
        "model": model_id,
        "max_tokens": request.max_tokens,
        # Only gather turns are followed by a turn that re-reads the same conversation; an extraction
        # is (almost always) the last call, so writing its conversation to the cache would only add
        # the 25% cache-write premium.
        "messages": build_messages(request.messages, echo, cache_last=request.purpose == "gather"),
    }
    if request.system:
        params["system"] = [{"type": "text", "text": request.system, "cache_control": dict(_EPHEMERAL)}]
    if request.tools:
        tools: list[dict[str, Any]] = []
        for spec in request.tools:
            tool: dict[str, Any] = {
                "name": spec.name,
                "description": spec.description,
                "input_schema": spec.input_schema,
            }
            if spec.strict and strict_tools:
                tool["strict"] = True
            tools.append(tool)
        tools[-1]["cache_control"] = dict(_EPHEMERAL)
        params["tools"] = tools
        if request.force_tool and forced_tool_supported(model_id):
            params["tool_choice"] = {"type": "tool", "name": request.force_tool, "disable_parallel_tool_use": True}
        elif request.force_tool:
            params["tool_choice"] = {"type": "auto", "disable_parallel_tool_use": True}
        else:
            params["tool_choice"] = {"type": "auto"}
    return params


def has_strict_tools(params: Mapping[str, Any]) -> bool:
    """Whether the request asks for constrained decoding on any tool."""
    return any(tool.get("strict") for tool in params.get("tools", []))


def parse_message(data: Mapping[str, Any]) -> ModelTurn:
    """A `ModelTurn` from a Messages API response body (or the SDK message's `to_dict()`)."""
    texts: list[str] = []
    calls: list[ToolCall] = []
    for block in data.get("content") or []:
        kind = block.get("type")
        if kind == "text" and block.get("text"):
            texts.append(block["text"])
        elif kind == "tool_use":
            arguments = block.get("input")
            calls.append(
                ToolCall(id=block["id"], name=block["name"], arguments=arguments if isinstance(arguments, dict) else {})
            )
    usage = data.get("usage") or {}
    return ModelTurn(
        text="\n".join(texts),
        tool_calls=calls,
        stop_reason=_STOP_REASONS.get(str(data.get("stop_reason")), "other"),
        usage=Usage(
            input_tokens=int(usage.get("input_tokens") or 0),
            output_tokens=int(usage.get("output_tokens") or 0),
            cache_read_tokens=int(usage.get("cache_read_input_tokens") or 0),
            cache_write_tokens=int(usage.get("cache_creation_input_tokens") or 0),
            calls=1,
        ),
    )


def needs_echo(data: Mapping[str, Any]) -> bool:
    """Whether a response holds blocks that must go back verbatim with its tool results."""
    kinds = {block.get("type") for block in data.get("content") or []}
    return "tool_use" in kinds and bool(kinds & {"thinking", "redacted_thinking"})
