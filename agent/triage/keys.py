"""Idempotency keys: a ticket's result is reused only while its content, the policy, the prompts and
the model are unchanged."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from connectors.records import Comment, Ticket


@cache
def prompt_version() -> str:
    """A short hash of every model-facing template in `prompts/*.j2` (names and contents)."""
    digest = hashlib.sha256()
    folder = resources.files("prompts")
    for entry in sorted((e for e in folder.iterdir() if e.name.endswith(".j2")), key=lambda e: e.name):
        digest.update(entry.name.encode())
        digest.update(b"\0")
        digest.update(entry.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def content_hash(ticket: Ticket, comments: tuple[Comment, ...] = ()) -> str:
    """A hash of the ticket and its timeline as read (any edit makes it a new piece of work)."""
    payload = {
        "ticket": ticket.model_dump(mode="json"),
        "comments": [c.model_dump(mode="json") for c in comments],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class WorkKey:
    """The parts of one unit of work and the key derived from them."""

    ticket_id: str
    content_hash: str
    policy_version: str
    prompt_version: str
    model: str

    @property
    def key(self) -> str:
        """32 hex characters: also a valid Message Batches `custom_id` (`^[a-zA-Z0-9_-]{1,64}$`)."""
        parts = "\0".join((self.ticket_id, self.content_hash, self.policy_version, self.prompt_version, self.model))
        return hashlib.sha256(parts.encode()).hexdigest()[:32]
