"""Times in the ledger: `--now` and `--within` parsing, and the one stored form (UTC, seconds)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from agent.errors import UsageError

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([wdhm])", re.I)
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}


def parse_instant(value: str | None, option: str = "--now") -> datetime:
    """An ISO 8601 datetime (UTC when no offset is given) or YYYY-MM-DD (noon UTC); default: now."""
    if not value:
        return datetime.now(UTC).replace(microsecond=0)
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.strptime(text, "%Y-%m-%d").replace(hour=12, tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise UsageError(f"{option} {value!r} is not a time (use ISO 8601, e.g. 2026-12-03T14:00:00Z)") from exc
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).replace(microsecond=0)


def parse_duration(value: str, option: str = "--within") -> timedelta:
    """`4h`, `30m`, `2d`, `1w`, `1h30m`. Raises `UsageError`."""
    text = value.strip().replace(" ", "")
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts).lower() != text.lower():
        raise UsageError(f"{option} {value!r} is not a duration (like 4h, 30m, 2d or 1h30m)")
    return sum((timedelta(**{_UNITS[u.lower()]: float(n)}) for n, u in parts), timedelta())


def stamp(moment: datetime) -> str:
    """The stored form: UTC, whole seconds, `+00:00`. Fixed width, so text order is time order."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def unstamp(text: str) -> datetime:
    """A stored time back as a datetime."""
    return datetime.fromisoformat(text)
