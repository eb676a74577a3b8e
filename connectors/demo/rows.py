"""Mapping between frozen records and rows of the workspace tables, and upserts by id."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from connectors.records import Account, Article, ChatMessage, Comment, Deal, Record, Ticket, TrackerIssue


@dataclass(frozen=True)
class Kind:
    """How one record type is stored: table, key column, and which columns need conversion."""

    name: str
    table: str
    key: str
    record: type[Record]
    columns: tuple[str, ...]
    lists: frozenset[str] = frozenset()
    bools: frozenset[str] = frozenset()
    datetimes: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()


def _kind(name: str, table: str, record: type[Record], columns: str, **converted: str) -> Kind:
    """A Kind from whitespace-separated column names; the first column is the key."""
    names = tuple(columns.split())
    sets = {group: frozenset(converted.get(group, "").split()) for group in ("lists", "bools", "datetimes", "dates")}
    return Kind(name, table, names[0], record, names, **sets)


KINDS: dict[str, Kind] = {
    "tickets": _kind(
        "tickets",
        "tickets",
        Ticket,
        "id subject description status priority requester account created_at updated_at sla_due_at tags"
        " product_area tracker_keys url",
        lists="tags tracker_keys",
        datetimes="created_at updated_at sla_due_at",
    ),
    "comments": _kind(
        "comments",
        "comments",
        Comment,
        "id ticket_id author author_role public created_at body url",
        bools="public",
        datetimes="created_at",
    ),
    "accounts": _kind(
        "accounts",
        "accounts",
        Account,
        "id name domain plan segment arr renewal_date csm contacts reference_customer open_deals"
        " past_escalations health url",
        lists="contacts open_deals past_escalations",
        bools="reference_customer",
        dates="renewal_date",
    ),
    "chat": _kind(
        "chat",
        "chat_messages",
        ChatMessage,
        "id channel author posted_at text thread_id reply_count url",
        datetimes="posted_at",
    ),
    "tracker": _kind(
        "tracker",
        "tracker_issues",
        TrackerIssue,
        "key title issue_type status resolved assignee team priority labels linked_tickets created_at"
        " resolved_at description regression_of url",
        lists="labels linked_tickets",
        bools="resolved",
        datetimes="created_at resolved_at",
    ),
    "articles": _kind(
        "articles",
        "articles",
        Article,
        "id title article_type status body updated_at tags url",
        lists="tags",
        datetimes="updated_at",
    ),
}


def utc_text(value: datetime) -> str:
    """A datetime as UTC ISO 8601 text; naive values are taken to be UTC already."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _plain(value: Any) -> Any:
    if isinstance(value, Deal):
        return value.model_dump(mode="json")
    return value


def record_to_row(kind: Kind, record: Record) -> dict[str, Any]:
    """The table row for a record (the record's `source_id` becomes the key column)."""
    row: dict[str, Any] = {}
    for column in kind.columns:
        value: Any = record.source_id if column == kind.key else getattr(record, column)
        if value is None:
            row[column] = None
        elif column in kind.lists:
            row[column] = json.dumps([_plain(item) for item in value], ensure_ascii=False)
        elif column in kind.bools:
            row[column] = int(bool(value))
        elif column in kind.datetimes:
            row[column] = utc_text(value)
        elif column in kind.dates:
            row[column] = value.isoformat() if isinstance(value, date) else str(value)
        else:
            row[column] = value
    return row


def row_to_record(kind: Kind, row: Mapping[str, Any], source: str) -> Record:
    """Rebuild the frozen record from a table row."""
    data: dict[str, Any] = {"source": source, "source_id": row[kind.key]}
    for column in kind.columns:
        if column == "id":
            continue
        value = row[column]
        if value is None:
            continue
        if column in kind.lists:
            value = tuple(json.loads(value))
        elif column in kind.bools:
            value = bool(value)
        data[column] = value
    if "replies" in row:
        data["reply_count"] = max(int(data.get("reply_count", 0)), int(row["replies"]))
    return kind.record.model_validate(data)


def upsert(conn: sqlite3.Connection, kind: Kind, rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert or replace rows by key, keeping each row's rowid so the FTS triggers stay in step."""
    columns = kind.columns
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != kind.key)
    sql = (
        f"INSERT INTO {kind.table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)}) "
        f"ON CONFLICT({kind.key}) DO UPDATE SET {updates}"
    )
    values = [tuple(row.get(c) for c in columns) for row in rows]
    conn.executemany(sql, values)
    return len(values)
