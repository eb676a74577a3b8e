"""Every ledger test gets its own ledger file, also as `ESCALATE_LEDGER` for subprocesses."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def ledger_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "ledger.sqlite"
    monkeypatch.setenv("ESCALATE_LEDGER", str(path))
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    return path
