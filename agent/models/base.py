"""The model seam: a provider-neutral request in, one assistant turn out.

The agent loop speaks only these types. `anthropic` translates them to the Messages API (Claude, or
a local Anthropic-compatible server with its own profile), `offline` answers them with deterministic
heuristics, `scripted` replays queued turns in tests. A request carries the engineer's request as
data (`RequestContext`) and tool results carry their typed records, so no model parses a prompt;
what a model supports is in its `ModelCapabilities`, so no caller branches on a model's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from connectors.records import Record


class ToolSpec(BaseModel):
    """A tool the model may call: its name, what it does, and its JSON input schema."""

    model_config = ConfigDict(frozen=True)

    name: str
    description: str
    input_schema: dict[str, Any]
    strict: bool = False
    """Ask the provider to constrain the arguments to the schema exactly."""


class ToolCall(BaseModel):
    """One tool invocation the model asked for."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    arguments: dict[str, Any] = Field(default_factory=dict)


class ToolResult(BaseModel):
    """The answer to one `ToolCall`, sent back in the next user message."""

    model_config = ConfigDict(frozen=True)

    tool_call_id: str
    content: str
    """JSON text of the records found, or a short error message."""
    is_error: bool = False
    records: tuple[Record, ...] = ()
    """The typed records behind `content` (never sent to a provider: `content` is what it reads)."""


class Message(BaseModel):
    """One conversation message. A user message carries text and/or tool results; an assistant
    message carries text and/or tool calls."""

    role: Literal["user", "assistant"]
    text: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    tool_results: list[ToolResult] = Field(default_factory=list)
    synthetic: bool = False
    """An assistant message written by the pipeline (the prefetch's tool calls), not by the model."""


class RequestContext(BaseModel):
    """The support engineer's request as structured data, carried beside the rendered prompt so a
    deterministic model reads it from here instead of parsing it back out of the prompt text."""

    model_config = ConfigDict(frozen=True)

    text: str
    now: datetime
    customer: str | None = None
    ticket_id: str | None = None

    def as_data(self) -> dict[str, Any]:
        """The request as the JSON data both models read (the same dict the prompt shows)."""
        data: dict[str, Any] = {"request": self.text, "today": self.now.isoformat()}
        if self.customer:
            data["customer"] = self.customer
        if self.ticket_id:
            data["ticket_id"] = self.ticket_id
        return data


class ModelRequest(BaseModel):
    """Everything a model needs for one turn."""

    system: str
    messages: list[Message]
    tools: list[ToolSpec] = Field(default_factory=list)
    output_tool: str | None = None
    """The tool whose call is the result the pipeline waits for (the extraction), when one is offered."""
    force_tool: str | None = None
    """When set, the model must answer by calling exactly this tool (only for models whose
    capabilities say they accept a forced tool choice)."""
    max_tokens: int = 4096
    purpose: Literal["gather", "extract"] = "gather"
    """Which phase of the pipeline is asking; lets deterministic models pick their strategy."""
    context: RequestContext | None = None
    """The request behind the conversation, as data (None for requests built without one)."""
    cache_upto: int | None = None
    """For providers with prompt caching: the conversation's first `cache_upto` messages are the
    prefix every call of it shares (the opening and the prefetched results); the cache breakpoint
    goes at its end so that later calls read what the first one wrote. None: the last message."""

    def gathered_records(self) -> list[Record]:
        """Every record returned by the successful tool calls of the conversation, in order."""
        return [r for m in self.messages for result in m.tool_results if not result.is_error for r in result.records]


StopReason = Literal["end_turn", "tool_use", "max_tokens", "refusal", "stop_sequence", "pause_turn", "other"]


class Usage(BaseModel):
    """Token accounting for one or more model calls."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    calls: int = 0

    def add(self, other: Usage) -> Usage:
        """The sum of two usages."""
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cache_read_tokens=self.cache_read_tokens + other.cache_read_tokens,
            cache_write_tokens=self.cache_write_tokens + other.cache_write_tokens,
            calls=self.calls + other.calls,
        )


class ModelTurn(BaseModel):
    """The model's answer for one request."""

    text: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    stop_reason: StopReason = "end_turn"
    usage: Usage = Field(default_factory=Usage)
    notices: list[str] = Field(default_factory=list)
    """Things the user should be told about how this answer was obtained (e.g. a downgrade)."""


class ModelError(Exception):
    """The model could not answer (API down after retries, refused, malformed output).

    The message is safe to show to a user and never contains a secret.
    """

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        """The API's HTTP status when it answered with an error (429 and 529 mean overloaded)."""
        self.retry_after = retry_after
        """The API's wait hint in seconds, when it sent one."""


@dataclass(frozen=True)
class ModelCapabilities:
    """What a model (and the server behind it) supports; callers branch on these, never on names."""

    strict_tools: bool = False
    """Accepts `strict: true` on tool schemas (grammar-constrained arguments)."""
    cache_control: bool = False
    """Accepts `cache_control` breakpoints (prompt caching)."""
    tool_choice: bool = True
    """Accepts the `tool_choice` parameter at all (local servers may not; their default is auto)."""
    forced_tool_choice: bool = False
    """Accepts `tool_choice` of type `tool`/`any`; without it extraction is asked for with `auto`."""
    batches: bool = False
    """Reachable through the Message Batches API."""
    token_counting: bool = False
    """Offers the token-counting endpoint."""
    synthetic_tool_turns: bool = True
    """Accepts, in the conversation, a tool turn the model did not make (the prefetch); without it
    the prefetched results are sent as data in the user message instead."""
    max_gather_turns: int = 4
    """Tool-calling turns the gather loop gives it per brief."""
    prefetch: bool = True
    """Wants the deterministic parallel prefetch as tool results before its first turn (a model that
    plans its own first searches, like the offline one, says False)."""
    in_process: bool = False
    """Runs in this process, deterministically and for free (the offline reader): triage runs it
    inline, and its code version is part of its identity in idempotency keys."""
    price_id: str | None = None
    """The Claude model id it is billed (and sent to the Message Batches API) as; None when not
    billed per token."""
    free: bool = False
    """Costs nothing per token (in-process or a local server)."""


class Model(Protocol):
    """Anything that can answer a `ModelRequest` with a `ModelTurn`."""

    @property
    def name(self) -> str:
        """Human-readable identity shown in the brief's footer, e.g. `offline` or `anthropic:claude-...`."""
        ...

    @property
    def capabilities(self) -> ModelCapabilities:
        """What this model supports."""
        ...

    def complete(self, request: ModelRequest) -> ModelTurn:
        """Answer one turn. Raises `ModelError` when no answer can be had."""
        ...
