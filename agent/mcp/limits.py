"""Size bounds on tool arguments, checked before any work, with one-line tool errors.

A megabyte pasted into `request` would keep the reader's regular expressions (which hold the GIL)
busy for a minute and the server deaf to pings; it is refused in microseconds instead. The SDK
reports invalid arguments as a multi-line pydantic dump, so arguments are validated here first
and the first bad fields named on one line, for the host to correct and retry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext
from mcp.types import CallToolResult, TextContent
from pydantic import BaseModel, Field, ValidationError

MAX_REQUEST_CHARS = 20_000
MAX_NAME_CHARS = 200
MAX_PATH_CHARS = 1_000
MAX_ARGUMENTS_BYTES = 512 * 1024
"""All of one call's arguments as JSON (an extraction is a few kilobytes)."""
MAX_DEPTH = 32
"""Nesting of arrays and objects in the arguments (an extraction nests 5 deep)."""
MAX_FIELDS_NAMED = 3

Name = Annotated[str | None, Field(max_length=MAX_NAME_CHARS)]
"""A bounded optional name or id argument (customer, ticket id, date)."""


def failure(message: str) -> CallToolResult:
    """A tool error with one line of text."""
    return CallToolResult(content=[TextContent(type="text", text=" ".join(message.split()) or "failed")], is_error=True)


def depth(value: Any) -> int:
    """How deeply arrays and objects nest in `value` (iteratively: a deep value cannot overflow)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            return level
        stack.extend((child, level + 1) for child in children)
    return deepest


def validation_line(exc: ValidationError, what: str = "argument") -> str:
    """`invalid <what> <field>: <message>` for the first bad fields, on one line."""
    errors = exc.errors(include_url=False, include_input=False)
    named = [f"{'.'.join(str(p) for p in e['loc']) or what}: {e['msg']}" for e in errors[:MAX_FIELDS_NAMED]]
    more = f" (and {len(errors) - MAX_FIELDS_NAMED} more)" if len(errors) > MAX_FIELDS_NAMED else ""
    return f"invalid {what} " + "; ".join(named) + more


def size_problem(arguments: Mapping[str, Any]) -> str | None:
    """Why `arguments` are too large or too deep for any tool, or None."""
    if depth(dict(arguments)) > MAX_DEPTH:
        return f"arguments nest deeper than {MAX_DEPTH} levels"
    sizes = {str(k): len(json.dumps(v, default=str).encode()) for k, v in arguments.items()}
    if sum(sizes.values()) > MAX_ARGUMENTS_BYTES:
        largest = max(sizes, key=lambda k: sizes[k])
        return (
            f"arguments too large: {largest[:40]} is {sizes[largest]:,} bytes, "
            f"the limit for all arguments is {MAX_ARGUMENTS_BYTES:,}"
        )
    return None


Validator = Callable[[Mapping[str, Any]], str | None]
"""Checks one tool's arguments: None when they are valid, else the one-line error."""


def model_validator(model: type[BaseModel], what: str = "argument") -> Validator:
    """A `Validator` from a pydantic model of the tool's arguments."""

    def check(arguments: Mapping[str, Any]) -> str | None:
        try:
            model.model_validate(arguments)
        except ValidationError as exc:
            return validation_line(exc, what)
        return None

    return check


def bounded_arguments(validators: Mapping[str, Validator]) -> ServerMiddleware[Any]:
    """Server middleware: every `tools/call` of a tool in `validators` is checked for size, then
    validated, before the SDK sees it; a failure is a one-line tool error."""

    async def middleware(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        params = ctx.params if isinstance(ctx.params, Mapping) else {}
        name = params.get("name")
        check = validators.get(name) if ctx.method == "tools/call" and isinstance(name, str) else None
        if check is not None:
            arguments = params.get("arguments") or {}
            if not isinstance(arguments, Mapping):
                return failure("invalid arguments: expected an object")
            problem = size_problem(arguments) or check(arguments)
            if problem:
                return failure(problem)
        return await call_next(ctx)

    return middleware
