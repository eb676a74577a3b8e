"""Shared builders for the triage tests: queue items and queue files."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
