"""Shared by the ledger tests: the CLI in-process, and small contract dicts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from agent.cli import main

API_500 = "API returning 500 errors intermittently for Acme Corp"
WEBHOOK = "Webhook signature verification failing"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `escalate ARGS` in this process; (exit status, stdout, stderr)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    """Run a command with `--json` that must succeed; its parsed output."""
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def brief(
    summary: str,
    tickets: list[str],
    severity: str | None = "High",
    date: str = "2026-12-03T12:00:00+00:00",
    tracker: list[str] | None = None,
    area: str | None = "api",
) -> dict[str, Any]:
    """A minimal brief in the shape of `escalate brief --format json`."""
    return {
        "escalate": severity is not None,
        "severity": severity,
        "target_team": "Engineering" if severity else None,
        "priority": "P2",
        "summary": summary,
        "date": date,
        "workspace": "demo",
        "rules_fired": [{"id": "TECH-BUG", "family": "technical", "reason": "bug", "evidence": []}],
        "follow_up": {"de_escalation": []},
        "extraction": {"ticket_ids": tickets, "tracker_keys": tracker or [], "product_area": area},
    }
