"""The ledger's SQLite store: connection settings, ordered migrations, one transaction per command.

Several processes may write at once (a brief recorded while `escalate followups --post` runs): the
database is in WAL mode, every command takes the write lock up front (`BEGIN IMMEDIATE`) and waits
for it up to `BUSY_SECONDS`, so writers queue instead of failing or interleaving.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from agent.errors import UsageError

BUSY_SECONDS = 30.0
"""How long a command waits for another writer before giving up."""
ID_PREFIX = "ESC-"


def format_id(number: int) -> str:
    """`ESC-0001` for row 1."""
    return f"{ID_PREFIX}{number:04d}"


def parse_id(text: str) -> int:
    """The row number of `ESC-0001` (also `esc-1` or `1`). Raises `UsageError`."""
    raw = text.strip().upper().removeprefix(ID_PREFIX)
    if not raw.isdigit() or int(raw) < 1:
        raise UsageError(f"{text!r} is not an escalation id (like {format_id(1)})")
    return int(raw)


def migrations() -> list[tuple[int, str, str]]:
    """The shipped migrations as (version, name, SQL), in order: `NNNN_name.sql`."""
    folder = resources.files("agent.act.ledger").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def statements(script: str) -> list[str]:
    """A SQL script cut into complete statements (trigger bodies stay whole)."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        if not current and (not line.strip() or line.lstrip().startswith("--")):
            continue
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return out


class Ledger:
    """An open ledger database. Use as a context manager; `transaction()` for every write."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise UsageError(f"cannot open ledger {path}: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        try:
            self._configure()
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise UsageError(f"cannot open ledger {path}: {exc}") from exc

    def _configure(self) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
        deadline = time.monotonic() + BUSY_SECONDS
        while True:
            # Switching to WAL needs a moment alone with the file; the busy handler does not cover it.
            try:
                self.conn.execute("PRAGMA journal_mode = WAL").fetchone()
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("PRAGMA foreign_keys = ON")

    def _migrate(self) -> None:
        wanted = migrations()
        if self.version() >= wanted[-1][0]:
            return
        with self.transaction() as conn:
            current = self.version()
            for version, _name, script in wanted:
                if version > current:
                    for statement in statements(script):
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {version}")

    def version(self) -> int:
        """The schema version: the last migration applied."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction holding the write lock from the start; rolled back on any error."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same committed state."""
        self.conn.execute("BEGIN")
        try:
            yield self.conn
        finally:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def append_event(
    conn: sqlite3.Connection, escalation: int, at: str, kind: str, data: dict[str, Any], actor: str | None = None
) -> None:
    """Add one entry to the append-only history."""
    conn.execute(
        "INSERT INTO events (escalation_id, at, kind, actor, data) VALUES (?, ?, ?, ?, ?)",
        (escalation, at, kind, actor, json.dumps(data, ensure_ascii=False, sort_keys=True)),
    )


def row_of(conn: sqlite3.Connection, escalation: int) -> sqlite3.Row:
    """The escalation's row. Raises `UsageError` for an unknown id."""
    row = conn.execute("SELECT * FROM escalations WHERE id = ?", (escalation,)).fetchone()
    if row is None:
        raise UsageError(f"unknown escalation {format_id(escalation)}: see 'escalate ledger list'")
    return row  # type: ignore[no-any-return]
