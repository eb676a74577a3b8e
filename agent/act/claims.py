"""Write claims: every write action claims its idempotency key in a local SQLite record before it
searches the vendor and creates, and records what it created afterwards.

Three runs of the same action at once make exactly one write: the first claims the key, the others
wait for its record and report the object it created. A run that died between its claim and its
record leaves a stale claim; the next run takes it over and lets the vendor search (which looks for
the key's marker) decide whether the object already exists, so a crash never causes a duplicate
either. One short transaction per step, `BEGIN IMMEDIATE`, so concurrent processes serialise.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from agent.errors import UsageError
from agent.settings import load_settings

SCHEMA = """
CREATE TABLE IF NOT EXISTS write_claims (
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    key TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('claimed', 'done')),
    owner_pid INTEGER,
    owner TEXT,
    claimed_at REAL NOT NULL,
    reference TEXT,
    url TEXT,
    details TEXT,
    PRIMARY KEY (action, target, key)
)
"""

STALE_AFTER_SECONDS = 120.0
"""A claim older than this whose owner is gone is taken over (the owner crashed mid-write)."""


@dataclass(frozen=True)
class Done:
    """What an earlier (or concurrent) run of the same action created."""

    reference: str
    url: str | None
    details: dict[str, object]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WriteClaims:
    """The claim record at `path` (created on first use)."""

    def __init__(
        self,
        path: Path,
        wait_seconds: float = 60.0,
        poll_seconds: float = 0.05,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.wait_seconds = wait_seconds
        self.poll_seconds = poll_seconds
        self._sleep = sleep
        self._clock = clock
        self._owner = f"{os.getpid()}-{uuid.uuid4().hex}"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, timeout=30.0, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise UsageError(f"cannot open the write-claim record {path}: {exc}") from exc

    def close(self) -> None:
        """Release the database."""
        self._db.close()

    def claim(self, action: str, target: str, key: str) -> Done | None:
        """Claim the key for this process. Returns what was already created for it (the caller
        then writes nothing), or None once the claim is ours. Waits while another live process
        holds it; takes over a claim whose owner died."""
        deadline = self._clock() + self.wait_seconds
        while True:
            busy, done = self._try_claim(action, target, key)
            if not busy:
                return done
            if self._clock() >= deadline:
                raise UsageError(f"another run is still writing {action} for key {key}; try again in a minute")
            self._sleep(self.poll_seconds)

    def _try_claim(self, action: str, target: str, key: str) -> tuple[bool, Done | None]:
        """(another live process holds the claim, what was created already)."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute(
                "SELECT status, owner_pid, owner, claimed_at, reference, url, details FROM write_claims "
                "WHERE action = ? AND target = ? AND key = ?",
                (action, target, key),
            ).fetchone()
            if row is not None:
                status, pid, owner, claimed_at, reference, url, details = row
                if status == "done":
                    db.execute("COMMIT")
                    return False, Done(str(reference), url, json.loads(details or "{}"))
                stale = not _alive(int(pid)) or self._clock() - float(claimed_at) > STALE_AFTER_SECONDS
                if not stale and owner != self._owner:
                    db.execute("COMMIT")
                    return True, None
            db.execute(
                "INSERT INTO write_claims (action, target, key, status, owner_pid, owner, claimed_at) "
                "VALUES (?, ?, ?, 'claimed', ?, ?, ?) ON CONFLICT (action, target, key) DO UPDATE SET "
                "status = 'claimed', owner_pid = excluded.owner_pid, owner = excluded.owner, "
                "claimed_at = excluded.claimed_at",
                (action, target, key, os.getpid(), self._owner, self._clock()),
            )
            db.execute("COMMIT")
            return False, None
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def record(self, action: str, target: str, key: str, done: Done) -> None:
        """Record what the claimed write created (or found): later runs return it."""
        with self._db:
            self._db.execute(
                "UPDATE write_claims SET status = 'done', reference = ?, url = ?, details = ? "
                "WHERE action = ? AND target = ? AND key = ?",
                (done.reference, done.url, json.dumps(done.details, default=str), action, target, key),
            )

    def release(self, action: str, target: str, key: str) -> None:
        """Give up a claim after a failed write (nothing was created), so a retry may claim it."""
        with self._db:
            self._db.execute(
                "DELETE FROM write_claims WHERE action = ? AND target = ? AND key = ? AND status = 'claimed'",
                (action, target, key),
            )

    def created_ids(self, action: str, target: str, limit: int = 50) -> list[str]:
        """The vendor ids (`details["id"]`) of the newest objects `action` created on `target`:
        what an eventually consistent search (Jira's) is told to reconcile."""
        rows = self._db.execute(
            "SELECT details FROM write_claims WHERE action = ? AND target = ? AND status = 'done' "
            "ORDER BY claimed_at DESC LIMIT ?",
            (action, target, limit),
        ).fetchall()
        ids = [json.loads(r[0] or "{}").get("id") for r in rows]
        return [str(i) for i in reversed(ids) if i]


def default_claims_path(env: Mapping[str, str] | None = None) -> Path:
    """`write-claims.sqlite` in the local state folder (see `Settings.local_state_dir`)."""
    return load_settings(env).local_state_dir() / "write-claims.sqlite"
