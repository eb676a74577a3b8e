"""The gather loop: the model calls read-only connector tools until it has enough context."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.gather.tools import ConnectorTools
from agent.models.anthropic_errors import ModelConfigError
from agent.models.base import Message, Model, ModelError, ModelRequest, Usage

DEFAULT_MAX_STEPS = 4
DEFAULT_TOKEN_BUDGET = 150_000


@dataclass
class GatherOutcome:
    """The conversation so far, what it cost, and anything the user should be told."""

    messages: list[Message]
    usage: Usage = field(default_factory=Usage)
    notices: list[str] = field(default_factory=list)


def gather(
    model: Model,
    tools: ConnectorTools,
    system: str,
    opening: str,
    max_steps: int = DEFAULT_MAX_STEPS,
    token_budget: int = DEFAULT_TOKEN_BUDGET,
) -> GatherOutcome:
    """Let the model call tools for at most `max_steps` turns; tool calls of one turn run concurrently.

    After the last allowed tool turn, gathering ends without asking the model to close its turn (that
    would be a paid call that gathers nothing); extraction follows on the same conversation. Stops
    early when the model ends its turn, the token budget runs out, or the model refuses or fails; the
    records gathered so far are always kept, and a notice says why when the stop was not planned.
    """
    outcome = GatherOutcome(messages=[Message(role="user", text=opening)])
    specs = tools.specs()
    for _ in range(max_steps):
        try:
            turn = model.complete(ModelRequest(system=system, messages=outcome.messages, tools=specs, purpose="gather"))
        except ModelConfigError:
            raise  # a bad key or model id will not get better: the CLI exits 2
        except ModelError as exc:
            outcome.notices.append(f"Context gathering stopped early: {exc}")
            return outcome
        outcome.usage = outcome.usage.add(turn.usage)
        outcome.messages.append(Message(role="assistant", text=turn.text, tool_calls=turn.tool_calls))
        if turn.stop_reason == "refusal":
            outcome.notices.append("The model declined to continue gathering; the brief uses what was found.")
            outcome.messages.pop()
            return outcome
        if not turn.tool_calls:
            if turn.stop_reason == "max_tokens":
                outcome.notices.append("The model ran out of output tokens while gathering.")
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
    """How many tool-calling turns to give `model`: its `max_gather_turns` attribute if it has one
    (paid models keep it small), else `DEFAULT_MAX_STEPS`."""
    turns = getattr(model, "max_gather_turns", DEFAULT_MAX_STEPS)
    return turns if isinstance(turns, int) and turns > 0 else DEFAULT_MAX_STEPS
