"""Opening and migrating workspace databases (in-memory for the demo, SQLite files otherwise).

Migrations are the numbered `migrations/NNNN_name.sql` files, applied in order, each in its own
transaction that also records it in `schema_migrations` and sets `PRAGMA user_version`. Applying
them again is a no-op, and opening a file made by an older version applies only the missing ones.
A migration whose first lines say `-- requires: fts5` is recorded but skipped when this SQLite
build lacks FTS5; the backend then falls back to LIKE matching.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from connectors.errors import WorkspaceFileError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
WORKSPACE_FORMAT = "escalate-workspace"
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    """One numbered SQL migration file."""

    version: int
    name: str
    sql: str

    @property
    def requires_fts5(self) -> bool:
        """Whether the migration only makes sense (and only runs) with FTS5 available."""
        head = self.sql.lstrip().splitlines()[:3]
        return any(line.strip().lower() == "-- requires: fts5" for line in head)


@cache
def migrations() -> tuple[Migration, ...]:
    """Every shipped migration, in version order (read once per process)."""
    found: list[Migration] = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match is None:
            raise RuntimeError(f"badly named migration {path.name}")
        found.append(Migration(int(match.group(1)), path.stem, path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return tuple(found)


def latest_version() -> int:
    """The schema version a fully migrated workspace has."""
    return len(migrations())


def fts5_available(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite build can create FTS5 tables."""
    try:
        conn.execute("CREATE VIRTUAL TABLE temp._fts5_probe USING fts5(x)")
        conn.execute("DROP TABLE temp._fts5_probe")
    except sqlite3.OperationalError:
        return False
    return True


def applied_versions(conn: sqlite3.Connection) -> set[int]:
    """Versions recorded in `schema_migrations` (empty for a fresh database)."""
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").fetchone()
    if exists is None:
        return set()
    return {int(row[0]) for row in conn.execute("SELECT version FROM schema_migrations")}


def migrate(conn: sqlite3.Connection, target: int | None = None, fts5: bool | None = None) -> list[int]:
    """Apply pending migrations up to `target` (default: all); return the versions applied.

    `fts5=False` skips FTS5 migrations even where FTS5 exists (used to exercise the fallback).
    """
    use_fts5 = fts5_available(conn) if fts5 is None else fts5 and fts5_available(conn)
    wanted = latest_version() if target is None else target
    done: list[int] = []
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, skipped INTEGER NOT NULL DEFAULT 0,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
    )
    for migration in migrations():
        if migration.version > wanted:
            break
        # IMMEDIATE takes the write lock first, so two processes opening one old file cannot
        # both apply the same migration.
        conn.execute("BEGIN IMMEDIATE")
        try:
            if migration.version in applied_versions(conn):
                conn.execute("ROLLBACK")
                continue
            skipped = migration.requires_fts5 and not use_fts5
            if not skipped:
                for statement in _statements(migration.sql):
                    conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, skipped) VALUES (?, ?, ?)",
                (migration.version, migration.name, int(skipped)),
            )
            conn.execute(f"PRAGMA user_version = {migration.version:d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        done.append(migration.version)
    return done


def _statements(sql: str) -> Iterator[str]:
    """Split a migration into statements (executescript would commit our transaction)."""
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if any(line.strip() and not line.strip().startswith("--") for line in buffer.splitlines()):
        raise RuntimeError("migration ends with an incomplete statement")


class Store:
    """One SQLite connection shared by every connector of a workspace, safe across threads.

    Connectors are called from a thread pool, so the connection is opened with
    `check_same_thread=False` and every query or transaction holds one lock.
    """

    def __init__(self, conn: sqlite3.Connection, source: str) -> None:
        self.conn = conn
        self.source = source
        self.lock = threading.RLock()
        self.conn.row_factory = sqlite3.Row
        with self.lock:
            self.has_fts = self.table_exists("tickets_fts")

    def table_exists(self, name: str) -> bool:
        """Whether a table (or virtual table) of this name exists."""
        with self.lock:
            row = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
        return row is not None

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Run one read query under the lock and fetch every row."""
        with self.lock:
            return self.conn.execute(sql, params).fetchall()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and one transaction; commit on success, roll back on any error."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        with self.lock:
            self.conn.close()


def memory_store(source: str, fts5: bool | None = None) -> Store:
    """A fresh, fully migrated in-memory database."""
    conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    migrate(conn, fts5=fts5)
    return Store(conn, source)


def open_file_store(path: Path, source: str, create: bool = False) -> Store:
    """Open (and migrate forward) the workspace file at `path`.

    With `create`, a missing or empty file becomes a new workspace; an existing file must
    already be a workspace. Raises `WorkspaceFileError` with a one-line message otherwise.
    """
    path = Path(path)
    if path.is_dir():
        raise WorkspaceFileError(f"{path} is a directory, not a workspace file")
    if not create and not path.is_file():
        raise WorkspaceFileError(f"workspace file {path} does not exist")
    try:
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=10)
    except sqlite3.Error as exc:
        raise WorkspaceFileError(f"cannot open workspace file {path}: {exc}") from None
    try:
        _check_is_workspace(conn, path, allow_empty=create)
        migrate(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise WorkspaceFileError(f"{path} is not a usable workspace file: {exc}") from None
    except WorkspaceFileError:
        conn.close()
        raise
    return Store(conn, source)


def _check_is_workspace(conn: sqlite3.Connection, path: Path, allow_empty: bool) -> None:
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError:
        raise WorkspaceFileError(f"{path} is not a workspace file (not a SQLite database)") from None
    if not tables:
        if allow_empty:
            return
        raise WorkspaceFileError(f"{path} is an empty database, not a workspace (run `escalate workspace init`)")
    if "workspace_meta" not in tables:
        raise WorkspaceFileError(f"{path} is a SQLite database but not an escalate workspace")
    row = conn.execute("SELECT value FROM workspace_meta WHERE key = 'format'").fetchone()
    if row is None or row[0] != WORKSPACE_FORMAT:
        raise WorkspaceFileError(f"{path} is a SQLite database but not an escalate workspace")
    newest = max(applied_versions(conn), default=0)
    if newest > latest_version():
        raise WorkspaceFileError(
            f"{path} was written by a newer escalate (schema {newest} > {latest_version()}); upgrade escalate"
        )
