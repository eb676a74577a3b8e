"""The records one run has gathered, shared by the connector tools, the extra (MCP) tools and the prefetch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

from connectors.records import Record


@dataclass
class Gathered:
    """Every record gathered in a run, de-duplicated by reference, in arrival order."""

    records: dict[str, Record] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    """Category -> one-line reason, for sources that failed while gathering."""
    calls: list[str] = field(default_factory=list)
    """Human-readable log of the tool calls made, e.g. `search_tickets(query='export rows')`."""
    _lock: Lock = field(default_factory=Lock, repr=False)

    def add(self, records: Sequence[Record]) -> None:
        with self._lock:
            for record in records:
                self.records.setdefault(f"{record.kind}:{record.ref}", record)  # type: ignore[attr-defined]

    def of_kind(self, kind: type[Record]) -> list[Any]:
        """The gathered records of one type, in arrival order."""
        return [r for r in self.records.values() if isinstance(r, kind)]
