"""The Messages API's limits for strict tool schemas, and a count of a request against them.

Strict tool use compiles every strict schema of a request into one grammar. The API caps a request
at 20 strict tools, 24 optional parameters and 16 parameters with union types, counted over all
strict tools, and answers over-limit requests with a 400 ("Schemas contains too many optional
parameters (87), which would make grammar compilation inefficient ... (limit: 24)"). Sources:
https://platform.claude.com/docs/en/agents-and-tools/tool-use/strict-tool-use and
https://platform.claude.com/docs/en/build-with-claude/structured-outputs (limits and the schema
subset). The count follows the API: a property is optional when its object does not list it in
`required`; it has a union type when its schema is an `anyOf`/`oneOf` or lists several `type`s
(a nullable field is a union); every `$defs` entry is counted once however often it is referenced.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_STRICT_TOOLS = 20
MAX_OPTIONAL_PARAMETERS = 24
MAX_UNION_PARAMETERS = 16


@dataclass(frozen=True)
class StrictCount:
    """What a request's strict tools add up to."""

    tools: int = 0
    optional: int = 0
    unions: int = 0

    def within_limits(self) -> bool:
        """Whether the API would compile these schemas."""
        return (
            self.tools <= MAX_STRICT_TOOLS
            and self.optional <= MAX_OPTIONAL_PARAMETERS
            and self.unions <= MAX_UNION_PARAMETERS
        )

    def over(self) -> str:
        """The limits exceeded, for a notice ('' when within them)."""
        parts = [
            f"{what} {n} > {limit}"
            for what, n, limit in (
                ("strict tools", self.tools, MAX_STRICT_TOOLS),
                ("optional parameters", self.optional, MAX_OPTIONAL_PARAMETERS),
                ("union-typed parameters", self.unions, MAX_UNION_PARAMETERS),
            )
            if n > limit
        ]
        return ", ".join(parts)


def is_union(schema: Mapping[str, Any]) -> bool:
    """Whether a property schema has a union type."""
    kinds = schema.get("type")
    return "anyOf" in schema or "oneOf" in schema or (isinstance(kinds, list) and len(kinds) > 1)


def count_schema(schema: Mapping[str, Any]) -> tuple[int, int]:
    """(optional, union-typed) parameters of one tool's input schema, each `$defs` entry once."""
    defs: Mapping[str, Any] = schema.get("$defs") or {}
    seen: set[str] = set()
    optional = unions = 0

    def walk(node: Any) -> None:
        nonlocal optional, unions
        if isinstance(node, list):
            for item in node:
                walk(item)
            return
        if not isinstance(node, Mapping):
            return
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            if name not in seen and name in defs:
                seen.add(name)
                walk(defs[name])
        properties = node.get("properties")
        if isinstance(properties, Mapping):
            required = set(node.get("required") or [])
            for key, prop in properties.items():
                optional += key not in required
                unions += isinstance(prop, Mapping) and is_union(prop)
        for key, value in node.items():
            if key != "$defs":
                walk(value)

    walk(schema)
    return optional, unions


def count_strict(tools: Iterable[Mapping[str, Any]]) -> StrictCount:
    """The strict tools of a request body's `tools` array, counted the way the API does."""
    counts = [count_schema(t.get("input_schema") or {}) for t in tools if t.get("strict")]
    return StrictCount(len(counts), sum(c[0] for c in counts), sum(c[1] for c in counts))
