"""Durable triage state in SQLite: one row per unit of work, keyed by its idempotency key.

WAL mode and one transaction per state change: a process killed at any moment (SIGKILL) loses
at most the ticket it was working on, which stays `pending` and runs again. `attempts` counts
started attempts (incremented before the work starts), so a ticket that crashes the process
itself ends up dead-lettered instead of crashing every run. `synchronous=NORMAL` keeps every
committed transaction across a process crash; only an OS crash or power loss could drop the last
few, which a rerun simply redoes.

An attempt that ends because the model was unavailable (down, overloaded, unreachable) does not
count: an outage is no fault of the ticket and must never use up its attempts. A ticket triaged
by the offline reader instead (`fallback`) is `done`, so the report has its result, and is tried
with the model again by a later run.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from agent.errors import UsageError
from agent.triage.keys import WorkKey

SCHEMA_VERSION = "2"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (
    key TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    policy_version TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    model TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    summary TEXT,
    extraction TEXT,
    batch INTEGER,
    updated_at TEXT NOT NULL,
    fallback INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS items_ticket ON items (ticket_id);
CREATE INDEX IF NOT EXISTS items_batch ON items (batch) WHERE batch IS NOT NULL;
CREATE TABLE IF NOT EXISTS batches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id TEXT UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('submitting', 'in_progress', 'collected', 'abandoned')),
    size INTEGER NOT NULL,
    submitted_at TEXT NOT NULL
);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class ItemState:
    """Where one unit of work stands."""

    key: str
    ticket_id: str
    status: str
    attempts: int
    last_error: str | None
    batch: int | None
    fallback: bool = False
    """Done by the offline reader because the model failed: to be tried with the model again."""


@dataclass(frozen=True)
class BatchRow:
    """A Message Batches submission: our row id, the API's batch id once known, and its state."""

    id: int
    batch_id: str | None
    status: str
    size: int
    submitted_at: datetime


