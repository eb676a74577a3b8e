"""A scripted model that behaves as Claude does on a brief, for counting model calls and tokens.

No machine here reaches the API, so per-brief cost is measured against this stand-in. It follows
the tool-calling pattern Claude shows on this task:

1. the pipeline's deterministic prefetch has run the independent searches (tickets, account,
   chat, tracker, KB) and handed them over as tool results;
2. call 1: get_ticket / get_tracker_issue for up to two tickets and two issues the searches found
   (or, when there is nothing to open, the `record_extraction` call at once);
3. call 2: the `record_extraction` call.

Without the prefetch (a model profile that does not want it) it makes the searches itself first.

Usage is an ESTIMATE, not a measurement of Claude:
- tokens ~= characters / 4 of the exact request body `AnthropicModel` would send (built with the
  same `build_params`), plus Anthropic's tool-use system prompt (~346 tokens when tools are offered);
- prompt caching is simulated at the breakpoints `AnthropicModel` marks (last tool, system, end of
  the conversation's fixed prefix): a prefix of at least 1,024 tokens is written once and read by
  later calls that share it (every call offers the same tools array);
- output tokens ~= characters / 4 of the returned blocks; adaptive-thinking tokens (billed as
  output on current models) are not modelled unless `thinking_tokens` is set.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from typing import Any

from agent.extract.schema import Evidence, Extraction
from agent.models.anthropic_quirks import claude_capabilities
from agent.models.anthropic_wire import DEFAULT_MODEL, build_params
from agent.models.base import ModelCapabilities, ModelRequest, ModelTurn, ToolCall, Usage
from agent.models.scripted import ScriptedModel
from agent.prompting import EXTRACTION_TOOL

CHARS_PER_TOKEN = 4
TOOL_PROMPT_TOKENS = 346
MIN_CACHEABLE_TOKENS = 1024
_FIRST = ("search_tickets", "find_account", "search_chat", "search_tracker", "search_kb")

ExtractionBuilder = Callable[[ModelRequest, list[dict[str, Any]]], Extraction]
"""Builds the extraction from the request and the gathered records (as JSON dicts)."""


def tokens(text: str) -> int:
    """Estimated tokens for a text."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


