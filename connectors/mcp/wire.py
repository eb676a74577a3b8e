"""Plain data that crosses the thread boundary of a `McpConnection`: targets, tools, tool results."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class StdioTarget:
    """A server started as a subprocess."""

    command: str
    args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    cwd: str | None = None


@dataclass(frozen=True)
class HttpTarget:
    """A streamable HTTP server."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class InProcessTarget:
    """An SDK server object in this process (tests and embedding; no subprocess, no network)."""

    server: Any


@dataclass(frozen=True)
class ToolInfo:
    """What `tools/list` says about one tool."""

    name: str
    description: str
    input_schema: dict[str, Any]
    read_only: bool | None = None
    destructive: bool | None = None


@dataclass(frozen=True)
class CallOutcome:
    """A tool result: its text, its JSON payload (structured content or JSON text), its error flag."""

    text: str
    payload: Any = None
    is_error: bool = False


def outcome_of(result: Any) -> CallOutcome:
    """Reduce an SDK `CallToolResult` to text plus the best JSON payload it carries."""
    texts = [str(block.text) for block in result.content or () if getattr(block, "type", None) == "text"]
    text = "\n".join(texts)
    payload: Any = result.structured_content
    if isinstance(payload, dict) and set(payload) == {"result"}:
        payload = payload["result"]  # the SDK wraps non-object return values this way
    if payload is None:
        for candidate in (text, *texts):
            try:
                payload = json.loads(candidate)
                break
            except (json.JSONDecodeError, ValueError):
                continue
    return CallOutcome(text=text, payload=payload, is_error=bool(result.is_error))
