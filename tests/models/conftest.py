"""Every model test starts from the documented capabilities: nothing learnt from an earlier test's 400s."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agent.models import anthropic_quirks


@pytest.fixture(autouse=True)
def _fresh_quirks() -> Iterator[None]:
    anthropic_quirks.forget_all()
    yield
    anthropic_quirks.forget_all()
