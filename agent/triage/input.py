"""The queue to triage: tickets from a JSONL/CSV file or from the workspace's support platform.

File rows use the workspace importer's ticket columns (`escalate workspace import` documents them),
so one file serves both commands. A JSONL row may also carry the ticket's timeline as `comments`
(a list of {author, author_role, public, created_at, body}). A malformed row is reported with its
line number and skipped; the rest of the queue still runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from agent.errors import UsageError
from agent.triage.keys import content_hash
from connectors.base import ConnectorError, Workspace
from connectors.demo.importer import ImportFileError, read_rows, to_record_data
from connectors.demo.rows import KINDS
from connectors.records import Comment, Ticket

SOURCE = "queue"


@dataclass(frozen=True)
class QueueItem:
    """One ticket to triage, with its timeline and where it came from."""

    ticket: Ticket
    comments: tuple[Comment, ...] = ()
    line: int | None = None
    """Line of the input file the row starts on (None for the support platform)."""

    @property
    def id(self) -> str:
        """The ticket id."""
        return self.ticket.source_id

    @cached_property
    def content_hash(self) -> str:
        """Hash of the ticket and timeline as read."""
        return content_hash(self.ticket, self.comments)


@dataclass(frozen=True)
class Malformed:
    """A row that could not be read: where, which id if any, and why."""

    line: int
    reason: str
    ticket_id: str | None = None


@dataclass
class Queue:
    """The tickets to triage, in input order, and the rows that were skipped."""

    items: list[QueueItem] = field(default_factory=list)
    malformed: list[Malformed] = field(default_factory=list)
    origin: str = ""


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error["loc"]) or "row"
        parts.append(
            f"missing required field '{where}'" if error["type"] == "missing" else f"bad {where}: {error['msg']}"
        )
    return "; ".join(parts)


def _comments(ticket_id: str, raw: Any) -> tuple[Comment, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ValueError("comments: expected a list")
    out = []
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise ValueError(f"comments[{i}]: expected an object")
        data = {"public": item.get("author_role") != "internal", **item}
        data.setdefault("id", f"{ticket_id}-c{i}")
        data["source_id"] = str(data.pop("id"))
        try:
            out.append(Comment.model_validate({"source": SOURCE, "ticket_id": ticket_id, **data}))
        except ValidationError as exc:
            raise ValueError(f"comments[{i}]: {_describe(exc)}") from None
    return tuple(out)


def parse_row(raw: dict[str, Any]) -> QueueItem:
    """A queue item from one raw row; raises ValueError with a one-line reason."""
    kind = KINDS["tickets"]
    try:
        data = to_record_data(kind, raw)
        data["source"] = SOURCE
        ticket = Ticket.model_validate(data)
    except ValidationError as exc:
        raise ValueError(_describe(exc)) from None
    except TypeError as exc:
        raise ValueError(str(exc)) from None
    if not ticket.source_id.strip():
        raise ValueError("empty id")
    return QueueItem(ticket=ticket, comments=_comments(ticket.source_id, raw.get("comments")))


def load_file(path: Path) -> Queue:
    """Every readable ticket row of a `.jsonl` or `.csv` file. Raises `UsageError` if the file itself
    cannot be read; bad rows (and repeated ids) are listed in `Queue.malformed`."""
    queue = Queue(origin=str(path))
    first_line: dict[str, int] = {}
    try:
        rows = read_rows(Path(path))
        for line, raw in rows:
            if isinstance(raw, str):
                queue.malformed.append(Malformed(line, raw))
                continue
            guess = raw.get("id")
            guessed_id = str(guess) if isinstance(guess, str | int) and not isinstance(guess, bool) else None
            try:
                item = parse_row(raw)
            except ValueError as exc:
                queue.malformed.append(Malformed(line, str(exc), guessed_id))
                continue
            if item.id in first_line:
                queue.malformed.append(
                    Malformed(line, f"duplicate ticket id {item.id} (first on line {first_line[item.id]})", item.id)
                )
                continue
            first_line[item.id] = line
            queue.items.append(QueueItem(ticket=item.ticket, comments=item.comments, line=line))
    except ImportFileError as exc:
        raise UsageError(f"--input: {exc}") from None
    return queue


def load_support(workspace: Workspace, query: str | None, limit: int) -> Queue:
    """Tickets from the workspace's support platform matching `query` (all, newest first, when empty)."""
    if workspace.support is None:
        raise UsageError(f"--source support: workspace {workspace.name!r} has no support platform")
    queue = Queue(origin=f"{workspace.name} support" + (f" query {query!r}" if query else ""))
    try:
        tickets = workspace.support.search_tickets(text=query or None, limit=limit)
        for ticket in tickets:
            comments = tuple(workspace.support.ticket_comments(ticket.source_id))
            queue.items.append(QueueItem(ticket=ticket, comments=comments))
    except ConnectorError as exc:
        raise UsageError(f"cannot read tickets from {workspace.name!r}: {exc.message}") from exc
    return queue
