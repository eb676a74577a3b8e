"""Renders the model-facing prompts in `prompts/`. Untrusted text only ever enters as data."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

EXTRACTION_TOOL = "record_extraction"


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("prompts", ""),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )


def render_prompt(name: str, **variables: Any) -> str:
    """Render `prompts/<name>.j2` with variables (never with untrusted text as template source)."""
    return _environment().get_template(f"{name}.j2").render(extraction_tool=EXTRACTION_TOOL, **variables)


@cache
def system_prompt(today: str, max_steps: int | None = None) -> str:
    """The system prompt for both phases."""
    return render_prompt("system", today=today, max_steps=max_steps).strip()


def request_block(request: dict[str, Any]) -> str:
    """The request as JSON data, the form both models read it back from."""
    return json.dumps(request, ensure_ascii=False, indent=1)


def gather_prompt(request: dict[str, Any], tool_names: list[str]) -> str:
    """The opening user message of the gather loop."""
    return render_prompt("gather", request_json=request_block(request), tool_names=tool_names).strip()


@cache
def extraction_prompt() -> str:
    """The user message that asks for the extraction tool call (the tool's schema describes every field)."""
    return render_prompt("extract").strip()
