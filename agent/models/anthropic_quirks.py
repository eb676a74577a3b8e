"""What a Claude model id supports, what the API told us it does not, and the errors that say so.

Capabilities start from what the model pages document and are narrowed for the rest of the run
when the API answers 400 with one of its documented texts: a strict schema over the limits
("Schemas contains too many optional parameters (87), which would make grammar compilation
inefficient ... (limit: 24)", "... too many parameters with union types ... (limit: 16)", "Too
many strict tools", "Schema is too complex for compilation", "The compiled grammar is too large")
or a forced tool choice the model rejects ("tool_choice: type "tool" and "any" are not supported
for this model."), or, with thinking on, a tool turn without the model's thinking block ("a final
`assistant` message must start with a thinking block"), which is what the prefetch's tool turn is. Texts are matched case-insensitively. Sources:
https://platform.claude.com/docs/en/agents-and-tools/tool-use/strict-tool-use,
https://platform.claude.com/docs/en/api/errors and the model pages under
https://platform.claude.com/docs/en/about-claude/models (Sonnet 5.5, Opus 5.5 and the Fable/Mythos
5.1 and 5.2 generation list "forced tool use returns an error" among their breaking changes).
"""

from __future__ import annotations

import dataclasses
import re
import threading
from typing import Literal

from agent.models.base import ModelCapabilities

Downgrade = Literal["strict_tools", "forced_tool_choice", "synthetic_tool_turns"]

CLAUDE_GATHER_TURNS = 1
"""Tool turns a Claude model gets after the prefetch: the first call either records the extraction
or asks for more once, and the second records it (two calls per brief at most, repairs aside)."""

FORCING_REJECTED = (
    "claude-sonnet-5-5",
    "claude-opus-5-5",
    "claude-fable-5-1",
    "claude-mythos-5-1",
    "claude-fable-5-2",
    "claude-mythos-5-2",
)
"""Model ids documented to reject `tool_choice` of type `tool`/`any` (others are learnt at run time)."""

_SCHEMA_LIMIT = re.compile(
    r"too many (?:strict tools|optional parameters|parameters with union types)"
    r"|schema is too complex|compiled grammar is too large|grammar compilation|strict",
    re.IGNORECASE,
)
_FORCING = re.compile(r"tool_choice.*not supported|not support\w* .*tool_choice", re.IGNORECASE | re.DOTALL)
_THINKING_FIRST = re.compile(
    r"must start with a thinking block|expected `?thinking`? or `?redacted_thinking`?", re.IGNORECASE
)
"""With thinking on, the last assistant turn before tool results must begin with the model's own
thinking block, which a tool turn written by the pipeline cannot have."""

_learnt: dict[str, set[Downgrade]] = {}
_lock = threading.Lock()


def _family(model_id: str, names: tuple[str, ...]) -> bool:
    return any(model_id == n or model_id.startswith((n + "-", n + "[", n + "@")) for n in names)


def claude_capabilities(model_id: str) -> ModelCapabilities:
    """What the Messages API offers for a Claude model, narrowed by what this run has learnt."""
    caps = ModelCapabilities(
        strict_tools=True,
        cache_control=True,
        forced_tool_choice=not _family(model_id, FORCING_REJECTED),
        batches=True,
        token_counting=True,
        max_gather_turns=CLAUDE_GATHER_TURNS,
        prefetch=True,
        price_id=model_id,
    )
    return without(caps, learnt(model_id))


def without(caps: ModelCapabilities, downgrades: set[Downgrade]) -> ModelCapabilities:
    """`caps` minus the downgraded features."""
    return dataclasses.replace(
        caps,
        strict_tools=caps.strict_tools and "strict_tools" not in downgrades,
        forced_tool_choice=caps.forced_tool_choice and "forced_tool_choice" not in downgrades,
        synthetic_tool_turns=caps.synthetic_tool_turns and "synthetic_tool_turns" not in downgrades,
    )


def recognise(message: str) -> Downgrade | None:
    """Which feature a 400's message says the request may not use, if any."""
    if _FORCING.search(message):
        return "forced_tool_choice"
    if _THINKING_FIRST.search(message):
        return "synthetic_tool_turns"
    if _SCHEMA_LIMIT.search(message):
        return "strict_tools"
    return None


def remember(model_id: str, downgrade: Downgrade) -> None:
    """Note for the rest of the run that `model_id` does not take `downgrade`."""
    with _lock:
        _learnt.setdefault(model_id, set()).add(downgrade)


def learnt(model_id: str) -> set[Downgrade]:
    """What the API has refused for `model_id` so far in this run."""
    with _lock:
        return set(_learnt.get(model_id, ()))


def forget_all() -> None:
    """Clear what was learnt (tests start from the documented capabilities)."""
    with _lock:
        _learnt.clear()
