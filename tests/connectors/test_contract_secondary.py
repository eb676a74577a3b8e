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
