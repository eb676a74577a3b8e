"""The extraction step: a schema-validated tool call, repaired once or replaced when it fails.

The extraction tool is offered in every call of the conversation (see `agent.gather.loop`), so the
model may already have recorded it while gathering; otherwise it is asked for here, on the same
conversation and with the same tools array.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

from pydantic import ValidationError

from agent.extract.schema import Extraction
from agent.models.anthropic_errors import ModelConfigError
from agent.models.base import (
    Message,
    Model,
    ModelError,
    ModelRequest,
    ModelTurn,
    RequestContext,
    ToolCall,
    ToolResult,
    ToolSpec,
    Usage,
)
from agent.prompting import EXTRACTION_TOOL, extraction_prompt

log = logging.getLogger(__name__)

DEFAULT_MAX_REPAIRS = 1
MAX_TOKENS = 8192


@cache
def extraction_tool_spec() -> ToolSpec:
    """The tool whose input is an `Extraction`, asked for strict (providers that support it send a
    variant that fits their strict-schema limits; see `agent.models.strict_schema`)."""
    return ToolSpec(
        name=EXTRACTION_TOOL,
        description="Record the structured reading of the support issue, every finding with evidence.",
        input_schema=Extraction.model_json_schema(),
        strict=True,
    )


class ExtractionFailed(Exception):
    """No valid extraction and no fallback; `retryable` says whether another attempt may help."""

    def __init__(self, reason: str, *, retryable: bool) -> None:
        super().__init__(reason)
        self.retryable = retryable


@dataclass
class ExtractOutcome:
    """The extraction, what it cost, and whether the offline extractor had to stand in."""

    extraction: Extraction
    usage: Usage = field(default_factory=Usage)
    notices: list[str] = field(default_factory=list)
    fell_back: bool = False


def _validation_summary(exc: ValidationError, limit: int = 8) -> str:
    problems = [f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in exc.errors()[:limit]]
    more = len(exc.errors()) - limit
    return (
        "Invalid extraction. Fix these fields and call the tool again: "
        + "; ".join(problems)
        + (f" (and {more} more)" if more > 0 else "")
    )


def _answers(calls: Sequence[ToolCall], output: ToolCall | None, error: str | None) -> list[ToolResult]:
    """Results for every call of a turn (the API wants each tool_use answered): the validation
    error for the extraction, a 'not run' note for the others."""
    return [
        ToolResult(tool_call_id=c.id, content=error or "", is_error=True)
        if output is not None and c.id == output.id
        else ToolResult(tool_call_id=c.id, content=f"Not run: call the {EXTRACTION_TOOL} tool now.", is_error=True)
        for c in calls
    ]


def extract(
    model: Model,
    system: str,
    messages: list[Message],
    fallback: Callable[[], Extraction] | None,
    max_repairs: int = DEFAULT_MAX_REPAIRS,
    *,
    passthrough: tuple[type[ModelError], ...] = (),
    specs: Sequence[ToolSpec] | None = None,
    pending: ToolCall | None = None,
    failure: str | None = None,
    context: RequestContext | None = None,
    cache_upto: int | None = None,
    force: bool = False,
) -> ExtractOutcome:
    """The model's extraction: `pending` (made while gathering) if it validates, else asked for on
    the same conversation with `specs` (the conversation's tools array; the extraction tool alone
    when None), re-asking once with the validation error or a 'call the tool now'. If gathering
    already `failure`d, or the model fails, refuses, is cut off or never produces a valid
    extraction, `fallback()` (the offline extractor over the records gathered) stands in, with a notice;
    without a fallback `ExtractionFailed` is raised. Model errors of a `passthrough` type (overload, for
    a caller that backs off and retries) are raised as they are. `force` asks models that accept it
    for a forced tool choice."""
    spec = extraction_tool_spec()
    tools = list(specs) if specs else [spec]
    usage = Usage()
    notices: list[str] = []
    conversation = list(messages)
    reason = failure or "no valid extraction"
    retryable = True
    turn: ModelTurn | None = None
    if pending is not None and conversation and conversation[-1].role == "assistant":
        turn = ModelTurn(text=conversation[-1].text, tool_calls=conversation[-1].tool_calls, stop_reason="tool_use")
        conversation.pop()
    elif failure is None:
        conversation.append(Message(role="user", text=extraction_prompt()))
    # Forcing changes `tool_choice` between calls, which costs the cached conversation: only on request.
    forced = EXTRACTION_TOOL if force and model.capabilities.forced_tool_choice else None
    for attempt in range(0 if failure is not None else max_repairs + 1):
        if turn is None:
            try:
                turn = model.complete(
                    ModelRequest(
                        system=system,
                        messages=conversation,
                        tools=tools,
                        output_tool=EXTRACTION_TOOL,
                        force_tool=forced,
                        purpose="extract",
                        max_tokens=MAX_TOKENS,
                        context=context,
                        cache_upto=cache_upto,
                    )
                )
            except ModelConfigError:
                raise  # a bad key or model id will not get better: the CLI exits 2
            except passthrough:
                raise
            except ModelError as exc:
                reason = str(exc)
                break
            usage = usage.add(turn.usage)
            notices += [n for n in turn.notices if n not in notices]
        call = next((c for c in turn.tool_calls if c.name == EXTRACTION_TOOL), None)
        error: str | None = None
        if call is not None:
            try:
                extraction = Extraction.model_validate(call.arguments)
                return ExtractOutcome(extraction=extraction, usage=usage, notices=notices)
            except ValidationError as exc:
                reason, error = "the model's extraction did not validate", _validation_summary(exc)
        else:
            reason = f"the model answered without the extraction tool (stop reason: {turn.stop_reason})"
            if turn.stop_reason in ("refusal", "max_tokens"):
                retryable = turn.stop_reason != "refusal"
                break
        if attempt >= max_repairs:
            break
        conversation += [
            Message(
                role="assistant",
                text=turn.text or ("" if turn.tool_calls else "(no tool call)"),
                tool_calls=turn.tool_calls,
            ),
            Message(
                role="user",
                tool_results=_answers(turn.tool_calls, call, error),
                text="" if error else f"Call the {EXTRACTION_TOOL} tool now.",
            ),
        ]
        turn = None
    if fallback is None:
        raise ExtractionFailed(reason, retryable=retryable)
    notice = (
        f"The model could not produce the extraction ({reason}); "
        "the offline extractor filled it from the gathered records."
    )
    log.warning("escalate: %s", notice)  # loud on stderr too, not only in the brief and its JSON
    return ExtractOutcome(extraction=fallback(), usage=usage, notices=[*notices, notice], fell_back=True)
