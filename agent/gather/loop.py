"""The gather loop: the model calls read-only connector tools until it has enough context.

One tools array for the whole conversation: the connector tools plus, when given, the output
(extraction) tool, so every call shares the cached prefix and the model may record the extraction
as soon as it has what it needs. Models that want it get the deterministic prefetch as the
conversation's first tool turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.gather.prefetch import prefetch
from agent.gather.tools import ConnectorTools
from agent.models.anthropic_errors import ModelConfigError
from agent.models.base import Message, Model, ModelError, ModelRequest, RequestContext, ToolCall, ToolSpec, Usage

DEFAULT_MAX_STEPS = 4
DEFAULT_TOKEN_BUDGET = 150_000


@dataclass
class GatherOutcome:
    """The conversation so far, what it cost, and anything the user should be told."""

    messages: list[Message]
    usage: Usage = field(default_factory=Usage)
    notices: list[str] = field(default_factory=list)
    specs: list[ToolSpec] = field(default_factory=list)
    """The tools array every call of the conversation offers (extraction included)."""
    output_call: ToolCall | None = None
    """The output tool call, when the model made it while gathering (the last assistant message holds it)."""
    failure: str | None = None
    """Why the model could not go on (error, refusal, truncation); no further call is worth making."""
    cache_upto: int | None = None
    """How many leading messages form the conversation's cached prefix (see `ModelRequest.cache_upto`)."""


def gather(
    model: Model,
    tools: ConnectorTools,
    system: str,
    opening: str,
    max_steps: int = DEFAULT_MAX_STEPS,
    token_budget: int = DEFAULT_TOKEN_BUDGET,
    *,
    context: RequestContext | None = None,
    output_tool: ToolSpec | None = None,
) -> GatherOutcome:
    """Let the model call tools for at most `max_steps` turns; tool calls of one turn run concurrently.

    After the last allowed tool turn, gathering ends without asking the model to close its turn (that
    would be a paid call that gathers nothing); extraction follows on the same conversation. Stops
    early when the model calls `output_tool`, ends its turn, the token budget runs out, or the model
    refuses or fails; the records gathered so far are always kept, and a notice says why when the
    stop was not planned.
    """
    outcome = GatherOutcome(messages=[Message(role="user", text=opening)])
    if context is not None and model.capabilities.prefetch:
        outcome.messages += prefetch(tools, context)
        outcome.cache_upto = len(outcome.messages)
    outcome.specs = [*tools.specs(), *([output_tool] if output_tool else [])]
    for _ in range(max_steps):
        request = ModelRequest(
            system=system,
            messages=outcome.messages,
            tools=outcome.specs,
            output_tool=output_tool.name if output_tool else None,
            purpose="gather",
            context=context,
            cache_upto=outcome.cache_upto,
        )
        try:
            turn = model.complete(request)
        except ModelConfigError:
            raise  # a bad key or model id will not get better: the CLI exits 2
        except ModelError as exc:
            outcome.notices.append(f"Context gathering stopped early: {exc}")
            outcome.failure = str(exc)
            return outcome
        outcome.usage = outcome.usage.add(turn.usage)
        outcome.notices += [n for n in turn.notices if n not in outcome.notices]
        if turn.stop_reason == "refusal":
            outcome.notices.append("The model declined to continue gathering; the brief uses what was found.")
            outcome.failure = "the model declined"
            return outcome
        if turn.stop_reason == "max_tokens":
            outcome.notices.append("The model ran out of output tokens while gathering.")
            outcome.failure = "the model's answer was cut off at max_tokens"
            return outcome
        outcome.messages.append(Message(role="assistant", text=turn.text, tool_calls=turn.tool_calls))
        if output_tool and (call := next((c for c in turn.tool_calls if c.name == output_tool.name), None)):
            outcome.output_call = call
            return outcome
        if not turn.tool_calls:
            return outcome
        results = tools.run_all(turn.tool_calls)
        outcome.messages.append(Message(role="user", tool_results=results))
        # Cached prompt tokens are still processed (and billed); Anthropic's `input_tokens` excludes
        # them, so without them a cached conversation would never reach the budget.
        u = outcome.usage
        spent = u.input_tokens + u.cache_read_tokens + u.cache_write_tokens + u.output_tokens
        if spent >= token_budget:
            outcome.notices.append(f"Gathering stopped at the token budget ({token_budget:,} tokens).")
            return outcome
    return outcome


def gather_turns(model: Model) -> int:
    """How many tool-calling turns to give `model`: its capabilities' `max_gather_turns`."""
    turns = model.capabilities.max_gather_turns
    return turns if turns > 0 else DEFAULT_MAX_STEPS
