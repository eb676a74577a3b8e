"""The connector contract, run against the demo workspace (FTS5 and LIKE fallback) and a workspace file."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from connectors.base import Workspace
from connectors.demo import demo_workspace, import_file, init_workspace, open_workspace_file, workspace_from_store
from connectors.demo.rows import KINDS, row_to_record
from connectors.demo.seeding import load_seed
from connectors.demo.store import Store, memory_store
from connectors.records import Record
from tests.contract.connector_contract import CONTRACT_CHECKS, KnownData, check_id

DEMO_KNOWN = KnownData(
    source="demo",
    ticket_id="1042",
    ticket_query="API 500 errors intermittently",
    customer="acme",
    account_name="Acme Corp",
    account_domain="acme.example",
    plan="Enterprise",
    chat_query="5xx ingestion gateway",
    issue_key="ENG-1423",
    issue_query="intermittent 500 batch ingestion",
    article_query="retry 5xx errors",
)
FILE_KNOWN = KnownData(**{**DEMO_KNOWN.__dict__, "source": "workspace"})


def _like_only_demo() -> Workspace:
    store = memory_store("demo", fts5=False)
    assert not store.has_fts
    load_seed(store, date(2026, 11, 27))
    return workspace_from_store(store, "demo-like")


def _jsonl(path: Path, records: list[Record], key: str = "id") -> Path:
    lines = []
    for record in records:
        data = record.model_dump(mode="json", exclude={"source", "kind"})
        source_id = data.pop("source_id")
        if key == "id":
            data["id"] = source_id
        lines.append(json.dumps(data))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _file_copy_of_demo(tmp: Path) -> Workspace:
    """A workspace file holding the demo data, loaded only through `import_file`."""
    demo = demo_workspace(date(2026, 11, 27))
    store = demo.closers[0]
    assert isinstance(store, Store)
    path = tmp / "lumen.escalate"
    init_workspace(path)
    for kind in KINDS.values():
        records = [row_to_record(kind, dict(row), "demo") for row in store.query(f"SELECT * FROM {kind.table}")]
        assert records, kind.name
        report = import_file(path, _jsonl(tmp / f"{kind.name}.jsonl", records, kind.key))
        assert report.ok, report.errors
        assert report.imported == len(records)
    demo.close()
    return open_workspace_file(path)


BACKENDS: dict[str, Callable[[Path], Workspace]] = {
    "demo-fts5": lambda _tmp: demo_workspace(date(2026, 11, 27)),
    "demo-like-fallback": lambda _tmp: _like_only_demo(),
    "workspace-file": _file_copy_of_demo,
}


@pytest.fixture(scope="module", params=sorted(BACKENDS))
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Workspace, KnownData]]:
    name: str = request.param
    workspace = BACKENDS[name](tmp_path_factory.mktemp(name))
    yield workspace, FILE_KNOWN if name == "workspace-file" else DEMO_KNOWN
    workspace.close()


@pytest.mark.parametrize("check", CONTRACT_CHECKS, ids=check_id)
def test_contract(check: Callable[[Workspace, KnownData], None], backend: tuple[Workspace, KnownData]) -> None:
    workspace, known = backend
    check(workspace, known)
