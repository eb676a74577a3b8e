"""The secondary-lookup contract (tests/contract/secondary.py) over each REST adapter's fake: the
primary records come back, without the detail the failed lookup supplies, and a warning names it."""

from __future__ import annotations

import logging

import pytest

from tests.contract.secondary import SECONDARY_CASES, SecondaryCase
from tests.fakes.vendors import FAKES, SECRETS, connect
from tests.fakes.vendors.base import reply


@pytest.mark.parametrize("case", SECONDARY_CASES, ids=lambda c: c.id)
def test_a_failed_secondary_lookup_keeps_the_primary_records(
    case: SecondaryCase, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FAKES[case.backend]()
    for name, value in case.fake.items():
        setattr(fake, name, value)
    healthy = case.read(connect(case.backend, fake=FAKES[case.backend](), **case.settings)[0])
    assert healthy and not case.degraded(healthy), "the healthy read must have the detail"
    fake.fail_path(case.failing, reply(500, {"message": "internal error"}))
    connector, _ = connect(case.backend, fake=fake, **case.settings)
    with caplog.at_level(logging.WARNING):
        records = case.read(connector)
    assert records and case.degraded(records)
    assert len(records) == len(healthy) if case.same_count else 0 < len(records) < len(healthy)
    assert any(case.backend in r.getMessage() and "unavailable" in r.getMessage() for r in caplog.records)
    assert not any(secret in caplog.text for secret in SECRETS)


@pytest.mark.parametrize(
    ("backend", "failing", "read"),
    [
        ("hubspot", r"/account-info/2026-09/details", lambda c: c.list_accounts()),
        ("intercom", r"/me", lambda c: c.search_tickets(None)),
    ],
)
def test_a_failed_link_lookup_is_asked_once_not_once_per_record(backend: str, failing: str, read: object) -> None:
    fake = FAKES[backend]()
    fake.fail_path(failing, reply(500, {"message": "internal error"}))
    connector, _ = connect(backend, fake=fake)
    records = read(connector)  # type: ignore[operator]
    assert len(records) > 1 and all(r.url is None for r in records)
    attempts = [p for p in fake.paths() if p.endswith(failing.replace("\\", "").split("/")[-1])]
    assert 0 < len(attempts) <= 4  # one lookup's retries, not one lookup per record
