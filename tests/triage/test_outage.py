"""Outages never lose tickets: `escalate triage` run in process against a model that is down, then
up. An outage uses up no attempt and dead-letters nothing; with the default `--fallback offline`
the offline reader triages the ticket at once (marked `fallback`), and a rerun asks the model
again; with `--fallback none` the ticket waits for the rerun. The exit status says which."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from agent.cli import main, triage_cmd
from agent.models.base import ModelError
from agent.triage.outage import BREAKER_THRESHOLD, ModelUnavailable, outage_reason
from agent.triage.ticket import TicketFailure
from tests.fakes.triage import OutageModel, ticket_row, write_jsonl

SUBJECTS = [
    ("CSV export is missing rows", "Since the release our CSV export is missing rows."),
    ("SSO login loop", "Okta login loops back to the sign-in page; nobody can log in."),
    ("How do I add a user?", "How can I invite a colleague as a viewer?"),
    ("Invoice address", "Please update the billing address on our invoices."),
]
COUNT = 12


@pytest.fixture
def queue(tmp_path: Path) -> Path:
    rows: list[dict[str, Any] | str] = [
        ticket_row(str(300 + i), f"Account {i}", *SUBJECTS[i % len(SUBJECTS)]) for i in range(COUNT)
    ]
    return write_jsonl(tmp_path / "tickets.jsonl", rows)


def run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    queue: Path,
    model: OutageModel,
    *extra: str,
) -> tuple[int, str, dict[str, Any]]:
    monkeypatch.setattr(triage_cmd, "make_model", lambda spec: model)
    report = queue.parent / "out" / "report.json"
    code = main(
        [
            "triage",
            "--input",
            str(queue),
            "--workspace",
            "none",
            "--date",
            "2026-11-27",
            "--report",
            str(report),
            "--no-progress",
            "--top",
            "0",
            "--concurrency",
            "2",
            *extra,
        ]
    )
    err = capsys.readouterr().err
    return code, err, json.loads(report.read_text())


def rows(queue: Path) -> list[tuple[str, int, int]]:
    """(status, attempts, fallback) of every state row."""
    db = sqlite3.connect(queue.parent / "out" / "report.triage.sqlite")
    try:
        return db.execute("SELECT status, attempts, fallback FROM items ORDER BY ticket_id").fetchall()
    finally:
        db.close()


def test_down_then_up_without_fallback_the_rerun_triages_everything(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], queue: Path
) -> None:
    model = OutageModel(up=False)
    code, err, data = run(monkeypatch, capsys, queue, model, "--fallback", "none")
    assert code == 1 and data["exit_code"] == 1
    assert data["counts"]["triaged"] == 0 and data["counts"]["dead_letter"] == 0
    assert data["counts"]["unavailable"] == COUNT
    assert {f["stage"] for f in data["failed"]} == {"unavailable"}
    assert f"{COUNT} ticket(s) not triaged: the model was unavailable" in err
    assert rows(queue) == [("pending", 0, 0)] * COUNT  # no attempt used up
    assert model.calls <= BREAKER_THRESHOLD + 2  # down for everyone: the run stopped asking

    model.up = True
    code, err, data = run(monkeypatch, capsys, queue, model, "--fallback", "none")
    assert code == 0, err
    assert data["counts"]["triaged"] == COUNT and data["failed"] == []
    assert data["run"]["triaged_now"] == COUNT
    assert rows(queue) == [("done", 1, 0)] * COUNT


@pytest.mark.parametrize("status", [None, 500, 503])
def test_down_with_the_default_fallback_every_ticket_is_triaged_offline_then_retried(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], queue: Path, status: int | None
) -> None:
    model = OutageModel(up=False, status=status)
    code, err, data = run(monkeypatch, capsys, queue, model)
    assert code == 1
    assert data["counts"]["triaged"] == COUNT and data["counts"]["fallback"] == COUNT
    assert data["counts"]["dead_letter"] == 0 and data["failed"] == []
    assert all(t["fallback"] and t["model"] == "offline" for t in data["tickets"])
    assert f"{COUNT} ticket(s) triaged by the offline reader because the model failed" in err
    assert rows(queue) == [("done", 0, 1)] * COUNT

    model.up, model.calls = True, 0
    code, err, data = run(monkeypatch, capsys, queue, model)
    assert code == 0, err
    assert model.calls == COUNT  # each fallback asked the model once more
    assert data["run"]["retried_fallbacks"] == COUNT and data["run"]["triaged_now"] == COUNT
    assert data["counts"]["fallback"] == 0
    assert all(not t["fallback"] and t["model"] == "fake-claude" for t in data["tickets"])
    assert rows(queue) == [("done", 1, 0)] * COUNT

    model.calls = 0
    code, _, data = run(monkeypatch, capsys, queue, model)
    assert (code, model.calls, data["run"]["already_done"]) == (0, 0, COUNT)  # nothing left to redo


def test_an_outage_mid_run_falls_back_only_for_the_rest_and_the_rerun_redoes_only_those(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], queue: Path
) -> None:
    model = OutageModel(up=True, up_calls=5)
    code, _, data = run(monkeypatch, capsys, queue, model, "--concurrency", "1")
    assert code == 1
    assert data["counts"]["triaged"] == COUNT
    fell_back = {t["id"] for t in data["tickets"] if t["fallback"]}
    assert len(fell_back) == COUNT - 5

    model.up, model.up_calls, model.calls = True, None, 0
    code, _, data = run(monkeypatch, capsys, queue, model, "--concurrency", "1")
    assert code == 0
    assert model.calls == len(fell_back)
    assert (data["run"]["already_done"], data["run"]["retried_fallbacks"]) == (5, len(fell_back))


def test_a_ticket_the_model_keeps_failing_on_falls_back_instead_of_being_dead_lettered(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], queue: Path
) -> None:
    from agent.models.base import ModelRequest, ModelTurn

    class NoExtractionForInvoices(OutageModel):
        def complete(self, request: ModelRequest) -> ModelTurn:
            if any("Invoice address" in m.text for m in request.messages):
                return ModelTurn(text="no tool call", stop_reason="end_turn")
            return super().complete(request)

    code, _, data = run(monkeypatch, capsys, queue, NoExtractionForInvoices(up=True))
    invoices = {t["id"] for t in data["tickets"] if t["subject"] == "Invoice address"}
    assert code == 1 and len(invoices) == COUNT // 4
    assert {t["id"] for t in data["tickets"] if t["fallback"]} == invoices
    assert data["counts"]["dead_letter"] == 0


def test_overload_that_outlasts_the_waits_is_an_outage_not_a_dead_letter(tmp_path: Path) -> None:
    from agent.decide.policy import load_policy
    from agent.models.offline.model import OfflineModel
    from agent.triage.limiter import ScaledClock
    from agent.triage.runner import Runner
    from agent.triage.store import StateStore
    from agent.triage.ticket import Lookup, TicketTriager
    from tests.fakes.triage import NOW, item

    model = OutageModel(up=False, status=529)
    triager = TicketTriager(Lookup(None), load_policy(), model, NOW)  # type: ignore[arg-type]
    offline = TicketTriager(Lookup(None), load_policy(), OfflineModel(), NOW)
    items = [item(str(i), f"Account {i}", *SUBJECTS[i % 4]) for i in range(6)]
    store = StateStore(tmp_path / "s.sqlite")
    stats = Runner(store, triager, concurrency=2, clock=ScaledClock(1e6), fallback=offline.triage).run(items)
    store.close()
    assert (stats.fell_back, stats.dead, stats.done) == (6, 0, 0)
    db = sqlite3.connect(tmp_path / "s.sqlite")
    try:
        assert set(db.execute("SELECT status, attempts, fallback FROM items")) == {("done", 0, 1)}
    finally:
        db.close()


def test_bad_fallback_value_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], queue: Path
) -> None:
    monkeypatch.setattr(triage_cmd, "make_model", lambda spec: OutageModel())
    code = main(["triage", "--input", str(queue), "--fallback", "maybe", "--no-progress"])
    assert code == 2
    assert "--fallback 'maybe'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (ModelError("unreachable"), True),
        (ModelError("overloaded", status=529), True),
        (ModelError("rate limited", status=429), True),
        (ModelError("bad gateway", status=502), True),
        (ModelError("rejected the request", status=400), False),
        (ModelUnavailable("still overloaded after 200 waits"), True),
        (TicketFailure("the model's extraction did not validate"), False),
        (RuntimeError("extractor crashed"), False),
    ],
)
def test_what_counts_as_an_outage(error: Exception, outage: bool) -> None:
    assert (outage_reason(error) is not None) == outage


def test_a_model_error_wrapped_by_the_triager_is_still_read_as_an_outage() -> None:
    try:
        try:
            raise ModelError("unavailable", status=503)
        except ModelError as exc:
            raise TicketFailure(f"model error: {exc}") from None
    except TicketFailure as wrapped:
        assert outage_reason(wrapped) is not None
