"""The embedded demo workspace (the default data source) and SQLite workspace files.

`demo_workspace()` builds the fictional company Lumen Analytics in memory from the shipped seed
files on every call; `init_workspace`, `import_file` and `open_workspace_file` manage a user's own
workspace file with the same schema and the same connectors.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from connectors.base import Workspace
from connectors.demo.backend import ChatBackend, CRMBackend, KnowledgeBaseBackend, SupportBackend, TrackerBackend
from connectors.demo.importer import ImportReport, import_rows, infer_kind, normalize_kind
from connectors.demo.seeding import SEED_NOW, SEED_TODAY, load_seed
from connectors.demo.store import Store, memory_store, open_file_store
from connectors.errors import ImportFileError, WorkspaceFileError

__all__ = [
    "SEED_NOW",
    "ImportFileError",
    "ImportReport",
    "WorkspaceFileError",
    "demo_now",
    "demo_workspace",
    "import_file",
    "init_workspace",
    "open_workspace_file",
    "workspace_from_store",
]


def workspace_from_store(store: Store, name: str) -> Workspace:
    """A workspace whose five connectors share `store` (closed with the workspace)."""
    return Workspace(
        name=name,
        support=SupportBackend(store),
        crm=CRMBackend(store),
        chat=ChatBackend(store),
        tracker=TrackerBackend(store),
        kb=KnowledgeBaseBackend(store),
        closers=[store],
        local=True,
    )


def demo_now(today: date | None = None) -> datetime:
    """The demo company's "now" (12:00 UTC) after shifting its data to `today`.

    Use it as the clock when reasoning over `demo_workspace(today)`: SLA due times and ages in
    the seed are written relative to noon, so the real wall-clock time would skew them.
    """
    return SEED_NOW if today is None else SEED_NOW + timedelta(days=(today - SEED_TODAY).days)


def demo_workspace(today: date | None = None) -> Workspace:
    """The demo company, built in memory; its "now" (2026-11-27) is moved to `today` if given."""
    store = memory_store("demo")
    load_seed(store, today)
    return workspace_from_store(store, "demo")


def open_workspace_file(path: Path) -> Workspace:
    """Open a workspace file made by `init_workspace`, migrating it forward if it is older.

    Raises `WorkspaceFileError` (one-line message) if the file is missing or not a workspace.
    """
    return workspace_from_store(open_file_store(Path(path), "workspace"), str(path))


def init_workspace(path: Path) -> None:
    """Create an empty, migrated workspace file (an existing workspace is just migrated).

    Raises `WorkspaceFileError` if `path` exists and is not a workspace.
    """
    open_file_store(Path(path), "workspace", create=True).close()


def import_file(path: Path, file: Path, kind: str | None = None) -> ImportReport:
    """Upsert the rows of a `.jsonl`/`.csv` file into the workspace at `path`.

    `kind` (tickets, comments, accounts, articles, chat or tracker) is inferred from the file name
    when None. Malformed rows are skipped and listed in the report with their line numbers.
    Raises `WorkspaceFileError` for a bad workspace and `ImportFileError` for an unreadable file.
    """
    file = Path(file)
    kind_name = normalize_kind(kind) if kind is not None else infer_kind(file)
    store = open_file_store(Path(path), "workspace")
    try:
        return import_rows(store, file, kind_name)
    finally:
        store.close()
