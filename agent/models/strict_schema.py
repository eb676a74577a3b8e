"""Strict-tool schemas within the API's limits, and the way back to the caller's schema.

A pydantic schema makes every field with a default optional and every `X | None` a union; the
extraction schema has 71 optional and 19 union-typed parameters, far over the limits of strict
tool use (see `agent.models.strict_limits`). For a strict tool the wire layer therefore sends a
derived schema: every property required (defaults become explicit values the model writes out),
`additionalProperties: false`, and a nullable string or enum written as a plain string whose empty
value "" means null. `restore_nulls` maps those "" back to null on the way in, so callers validate
against their own schema and never see the difference.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

_EMPTY_NOTE = 'Write "" when unknown or not applicable.'
_DROPPED = ("default", "title")


def _nullable_string(prop: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The string branch of `anyOf: [string-ish, null]` (no `format`, which "" would not satisfy)."""
    branches = prop.get("anyOf")
    if not isinstance(branches, list) or len(branches) != 2 or {"type": "null"} not in branches:
        return None
    other = next(b for b in branches if b != {"type": "null"})
    if not isinstance(other, Mapping) or other.get("type") != "string" or "format" in other:
        return None
    return other


def _strict_object(node: dict[str, Any]) -> None:
    properties = node.get("properties")
    if not isinstance(properties, dict):
        return
    for name, prop in list(properties.items()):
        branch = _nullable_string(prop)
        if branch is not None:
            plain: dict[str, Any] = dict(branch)
            if "enum" in plain:
                plain["enum"] = [*plain["enum"], ""]
            description = str(prop.get("description") or "")
            plain["description"] = f"{description} {_EMPTY_NOTE}".strip()
            properties[name] = plain
        for key in _DROPPED:
            properties[name].pop(key, None)
    node["required"] = list(properties)
    node["additionalProperties"] = False


def _walk(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item)
    elif isinstance(node, dict):
        if node.get("type") == "object" or "properties" in node:
            _strict_object(node)
        for value in node.values():
            _walk(value)


def strict_variant(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The schema a strict tool is sent with (the input is left untouched)."""
    derived = copy.deepcopy(dict(schema))
    derived.pop("title", None)
    _walk(derived)
    return derived


def restore_nulls(value: Any, schema: Mapping[str, Any], defs: Mapping[str, Any] | None = None) -> Any:
    """`value` (a strict tool's input) with "" put back to None wherever `schema` (the original) is
    a nullable string; everything else unchanged."""
    defs = schema.get("$defs", {}) if defs is None else defs
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        schema = defs.get(ref.removeprefix("#/$defs/"), {})
    if isinstance(value, dict) and isinstance(schema.get("properties"), Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            prop = schema["properties"].get(key)
            if not isinstance(prop, Mapping):
                out[key] = item
            elif item == "" and _nullable_string(prop) is not None:
                out[key] = None
            else:
                branch = next((b for b in prop.get("anyOf", []) if b != {"type": "null"}), prop)
                out[key] = restore_nulls(item, branch, defs)
        return out
    if isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        return [restore_nulls(item, schema["items"], defs) for item in value]
    return value
