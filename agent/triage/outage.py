"""Telling an outage from a bad ticket, and noticing when the model is down for everyone.

An outage is the model being unavailable: no answer (connection refused, timeout), a server error
(5xx), or overload (408/409/429/529) that outlasted the client's retries and our own waits. It says
nothing about the ticket, so it never uses up the ticket's attempts or dead-letters it: the ticket
falls back to the offline reader (or waits) and a later run tries the model again. Anything else
the model does wrong (an answer without the extraction, one that does not validate, a refusal)
is the ticket's failure and counts as an attempt.
"""

from __future__ import annotations

from agent.models.base import ModelError

UNAVAILABLE_STATUSES = frozenset({408, 409, 429, 529})
"""Besides every 5xx: statuses that mean "not now" rather than "not this request"."""
BREAKER_THRESHOLD = 5
"""Consecutive outages after which the model is taken to be down for the rest of the run."""


class ModelUnavailable(ModelError):
    """The model could not be reached or kept refusing for load: try again later."""


def outage_reason(exc: BaseException) -> str | None:
    """Why `exc` means the model is unavailable (one line), or None when it is the ticket's failure.

    The triager reports model errors as `TicketFailure`s; the model's own error is the failure's
    context, so the chain is read too."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ModelUnavailable):
            return str(current)
        if isinstance(current, ModelError):
            status = current.status
            if status is None or status >= 500 or status in UNAVAILABLE_STATUSES:
                return f"model unavailable: {current}"
            return None
        current = current.__cause__ or current.__context__
    return None


class Breaker:
    """Counts consecutive outages; once `threshold` in a row, the model is down for this run."""

    def __init__(self, threshold: int = BREAKER_THRESHOLD) -> None:
        self.threshold = max(1, threshold)
        self._streak = 0
        self.reason = ""

    @property
    def open(self) -> bool:
        """True when the model is taken to be down: stop asking it."""
        return self._streak >= self.threshold

    def outage(self, reason: str) -> None:
        """One more call failed for unavailability."""
        self._streak += 1
        self.reason = reason

    def success(self) -> None:
        """A call got an answer: the model is up."""
        self._streak = 0
