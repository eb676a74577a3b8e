"""Local models behind an Anthropic-compatible Messages API: Ollama, llama.cpp's server, vLLM.

Ollama documents the setup (https://docs.ollama.com/api/anthropic-compatibility): base URL
`http://localhost:11434` (the client appends `/v1/messages`) and any token, which it ignores. It
serves a subset of the API: tools yes, but no `tool_choice`, no prompt caching (`cache_control`),
no Message Batches and no token counting; strict tool schemas are not supported either. The
profile below asks for none of those, so ticket text never leaves the machine and the request is
one the server accepts.
"""

from __future__ import annotations

from agent.models.base import ModelCapabilities

OLLAMA_DEFAULT_URL = "http://localhost:11434"
OLLAMA_URL_VARIABLE = "OLLAMA_BASE_URL"
"""Overrides the server's URL (e.g. a llama.cpp server on http://127.0.0.1:8080)."""
LOCAL_TOKEN = "ollama"
"""Sent as the API key: required by the client, ignored by the server (never the Anthropic key)."""

LOCAL_PROFILE = ModelCapabilities(
    strict_tools=False,
    cache_control=False,
    tool_choice=False,
    forced_tool_choice=False,
    batches=False,
    token_counting=False,
    max_gather_turns=2,  # no per-token bill: one more turn of lookups costs only time
    prefetch=True,
    free=True,
)
"""What an Anthropic-compatible local server supports."""