class StateStore:
    """The state file. Use from one thread (the runner's coordinating thread)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock_file: TextIO | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock()
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and "items" not in tables:
                raise UsageError(f"--state {path} is a SQLite file but not a triage state file; choose another path")
            self._db.executescript(_SCHEMA)
            columns = {r[1] for r in self._db.execute("PRAGMA table_info(items)")}
            if "fallback" not in columns:  # a state file from schema 1
                self._db.execute("ALTER TABLE items ADD COLUMN fallback INTEGER NOT NULL DEFAULT 0")
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        except sqlite3.DatabaseError as exc:
            raise UsageError(f"--state {path} cannot be used: {exc}") from exc
        except OSError as exc:
            raise UsageError(f"--state {path} cannot be created: {exc.strerror}") from exc

    def close(self) -> None:
        """Close the connection (everything is already committed) and release the run lock."""
        self._db.close()
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def _lock(self) -> None:
        """One run per state file: two would triage the same pending tickets twice. The OS drops the
        lock when the process ends, however it ends (SIGKILL included)."""
        try:
            import fcntl
        except ImportError:  # not on POSIX: no lock
            return
        handle = open(self.path.with_name(self.path.name + ".lock"), "a")  # noqa: SIM115 - held until close()
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise UsageError(
                f"another triage run is using --state {self.path}; wait for it or choose another --state"
            ) from None
        self._lock_file = handle

    # --- items ---------------------------------------------------------------------------

    def ensure(self, keys: Sequence[WorkKey]) -> None:
        """Add the units of work not yet known (one transaction)."""
        now = _now()
        rows = [(k.key, k.ticket_id, k.content_hash, k.policy_version, k.prompt_version, k.model, now) for k in keys]
        with self._transaction():
            self._db.executemany(
                "INSERT OR IGNORE INTO items (key, ticket_id, content_hash, policy_version, prompt_version, model, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def states(self, keys: Iterable[str]) -> dict[str, ItemState]:
        """The state of each known key."""
        rows = self._db.execute(
            "SELECT key, ticket_id, status, attempts, last_error, batch, fallback FROM items "
            "WHERE key IN (SELECT value FROM json_each(?))",
            (json.dumps(list(keys)),),
        )
        return {r[0]: ItemState(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows}

    def start(self, key: str) -> int:
        """Record that an attempt starts (committed before the work); returns the attempt number."""
        row = self._db.execute(
            "UPDATE items SET attempts = attempts + 1, updated_at = ? WHERE key = ? RETURNING attempts", (_now(), key)
        ).fetchone()
        if row is None:
            raise KeyError(key)
        return int(row[0])

    def finish(self, key: str, summary: dict[str, Any], extraction: str) -> None:
        """Store the result: the unit of work is done."""
        self._db.execute(
            "UPDATE items SET status = 'done', last_error = NULL, batch = NULL, summary = ?, extraction = ?, "
            "fallback = 0, updated_at = ? WHERE key = ?",
            (json.dumps(summary, ensure_ascii=False), extraction, _now(), key),
        )

    def fall_back(
        self, key: str, summary: dict[str, Any], extraction: str, error: str, *, refund: bool = False
    ) -> None:
        """Store the offline reader's result for a ticket the model failed on (`error` says how); it
        stays to be retried with the model. `refund`: the failed attempt was an outage, not counted."""
        self._db.execute(
            "UPDATE items SET status = 'done', last_error = ?, batch = NULL, summary = ?, extraction = ?, "
            "fallback = 1, attempts = max(0, attempts - ?), updated_at = ? WHERE key = ?",
            (error[:500], json.dumps(summary, ensure_ascii=False), extraction, int(refund), _now(), key),
        )

    def record_error(self, key: str, error: str, *, refund: bool) -> None:
        """Record why an attempt ended, leaving the unit as it was (pending, or its earlier fallback
        result) for a later attempt; `refund` gives back the attempt (an outage does not count)."""
        self._db.execute(
            "UPDATE items SET last_error = ?, batch = NULL, attempts = max(0, attempts - ?), updated_at = ? "
            "WHERE key = ?",
            (error[:500], int(refund), _now(), key),
        )

    def fail(self, key: str, error: str, *, dead: bool) -> None:
        """Record a failed attempt; `dead` moves the unit to the dead-letter list."""
        self._db.execute(
            "UPDATE items SET status = ?, last_error = ?, batch = NULL, updated_at = ? WHERE key = ?",
            ("dead" if dead else "pending", error[:500], _now(), key),
        )

    def summaries(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored result summary of each done key."""
        rows = self._db.execute(
            "SELECT key, summary FROM items WHERE status = 'done' AND key IN (SELECT value FROM json_each(?))",
            (json.dumps(list(keys)),),
        )
        return {key: json.loads(summary) for key, summary in rows}

    def extraction(self, key: str) -> str | None:
        """The stored extraction JSON of a done key."""
        row = self._db.execute("SELECT extraction FROM items WHERE key = ? AND status = 'done'", (key,)).fetchone()
        return str(row[0]) if row and row[0] is not None else None

    # --- Message Batches ------------------------------------------------------------------

    def open_submission(self, keys: Sequence[str]) -> int:
        """Record an intended batch and claim its keys (attempt + 1) before the API is called."""
        with self._transaction():
            cursor = self._db.execute(
                "INSERT INTO batches (status, size, submitted_at) VALUES ('submitting', ?, ?)", (len(keys), _now())
            )
            row = int(cursor.lastrowid or 0)
            self._db.execute(
                "UPDATE items SET batch = ?, attempts = attempts + 1, updated_at = ? "
                "WHERE key IN (SELECT value FROM json_each(?)) AND batch IS NULL AND status = 'pending'",
                (row, _now(), json.dumps(list(keys))),
            )
        return row

    def set_batch_id(self, row: int, batch_id: str) -> None:
        """The API accepted the batch: remember its id (the one thing a resume needs)."""
        self._db.execute("UPDATE batches SET batch_id = ?, status = 'in_progress' WHERE id = ?", (batch_id, row))

    def close_batch(self, row: int, status: str) -> None:
        """Mark a batch collected or abandoned and release any keys still attached to it."""
        with self._transaction():
            self._db.execute("UPDATE items SET batch = NULL WHERE batch = ?", (row,))
            self._db.execute("UPDATE batches SET status = ? WHERE id = ?", (status, row))

    def open_batches(self) -> list[BatchRow]:
        """Batches submitted (or being submitted) and not yet collected."""
        rows = self._db.execute(
            "SELECT id, batch_id, status, size, submitted_at FROM batches "
            "WHERE status IN ('submitting', 'in_progress') ORDER BY id"
        )
        return [BatchRow(r[0], r[1], r[2], r[3], datetime.fromisoformat(r[4])) for r in rows]

    def known_batch_ids(self) -> set[str]:
        """Every batch id this state has ever recorded."""
        return {r[0] for r in self._db.execute("SELECT batch_id FROM batches WHERE batch_id IS NOT NULL")}

    def batch_keys(self, row: int) -> list[str]:
        """The keys a batch holds."""
        return [r[0] for r in self._db.execute("SELECT key FROM items WHERE batch = ?", (row,))]

    # --- plumbing --------------------------------------------------------------------------

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on an exception."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")
