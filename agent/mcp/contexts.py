"""Gathered contexts kept server-side between `gather_context` and `assess_extraction`.

A context's records are kept for `ttl` seconds; after that they are dropped and, when the host
assesses it, gathered again from the same inputs (the request with its resolved date), which the
deterministic planner turns into the same records. The inputs themselves are kept for
`keep_inputs` seconds; a context id older than that, or never issued, is unknown.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock

from agent.service import HostContext

DEFAULT_TTL = 30 * 60.0
DEFAULT_KEEP_INPUTS = 24 * 3600.0
MAX_CONTEXTS = 256
"""Contexts whose records are held at once: those of the most recently used ones."""
MAX_INPUTS = 4096


class UnknownContext(LookupError):
    """The context id was never issued here, or its inputs expired too."""


@dataclass(frozen=True)
class GatherInputs:
    """What `gather_context` was called with, `date` resolved to the moment it used."""

    request: str
    customer: str | None
    ticket_id: str | None
    workspace: str | None
    now: str
    """ISO datetime: a re-gather reads the workspace as of the same moment."""


@dataclass
class _Entry:
    inputs: GatherInputs
    issued: float
    context: HostContext | None
    expires: float


class ContextStore:
    """Context id -> inputs and (until they expire) the gathered records. Thread-safe."""

    def __init__(
        self,
        regather: Callable[[GatherInputs], HostContext],
        ttl: float = DEFAULT_TTL,
        keep_inputs: float = DEFAULT_KEEP_INPUTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._regather = regather
        self.ttl = ttl
        self.keep_inputs = keep_inputs
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = Lock()

    def put(self, inputs: GatherInputs, context: HostContext) -> str:
        """Keep `context` and return its new id."""
        context_id = "ctx_" + secrets.token_urlsafe(12)
        now = self._clock()
        with self._lock:
            self._entries[context_id] = _Entry(inputs, now, context, now + self.ttl)
            self._trim(now)
        return context_id

    def get(self, context_id: str) -> HostContext:
        """The context, gathered again if its records expired. Raises `UnknownContext`."""
        now = self._clock()
        with self._lock:
            self._trim(now)
            entry = self._entries.get(context_id)
            if entry is None:
                raise UnknownContext(context_id)
            self._entries.move_to_end(context_id)
            if entry.context is not None and now < entry.expires:
                return entry.context
            inputs = entry.inputs
        context = self._regather(inputs)  # outside the lock: gathering reads the workspace
        with self._lock:
            entry.context, entry.expires = context, self._clock() + self.ttl
        return context

    def _trim(self, now: float) -> None:
        for context_id in [k for k, e in self._entries.items() if now - e.issued >= self.keep_inputs]:
            del self._entries[context_id]
        while len(self._entries) > MAX_INPUTS:
            self._entries.popitem(last=False)
        for rank, entry in enumerate(reversed(self._entries.values())):  # most recently used first
            if entry.context is not None and (now >= entry.expires or rank >= MAX_CONTEXTS):
                entry.context = None
