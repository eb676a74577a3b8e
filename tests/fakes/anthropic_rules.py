"""What the Messages API checks before a model sees a request, and how it bills the prompt cache,
for the loopback stand-ins (`anthropic_server`, `anthropic_mock`).

The 400 texts are the API's own, as published (see `agent.models.strict_limits` and
`agent.models.anthropic_quirks` for the sources). A profile says what the server supports:
`CLAUDE` is the Messages API; `OLLAMA` is Ollama's documented subset (no `tool_choice`, no
`cache_control`, no strict tools), whose refusals are worded here, not quoted.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

from agent.models.strict_limits import (
    MAX_OPTIONAL_PARAMETERS,
    MAX_STRICT_TOOLS,
    MAX_UNION_PARAMETERS,
    count_strict,
)

FORCING_REJECTED_TEXT = 'tool_choice: type "tool" and "any" are not supported for this model.'
MIN_CACHEABLE_TOKENS = 1024
CHARS_PER_TOKEN = 4


@dataclass(frozen=True)
class Profile:
    """What a server accepts."""

    name: str
    rejects_forcing: tuple[str, ...] = ()
    """Model ids that answer a forced tool choice with 400."""
    tool_choice: bool = True
    cache_control: bool = True
    strict_tools: bool = True


CLAUDE = Profile("anthropic", rejects_forcing=("claude-sonnet-5-5", "claude-opus-5-5", "claude-fable-5-1"))
OLLAMA = Profile("ollama", tool_choice=False, cache_control=False, strict_tools=False)


def _has_cache_control(node: Any) -> bool:
    if isinstance(node, dict):
        return "cache_control" in node or any(_has_cache_control(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_cache_control(v) for v in node)
    return False


def rejection(body: dict[str, Any], profile: Profile) -> str | None:
    """The 400 `invalid_request_error` message the server answers `body` with, or None."""
    tools = body.get("tools") or []
    choice = body.get("tool_choice")
    if not profile.tool_choice and choice is not None:
        return f"{profile.name}: tool_choice is not supported"
    if not profile.cache_control and _has_cache_control({k: v for k, v in body.items() if k != "tools"} | {"t": tools}):
        return f"{profile.name}: cache_control is not supported"
    if not profile.strict_tools and any(t.get("strict") for t in tools):
        return f"{profile.name}: strict tools are not supported"
    if isinstance(choice, dict) and choice.get("type") in ("tool", "any"):
        model = str(body.get("model"))
        if any(model == m or model.startswith(m + "-") for m in profile.rejects_forcing):
            return FORCING_REJECTED_TEXT
    count = count_strict(tools)
    if count.tools > MAX_STRICT_TOOLS:
        return f"Too many strict tools ({count.tools}). The maximum number of strict tools is {MAX_STRICT_TOOLS}."
    if count.optional > MAX_OPTIONAL_PARAMETERS:
        return (
            f"Schemas contains too many optional parameters ({count.optional}), which would make grammar "
            f"compilation inefficient. Reduce the number of optional parameters in your tool schemas "
            f"(limit: {MAX_OPTIONAL_PARAMETERS})."
        )
    if count.unions > MAX_UNION_PARAMETERS:
        return (
            f"Schemas contains too many parameters with union types ({count.unions}), which would make grammar "
            f"compilation inefficient. Reduce the number of parameters with union types (limit: "
            f"{MAX_UNION_PARAMETERS})."
        )
    return _unanswered_tool_use(body.get("messages") or [])


def _unanswered_tool_use(messages: list[dict[str, Any]]) -> str | None:
    for i, message in enumerate(messages):
        if message.get("role") != "assistant" or not isinstance(message.get("content"), list):
            continue
        asked = [b["id"] for b in message["content"] if b.get("type") == "tool_use"]
        if not asked:
            continue
        after = messages[i + 1]["content"] if i + 1 < len(messages) else []
        answered = {b.get("tool_use_id") for b in after if isinstance(b, dict) and b.get("type") == "tool_result"}
        missing = [a for a in asked if a not in answered]
        if missing:
            return (
                f"messages.{i + 1}: `tool_use` ids were found without `tool_result` blocks immediately after: "
                f"{', '.join(missing)}. Each `tool_use` block must have a corresponding `tool_result` block in "
                "the next message."
            )
    return None


@dataclass
class PromptCache:
    """Bills a request's prompt the way the API does: the prefix up to the last breakpoint is read
    from the cache when an earlier request wrote it (the API looks back from each breakpoint for the
    longest cached prefix), the rest of that prefix is written, tokens after it are plain input.
    Tokens are characters / 4 of the request's JSON units in cache order (tools, system, messages)."""

    written: set[str] = field(default_factory=set)

    def usage(self, body: dict[str, Any]) -> dict[str, int]:
        """`input_tokens`, `cache_creation_input_tokens`, `cache_read_input_tokens` for `body`."""
        units: list[Any] = [*(body.get("tools") or []), *(body.get("system") or [])]
        for message in body.get("messages") or []:
            content = message["content"]
            blocks = content if isinstance(content, list) else [{"type": "text", "text": content}]
            units += [{"role": message["role"], **b} for b in blocks]
        texts = [json.dumps(_plain(u), sort_keys=True) for u in units]
        size = [math.ceil(len("".join(texts[:k])) / CHARS_PER_TOKEN) for k in range(len(texts) + 1)]
        key = [hashlib.sha256("".join(texts[:k]).encode()).hexdigest() for k in range(len(texts) + 1)]
        marks = [i + 1 for i, u in enumerate(units) if isinstance(u, dict) and "cache_control" in u]
        cacheable = [k for k in marks if size[k] >= MIN_CACHEABLE_TOKENS]
        last = cacheable[-1] if cacheable else 0
        hit = max((size[k] for k in range(1, last + 1) if key[k] in self.written), default=0)
        write = size[last] - hit if last else 0
        self.written.update(key[k] for k in cacheable)
        return {
            "input_tokens": size[-1] - hit - write,
            "cache_creation_input_tokens": write,
            "cache_read_input_tokens": hit,
        }


def _plain(unit: Any) -> Any:
    return {k: v for k, v in unit.items() if k != "cache_control"} if isinstance(unit, dict) else unit