class ClaudeLike:
    """A deterministic `Model` that calls tools as Claude would and reports estimated usage."""

    def __init__(
        self, extraction: ExtractionBuilder | None = None, model_id: str = DEFAULT_MODEL, thinking_tokens: int = 0
    ) -> None:
        self.model_id = model_id
        """The Claude model the estimate stands for (price it with `estimate_cost(usage, model_id)`)."""
        self._extraction = extraction or basic_extraction
        self._thinking = thinking_tokens
        self._written: set[str] = set()
        self._ids = 0
        self.requests: list[ModelRequest] = []

    @property
    def name(self) -> str:
        """Marks output produced by the estimate, never mistaken for Claude's."""
        return f"scripted:claude-like({self.model_id})"

    @property
    def capabilities(self) -> ModelCapabilities:
        """Those of the Claude model it stands for (priced as that model)."""
        return claude_capabilities(self.model_id)

    def complete(self, request: ModelRequest) -> ModelTurn:
        """The next Claude-like turn for `request`, with estimated usage."""
        self.requests.append(request)
        records = gathered_records(request)
        called = {c.name for m in request.messages for c in m.tool_calls}
        calls = [] if request.purpose == "extract" else follow_ups(records, request)
        if not called and request.purpose == "gather":
            turn = self._first_turn(request)
        elif calls:
            turn = ModelTurn(
                text="Reading the linked ticket and tracker issue in full.",
                tool_calls=[self._call(n, a) for n, a in calls],
                stop_reason="tool_use",
            )
        else:
            extraction = self._extraction(request, records)
            # A strict schema has every field required, so the model writes the defaults out too.
            strict = any(spec.strict for spec in request.tools) and self.capabilities.strict_tools
            call = self._call(EXTRACTION_TOOL, extraction.model_dump(mode="json", exclude_defaults=not strict))
            turn = ModelTurn(tool_calls=[call], stop_reason="tool_use")
        return turn.model_copy(update={"usage": self._usage(request, turn)})

    def _first_turn(self, request: ModelRequest) -> ModelTurn:
        data = request_data(request)
        query = " ".join(str(data.get("request", "")).split()[:8])
        customer = str(data.get("customer") or "")
        arguments = {
            "search_tickets": {"query": query, "customer": customer},
            "find_account": {"name": customer},
            "search_chat": {"query": query},
            "search_tracker": {"query": query},
            "search_kb": {"query": query},
        }
        offered = {spec.name for spec in request.tools}
        calls = [self._call(n, arguments[n]) for n in _FIRST if n in offered and (n != "find_account" or customer)]
        return ModelTurn(
            text="Searching tickets, the account, chat, the tracker and the KB at once.",
            tool_calls=calls,
            stop_reason="tool_use",
        )

    def _call(self, name: str, arguments: dict[str, Any]) -> ToolCall:
        self._ids += 1
        return ToolCall(id=f"toolu_claudelike_{self._ids:04d}", name=name, arguments=arguments)

    def _usage(self, request: ModelRequest, turn: ModelTurn) -> Usage:
        params = build_params(request, self.model_id, self.capabilities)
        # The prompt as a sequence of units (each tool, system block and message) in cache order;
        # a breakpoint sits after each unit that carries `cache_control`.
        units = [*params.get("tools", []), *params.get("system", []), *params["messages"]]
        texts = [json.dumps(_without_cache_control(u)) for u in units]
        marks = [i + 1 for i, u in enumerate(units) if _has_cache_control(u)]
        overhead = TOOL_PROMPT_TOKENS if request.tools else 0
        size = [overhead + tokens("".join(texts[:k])) for k in range(len(texts) + 1)]
        key = [hashlib.sha256("".join(texts[:k]).encode()).hexdigest() for k in range(len(texts) + 1)]
        written = [k for k in marks if size[k] >= MIN_CACHEABLE_TOKENS]
        hit = max(
            (size[k] for k in range(1, (written[-1] if written else 0) + 1) if key[k] in self._written), default=0
        )
        write = max(size[written[-1]] - hit, 0) if written else 0
        self._written.update(key[k] for k in written)
        out: list[dict[str, Any]] = [{"type": "text", "text": turn.text}] if turn.text else []
        out += [{"type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments} for c in turn.tool_calls]
        return Usage(
            input_tokens=size[-1] - hit - write,
            output_tokens=tokens(json.dumps(out)) + self._thinking,
            cache_read_tokens=hit,
            cache_write_tokens=write,
            calls=1,
        )


def _has_cache_control(unit: dict[str, Any]) -> bool:
    return "cache_control" in unit or any(
        "cache_control" in b for b in unit.get("content") or [] if isinstance(b, dict)
    )


def _without_cache_control(unit: dict[str, Any]) -> dict[str, Any]:
    plain = {k: v for k, v in unit.items() if k != "cache_control"}
    if isinstance(plain.get("content"), list):
        plain["content"] = [{k: v for k, v in b.items() if k != "cache_control"} for b in plain["content"]]
    return plain


def claude_like_model(expected_calls: int = 2, **kwargs: Any) -> tuple[ScriptedModel, ClaudeLike]:
    """A `ScriptedModel` that expects exactly `expected_calls` Claude-like turns (the follow-up
    lookups and the extraction, when the prefetched searches find tickets or issues), and the
    `ClaudeLike` behind it."""
    like = ClaudeLike(**kwargs)
    return ScriptedModel([like.complete] * expected_calls, name=like.name, capabilities=like.capabilities), like


def request_data(request: ModelRequest) -> dict[str, Any]:
    """The request as data, from the request's context (empty when it carries none)."""
    return request.context.as_data() if request.context else {}


def gathered_records(request: ModelRequest) -> list[dict[str, Any]]:
    """Records returned by successful tool calls so far, as JSON dicts."""
    return [r.model_dump(mode="json") for r in request.gathered_records()]


def follow_ups(records: list[dict[str, Any]], request: ModelRequest) -> list[tuple[str, dict[str, Any]]]:
    """Turn-2 calls: full tickets and tracker issues found by the searches, not yet fetched."""
    asked = {c.name for m in request.messages for c in m.tool_calls if not c.id.startswith("prefetch_")}
    if {"get_ticket", "get_tracker_issue"} & asked:
        return []
    offered = {spec.name for spec in request.tools}
    tickets = list(dict.fromkeys(r["source_id"] for r in records if r.get("kind") == "ticket"))[:2]
    issues = list(dict.fromkeys(r["key"] for r in records if r.get("kind") == "tracker_issue"))[:2]
    calls = [("get_ticket", {"ticket_id": t}) for t in tickets if "get_ticket" in offered]
    return calls + [("get_tracker_issue", {"key": k}) for k in issues if "get_tracker_issue" in offered]


def basic_extraction(request: ModelRequest, records: list[dict[str, Any]]) -> Extraction:
    """A plain extraction citing what was found (its size, not its judgement, is what matters here)."""
    text = str(request_data(request).get("request", "")) or "Support issue"

    def ids(kind: str, key: str = "source_id") -> list[str]:
        return list(dict.fromkeys(str(r[key]) for r in records if r.get("kind") == kind))

    quote = [Evidence(source="request", id="request", quote=text[:200])]
    data: dict[str, Any] = {
        "summary": text[:100],
        "problem": text,
        "category": "other",
        "description": f"{text}. Gathered {len(records)} related records from the workspace.",
        "affected": {"accounts": [{"name": n, "evidence": quote} for n in ids("account", "name")]},
        "ticket_ids": ids("ticket"),
        "tracker_keys": ids("tracker_issue", "key"),
        "article_ids": ids("article"),
        "chat_ids": ids("chat_message"),
    }
    return Extraction.model_validate(data)
