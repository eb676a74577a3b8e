"""Tools offered to the model as they are, beside the five category tools (an extension point).

A `ToolSource` is an object in `Workspace.tool_sources` that can list extra tools and run them; the
MCP hub is one. It knows nothing about models: `agent.gather.extra_tools` turns these into tool specs
and tool results. Only read-only tools are ever offered while gathering context.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from connectors.base import Workspace
from connectors.records import Record

# fmt: off
WRITE_VERBS = frozenset([
    "create", "update", "delete", "remove", "send", "post", "add", "manage", "save", "write", "edit", "patch", "put",
    "upload", "archive", "assign", "close", "merge", "move", "reply", "invite", "publish", "set", "insert", "modify",
    "transition", "upsert", "mutate", "submit", "approve", "execute", "run", "draft", "comment", "react", "pin",
    "unpin", "share", "schedule", "cancel",
])
# fmt: on
"""A tool whose name contains one of these words (in any naming style) is treated as a write tool."""
MAX_NAME = 64
_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")


@dataclass(frozen=True)
class OfferedTool:
    """An extra tool: a namespaced name, a description and the JSON schema of its arguments."""

    name: str
    description: str
    input_schema: dict[str, Any]
    source: str
    """Where it comes from, e.g. `mcp:intercom` (used when the source becomes unavailable)."""


@dataclass(frozen=True)
class OfferedResult:
    """What an extra tool returned: records when a preset could map it, and text for the model."""

    text: str
    records: Sequence[Record] = field(default_factory=tuple)
    is_error: bool = False


@runtime_checkable
class ToolSource(Protocol):
    """Something that offers extra read-only tools to the model."""

    def offered_tools(self) -> list[OfferedTool]:
        """The tools to offer (may connect to servers; never raises)."""
        ...

    def call_offered(self, name: str, arguments: dict[str, Any]) -> OfferedResult:
        """Run one offered tool; raises `ConnectorError` when the source cannot answer."""
        ...


def tool_sources(workspace: Workspace) -> list[ToolSource]:
    """The tool sources a workspace declares."""
    return [c for c in workspace.tool_sources if isinstance(c, ToolSource)]


def name_words(name: str) -> list[str]:
    """`addCommentToJiraIssue`, `notion-create-pages`, `slack_send_message` -> lower-case words."""
    return [w.lower() for w in _SPLIT.split(name) if w]


def is_write_tool(name: str, read_only: bool | None = None, destructive: bool | None = None) -> bool:
    """True when the tool may change something: by its annotations or by a verb in its name."""
    if destructive or read_only is False:
        return True
    return any(word in WRITE_VERBS for word in name_words(name))


def allowed(name: str, patterns: Iterable[str]) -> bool:
    """Whether a tool name matches one of the allowlist's shell-style patterns."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def namespaced(server: str, tool: str) -> str:
    """`server__tool`, limited to the characters and length every model API accepts."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", f"{server}__{tool}")[:MAX_NAME]
