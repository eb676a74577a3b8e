"""Extra tools offered to the model beside the connector tools: the read-only tools of MCP servers.

`ConnectorTools` asks this adapter for more specs and hands it the calls it does not know. The
tools come from `ToolSource`s in the workspace (see `connectors.mcp.offered`); results a preset
can map become records (so the brief can cite them), anything else reaches the model as text.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence

from agent.gather.gathered import Gathered
from agent.models.base import ToolCall, ToolResult, ToolSpec
from connectors.base import ConnectorError, Workspace
from connectors.mcp.offered import OfferedTool, ToolSource, tool_sources

log = logging.getLogger(__name__)


class ExtraTools:
    """The extra tools of a run, by name."""

    def __init__(self, sources: Sequence[ToolSource] = ()) -> None:
        self.sources = list(sources)
        self._tools: dict[str, tuple[OfferedTool, ToolSource]] | None = None

    @classmethod
    def from_workspace(cls, workspace: Workspace) -> ExtraTools:
        """The extra tools of every tool source the workspace holds."""
        return cls(tool_sources(workspace))

    def _listing(self) -> dict[str, tuple[OfferedTool, ToolSource]]:
        if self._tools is None:
            self._tools = {}
            for source in self.sources:
                for tool in source.offered_tools():
                    self._tools.setdefault(tool.name, (tool, source))
        return self._tools

    def specs(self, taken: set[str] | frozenset[str] = frozenset()) -> list[ToolSpec]:
        """Specs of the extra tools whose names do not clash with `taken`."""
        return [
            ToolSpec(name=tool.name, description=tool.description, input_schema=tool.input_schema)
            for name, (tool, _) in self._listing().items()
            if name not in taken
        ]

    def run(self, call: ToolCall, gathered: Gathered) -> ToolResult | None:
        """Run a call if it names an extra tool (None otherwise); never raises."""
        if not self.sources:
            return None
        entry = self._listing().get(call.name)
        if entry is None:
            return None
        tool, source = entry
        gathered.calls.append(f"{call.name}({', '.join(f'{k}={v!r}' for k, v in call.arguments.items())})")
        try:
            result = source.call_offered(call.name, dict(call.arguments))
        except ConnectorError as exc:
            gathered.unavailable.setdefault(tool.source, exc.message)
            return ToolResult(tool_call_id=call.id, content=f"{tool.source} unavailable: {exc.message}", is_error=True)
        except Exception as exc:  # a source bug must not end the run or leak internals
            log.warning("extra tool %s failed: %s", call.name, type(exc).__name__)
            return ToolResult(tool_call_id=call.id, content=f"{tool.source}: internal error", is_error=True)
        if result.is_error:
            return ToolResult(tool_call_id=call.id, content=result.text, is_error=True)
        if result.records:
            gathered.add(result.records)
            records = [r.model_dump(mode="json") for r in result.records]
            return ToolResult(
                tool_call_id=call.id,
                content=json.dumps({"records": records}, ensure_ascii=False),
                records=tuple(result.records),
            )
        return ToolResult(tool_call_id=call.id, content=result.text or "(no result)")
