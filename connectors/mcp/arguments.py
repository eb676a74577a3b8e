"""A preset call's arguments, built against the tool's input schema from `tools/list`.

Servers drop (or reject) arguments their schema lacks, and a search without its query silently
becomes "the most recent items". So the arguments are fitted to the schema: keys it does not list
are left out, a value is reshaped when the schema wants another type (a search DSL object where a
plain string is expected becomes its keywords), and a call fails loudly, naming the argument, when
the schema lacks one the call needs or requires one nobody supplied.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from connectors.mcp.presets.base import Call, Query


class ArgumentMismatch(Exception):
    """The tool's schema cannot carry what the preset needs to send (a one-line reason)."""


def _properties(schema: Mapping[str, Any]) -> dict[str, Any] | None:
    found = schema.get("properties")
    return dict(found) if isinstance(found, dict) and found else None


def _words(value: Any) -> Iterable[str]:
    """The string values inside a search DSL (`{"field": ..., "value": "word"}` nodes)."""
    if isinstance(value, dict):
        inner = value.get("value")
        if isinstance(inner, str) and value.get("field"):
            yield inner
        else:
            yield from _words(inner)
    elif isinstance(value, list):
        for item in value:
            yield from _words(item)


def _reshape(value: Any, spec: Any) -> Any:
    wanted = spec.get("type") if isinstance(spec, dict) else None
    if wanted == "string" and isinstance(value, dict | list):
        return " ".join(dict.fromkeys(_words(value)))
    if wanted == "integer" and isinstance(value, str) and value.isdigit():
        return int(value)
    if wanted == "string" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def build_arguments(
    call: Call, query: Query, fixed: Mapping[str, Any], schema: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The arguments of `call` for `query`, with the server's `fixed` ones (e.g. `cloudId`), fitted
    to the tool's input `schema`. None when the query cannot be expressed (no keywords).

    Raises `ArgumentMismatch` when the schema lists properties but lacks one of `call.needs`, or
    requires one that neither the call nor the server's `arguments` supply.
    """
    wanted = call.args(query)
    if wanted is None:
        return None
    arguments = {**fixed, **wanted}
    properties = _properties(schema)
    if properties is None:  # a schema that lists nothing: send everything, as before
        return arguments
    missing = [name for name in call.needs if name not in properties]
    if missing:
        listed = ", ".join(sorted(properties)) or "none"
        raise ArgumentMismatch(f"{call.tool} takes no {missing[0]!r} argument (it takes: {listed})")
    fitted = {key: _reshape(value, properties[key]) for key, value in arguments.items() if key in properties}
    required = [name for name in schema.get("required") or () if name not in fitted]
    if required:
        raise ArgumentMismatch(
            f"{call.tool} requires {required[0]!r}; set it in the server's `arguments` in escalation.toml"
        )
    return fitted
