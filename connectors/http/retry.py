"""The retry policy shared by every HTTP connector: which failures are worth another try, how
long to wait (the vendor's own hint first), and when to give up.

Waits are charged to a per-source `WaitBudget`, so one throttled vendor cannot stall a whole
run: once the budget is spent the source fails fast with "rate-limited" and the brief marks it
degraded. Sleep and clock are injectable; tests never really wait.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from threading import Lock
from typing import TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception_type

from connectors.errors import ConnectorError

T = TypeVar("T")

RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504, 529})
"""Statuses a read may retry. A write retries only 408 and 429, which mean "not processed"."""

_EPOCH_MS = 1e11
_EPOCH_S = 1e9


class Retryable(Exception):
    """A transient failure: the request may succeed if sent again after `hint` seconds."""

    def __init__(self, reason: str, hint: float | None = None, rate_limited: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint
        self.rate_limited = rate_limited


@dataclass(frozen=True)
class RetryPolicy:
    """How persistently one source retries. Defaults suit an interactive CLI run."""

    max_attempts: int = 4
    """Attempts per request, the first included."""
    max_total_wait: float = 30.0
    """Seconds of waiting one source may spend across the whole run before it fails fast."""
    backoff_initial: float = 0.5
    backoff_max: float = 8.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    """Epoch seconds; used to turn reset timestamps into waits."""


@dataclass
class WaitBudget:
    """Seconds of waiting left to one source; shared by the threads that call it."""

    total: float
    spent: float = 0.0
    _lock: Lock = field(default_factory=Lock, repr=False)

    def remaining(self) -> float:
        """Seconds still available."""
        with self._lock:
            return max(0.0, self.total - self.spent)

    def spend(self, seconds: float) -> None:
        """Charge a wait that is about to happen."""
        with self._lock:
            self.spent += seconds


def _parse_reset(value: str, now: float) -> float | None:
    """Seconds until a reset given as delta seconds, epoch seconds/milliseconds or ISO-8601."""
    text = value.strip()
    try:
        number = float(text)
    except ValueError:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.timestamp() - now
    if number > _EPOCH_MS:
        return number / 1000.0 - now
    if number > _EPOCH_S:
        return number - now
    return number


def _parse_retry_after(value: str, now: float) -> float | None:
    text = value.strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp() - now


RESET_HEADERS = (
    "x-ratelimit-reset",  # Intercom (epoch s), Jira/Confluence (ISO-8601)
    "ratelimit-reset",  # Zendesk list endpoints (delta s)
    "x-ratelimit-requests-reset",  # Linear
    "x-ratelimit-complexity-reset",  # Linear
)


def wait_hint(headers: Mapping[str, str], now: float) -> float | None:
    """The wait a vendor asked for, in seconds (never negative), or None when it gave no hint.

    `Retry-After` (seconds or HTTP-date) wins; then the reset headers, whose values may be delta
    seconds, epoch seconds, epoch milliseconds or an ISO-8601 time.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    if "retry-after" in lowered:
        seconds = _parse_retry_after(lowered["retry-after"], now)
        if seconds is not None:
            return max(0.0, seconds)
    for name in RESET_HEADERS:
        if name in lowered:
            seconds = _parse_reset(lowered[name], now)
            if seconds is not None:
                return max(0.0, seconds)
    return None


def _backoff(policy: RetryPolicy, attempt: int) -> float:
    ceiling = min(policy.backoff_max, policy.backoff_initial * 2.0 ** (attempt - 1))
    # Half fixed, half jitter: concurrent threads hitting the same limit spread out.
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def call_with_retry(source: str, attempt: Callable[[], T], policy: RetryPolicy, budget: WaitBudget) -> T:
    """Run `attempt`, retrying while it raises `Retryable`, within the policy and the budget.

    Gives up with `ConnectorError(source, "rate-limited ...")` when throttled, or with the last
    failure's reason otherwise. Any other exception passes straight through.
    """

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, Retryable) and exc.hint is not None:
            return float(exc.hint)
        return _backoff(policy, state.attempt_number)

    def stop(state: RetryCallState) -> bool:
        upcoming = state.upcoming_sleep or 0.0
        return state.attempt_number >= policy.max_attempts or upcoming > budget.remaining()

    def sleep(seconds: float) -> None:
        budget.spend(seconds)
        policy.sleep(seconds)

    retrying = Retrying(
        retry=retry_if_exception_type(Retryable),
        wait=wait,
        stop=stop,
        sleep=sleep,
        reraise=True,
    )
    try:
        return retrying(attempt)
    except Retryable as exc:
        last = exc
    if last.rate_limited:
        detail = f" (vendor asks to wait {last.hint:.0f}s)" if last.hint else ""
        raise ConnectorError(source, f"rate-limited{detail}")
    attempts = retrying.statistics.get("attempt_number", 1)
    raise ConnectorError(source, f"{last.reason}; gave up after {attempts} attempt(s)")
