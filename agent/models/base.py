"""The model seam: a provider-neutral request in, one assistant turn out.

The agent loop speaks only these types. `anthropic` translates them to the Messages API,
`offline` answers them with deterministic heuristics, `scripted` replays queued turns in tests.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field


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


class Message(BaseModel):
    """One conversation message. A user message carries text and/or tool results; an assistant
    message carries text and/or tool calls."""

    role: Literal["user", "assistant"]
    text: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    tool_results: list[ToolResult] = Field(default_factory=list)


class ModelRequest(BaseModel):
    """Everything a model needs for one turn."""

    system: str
    messages: list[Message]
    tools: list[ToolSpec] = Field(default_factory=list)
    force_tool: str | None = None
    """When set, the model must answer by calling exactly this tool (structured extraction)."""
    max_tokens: int = 4096
    purpose: Literal["gather", "extract"] = "gather"
    """Which phase of the pipeline is asking; lets deterministic models pick their strategy."""


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


class Model(Protocol):
    """Anything that can answer a `ModelRequest` with a `ModelTurn`."""

    @property
    def name(self) -> str:
        """Human-readable identity shown in the brief's footer, e.g. `offline` or `anthropic:claude-...`."""
        ...

    def complete(self, request: ModelRequest) -> ModelTurn:
        """Answer one turn. Raises `ModelError` when no answer can be had."""
        ...
