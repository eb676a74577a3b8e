"""Idempotency keys: a ticket's result is reused only while its content, the policy (its numbers and
the rules' code), the prompts (templates and extraction schema) and the model are unchanged."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from agent.extract.schema import Extraction
from agent.models.base import Model
from connectors.records import Comment, Ticket


def _digest(parts: list[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for name, data in parts:
        digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()[:12]


def _sources(package: str) -> list[tuple[str, bytes]]:
    """Every Python file and data file of `package`, sorted by name: moving code between its files
    keeps the hash meaningful, and adding one is noticed without a list to maintain."""
    folder = resources.files(package)
    entries = [e for e in folder.iterdir() if e.is_file() and e.name.endswith((".py", ".toml", ".json"))]
    return [(f"{package}/{e.name}", e.read_bytes()) for e in sorted(entries, key=lambda e: e.name)]


@cache
def prompt_version() -> str:
    """A short hash of what the model is shown: every template in `prompts/*.j2`, and the extraction
    tool's JSON schema (a stored extraction must still validate against the current schema)."""

    folder = resources.files("prompts")
    parts = [(e.name, e.read_bytes()) for e in sorted(folder.iterdir(), key=lambda e: e.name) if e.name.endswith(".j2")]
    parts.append(("extraction.schema.json", json.dumps(Extraction.model_json_schema(), sort_keys=True).encode()))
    return _digest(parts)


@cache
def rules_version() -> str:
    """A short hash of the code that turns an extraction into a decision: the whole decide package and
    the extraction schema it reads (rules are code), so a stored decision is reused only under the
    same rules."""
    return _digest(_sources("agent.decide") + _sources("agent.extract"))


@cache
def offline_version() -> str:
    """A short hash of the offline model's heuristics: for the offline model, its code is the model."""
    return _digest(_sources("agent.models.offline"))


def model_identity(model: Model) -> str:
    """The model part of a key: its name, plus its code version for an in-process model (for the
    offline reader, its code is the model)."""
    return f"{model.name}+{offline_version()}" if model.capabilities.in_process else model.name


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
