"""The extraction step: a forced, schema-validated tool call, repaired or replaced when it fails."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from pydantic import ValidationError

from agent.extract.schema import Extraction
from agent.models.anthropic_errors import ModelConfigError
from agent.models.base import Message, Model, ModelError, ModelRequest, ToolResult, ToolSpec, Usage
from agent.prompting import EXTRACTION_TOOL, extraction_prompt

DEFAULT_MAX_REPAIRS = 2


@cache
def extraction_tool_spec() -> ToolSpec:
    """The forced tool whose input is an `Extraction`."""
    schema = Extraction.model_json_schema()
    return ToolSpec(
        name=EXTRACTION_TOOL,
        description="Record the structured reading of the support issue, every finding with evidence.",
        input_schema=schema,
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


def extract(
    model: Model,
    system: str,
    messages: list[Message],
    fallback: Callable[[], Extraction] | None,
    max_repairs: int = DEFAULT_MAX_REPAIRS,
    passthrough: tuple[type[ModelError], ...] = (),
) -> ExtractOutcome:
    """Ask the model for the extraction tool call, re-asking with the validation error up to
    `max_repairs` times. If the model fails or never produces a valid extraction, `fallback()`
    (the offline extractor over the records already gathered) produces it, with a notice; without a
    fallback, `ExtractionFailed` is raised. Model errors of a `passthrough` type (e.g. overload, for a
    caller that backs off and retries) are raised as they are."""
    conversation = [*messages, Message(role="user", text=extraction_prompt())]
    spec = extraction_tool_spec()
    usage = Usage()
    reason = "no valid extraction"
    retryable = True
    for _attempt in range(max_repairs + 1):
        try:
            turn = model.complete(
                ModelRequest(
                    system=system,
                    messages=conversation,
                    tools=[spec],
                    force_tool=EXTRACTION_TOOL,
                    purpose="extract",
                    max_tokens=8192,
                )
            )
        except ModelConfigError:
            raise  # a bad key or model id will not get better: the CLI exits 2
        except passthrough:
            raise
        except ModelError as exc:
            reason = str(exc)
            retryable = True
            break
        usage = usage.add(turn.usage)
        call = next((c for c in turn.tool_calls if c.name == EXTRACTION_TOOL), None)
        if call is None:
            reason = f"the model answered without the extraction tool (stop reason: {turn.stop_reason})"
            if turn.stop_reason in ("refusal", "max_tokens"):
                retryable = turn.stop_reason != "refusal"
                break
            conversation = [
                *conversation,
                Message(role="assistant", text=turn.text or "(no tool call)"),
                Message(role="user", text=f"Call the {EXTRACTION_TOOL} tool now."),
            ]
            continue
        try:
            return ExtractOutcome(extraction=Extraction.model_validate(call.arguments), usage=usage)
        except ValidationError as exc:
            reason = "the model's extraction did not validate"
            conversation = [
                *conversation,
                Message(role="assistant", text=turn.text, tool_calls=[call]),
                Message(
                    role="user",
                    tool_results=[ToolResult(tool_call_id=call.id, content=_validation_summary(exc), is_error=True)],
                ),
            ]
    if fallback is None:
        raise ExtractionFailed(reason, retryable=retryable)
    notice = f"The model could not produce the extraction ({reason}); the offline extractor filled it from the gathered records."
    return ExtractOutcome(extraction=fallback(), usage=usage, notices=[notice], fell_back=True)
