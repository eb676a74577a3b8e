"""The clock a brief runs on: today, or the date the user gave for reproducible output."""

from __future__ import annotations

from datetime import UTC, datetime

from agent.errors import UsageError


def utc_now() -> datetime:
    """Now in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def parse_now(value: str | None, option: str = "--date") -> datetime:
    """YYYY-MM-DD (noon UTC, for reproducible output) or an ISO datetime; default now."""
    if not value:
        return utc_now()
    try:
        if len(value) == 10:
            day = datetime.strptime(value, "%Y-%m-%d")
            return day.replace(hour=12, tzinfo=UTC)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise UsageError(f"{option} {value[:40]!r} is not a date (use YYYY-MM-DD or an ISO 8601 datetime)") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
