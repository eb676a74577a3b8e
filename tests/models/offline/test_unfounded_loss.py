"""A loss the customer reports that what support checked contradicts is no loss, but only beside a stated
handle condition and no other criterion."""

from __future__ import annotations

from datetime import UTC, datetime

from agent.models.offline.extractor import extract_offline

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
CLAIM = "Greenway says all their March invoices have disappeared from the billing page."
CHECKED = "Setting the date range to March showed all 212 invoices, matching their accounting export."
DOCUMENTED = "The default filter is documented in the billing guide."


def read(*sentences: str) -> set[str]:
    signals = extract_offline({"request": " ".join(sentences)}, [], NOW).signals
    return {name for name, value in signals if getattr(value, "present", False)}


def test_records_that_contradict_the_loss_beside_a_documented_step_leave_no_loss() -> None:
    found = read(CLAIM, CHECKED, DOCUMENTED)
    assert "data_loss" not in found
    assert "documented_solution" in found


def test_the_loss_stays_without_a_handle_condition() -> None:
    assert "data_loss" in read(CLAIM, CHECKED)


def test_the_loss_stays_beside_a_confirmed_bug() -> None:
    assert "data_loss" in read(CLAIM, CHECKED, DOCUMENTED, "We reproduced it on our test tenant.")


def test_the_loss_stays_when_nothing_contradicts_it() -> None:
    assert "data_loss" in read(CLAIM, DOCUMENTED)
