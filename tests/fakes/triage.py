"""Shared builders for the triage tests: queue items, queue files, and a model that goes down."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent.models.base import ModelCapabilities, ModelError, ModelRequest, ModelTurn
from agent.models.offline.model import OfflineModel
from agent.triage.input import QueueItem
from connectors.records import Ticket

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def item(ticket_id: str, account: str, subject: str, description: str = "", **extra: Any) -> QueueItem:
    """A queue item with a ticket opened an hour before NOW."""
    ticket = Ticket(
        source="queue",
        source_id=ticket_id,
        subject=subject,
        description=description,
        account=account,
        created_at=datetime(2026, 11, 27, 11, 0, tzinfo=UTC),
        **extra,
    )
    return QueueItem(ticket=ticket)


def write_jsonl(path: Path, rows: list[dict[str, Any] | str]) -> Path:
    """Rows as JSONL (a str row is written verbatim, to make broken lines)."""
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def ticket_row(ticket_id: str, account: str, subject: str, description: str = "", **extra: Any) -> dict[str, Any]:
    """One input row in the importer's ticket columns."""
    return {
        "id": ticket_id,
        "subject": subject,
        "description": description,
        "account": account,
        "created_at": "2026-11-27T10:00:00Z",
        **extra,
    }


class OutageModel:
    """A non-offline model that is down (raises what the Anthropic adapter raises in an outage) or
    up (the offline model answering the single extraction request). Flip `up`, or set `up_calls`
    to answer only that many calls before going down."""

    name = "fake-claude"
    capabilities = ModelCapabilities()

    def __init__(self, *, up: bool = False, status: int | None = None, up_calls: int | None = None) -> None:
        self.up = up
        self.status = status
        """The outage's HTTP status (None: no answer at all, as for a refused connection)."""
        self.up_calls = up_calls
        self.calls = 0
        self.answered = 0

    def complete(self, request: ModelRequest) -> ModelTurn:
        """Answer like the offline model while up; raise the outage's `ModelError` while down."""
        self.calls += 1
        if self.up_calls is not None and self.answered >= self.up_calls:
            self.up = False
        if not self.up:
            if self.status is None:
                raise ModelError("Anthropic API unreachable after 2 retries (127.0.0.1:9)")
            raise ModelError(f"Anthropic API unavailable after 2 retries (status {self.status})", status=self.status)
        self.answered += 1
        return OfflineModel().complete(request)
