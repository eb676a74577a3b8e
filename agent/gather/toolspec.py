"""Derive a model-facing tool spec (JSON schema) from a plain typed function and its docstring."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model

from agent.models.base import ToolSpec

_ARG_LINE = re.compile(r"^\s{2,}(\w+):\s*(.+)$")


def parse_docstring(doc: str) -> tuple[str, dict[str, str]]:
    """Split a Google-style docstring into its description and per-argument descriptions."""
    description: list[str] = []
    args: dict[str, str] = {}
    in_args = False
    current: str | None = None
    for line in inspect.cleandoc(doc).splitlines():
        if line.strip() == "Args:":
            in_args = True
            continue
        if in_args:
            match = _ARG_LINE.match("  " + line if not line.startswith(" ") else line)
            if match and not line.startswith("      "):
                current = match.group(1)
                args[current] = match.group(2).strip()
            elif current and line.strip():
                args[current] += " " + line.strip()
            elif not line.strip():
                in_args = False
        else:
            description.append(line)
    return " ".join(part.strip() for part in description if part.strip()), args


_MODELS: dict[Any, type[BaseModel]] = {}
_SPECS: dict[Any, ToolSpec] = {}


def _key(func: Callable[..., Any]) -> Any:
    # Bound methods are new objects on every attribute access; their function is stable.
    return getattr(func, "__func__", func)


def arguments_model(func: Callable[..., Any]) -> type[BaseModel]:
    """A pydantic model of the function's parameters (annotations and defaults), built once per function."""
    key = _key(func)
    if key not in _MODELS:
        _MODELS[key] = _build_arguments_model(func)
    return _MODELS[key]


def _build_arguments_model(func: Callable[..., Any]) -> type[BaseModel]:
    signature = inspect.signature(func)
    hints = inspect.get_annotations(func, eval_str=True)
    _, arg_docs = parse_docstring(func.__doc__ or "")
    fields: dict[str, Any] = {}
    for name, param in signature.parameters.items():
        annotation = hints.get(name, str)
        default = ... if param.default is inspect.Parameter.empty else param.default
        from pydantic import Field

        fields[name] = (annotation, Field(default=default, description=arg_docs.get(name)))
    return create_model(f"{func.__name__}_arguments", __config__=ConfigDict(extra="forbid"), **fields)


def tool_spec(func: Callable[..., Any]) -> ToolSpec:
    """The `ToolSpec` for a function: name, docstring description, JSON schema of its arguments."""
    key = _key(func)
    if key not in _SPECS:
        _SPECS[key] = _build_tool_spec(func)
    return _SPECS[key]


def _build_tool_spec(func: Callable[..., Any]) -> ToolSpec:
    description, _ = parse_docstring(func.__doc__ or "")
    schema = arguments_model(func).model_json_schema()
    schema.pop("title", None)
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)
    return ToolSpec(name=func.__name__, description=description, input_schema=schema)
