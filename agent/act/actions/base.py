"""What every write action shares: the brief it carries, its idempotency key, the exact request it
would send (for `--dry-run`), and search-before-create execution.

An action never retries a create blindly: it first looks for the marker `escalation-key: <key>`
that every earlier attempt left in what it created, and only sends when none is found. The key is
derived from the brief, so re-running the same command with the same brief cannot duplicate.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from agent.act.claims import Done, WriteClaims
from agent.render.contract import BriefOutput
from connectors.http.client import HttpSource
from connectors.http.envelope import redact_headers

MARKER_PREFIX = "escalation-key:"


def evidence_refs(brief: BriefOutput) -> list[str]:
    """`source:id` of every piece of evidence the rules cited, sorted."""
    return sorted({f"{e.source}:{e.id}" for rule in brief.rules_fired for e in rule.evidence})


def title(brief: BriefOutput) -> str:
    """A one-line title: `[High] summary` (summary cut to fit tracker limits)."""
    head = f"[{brief.severity}] " if brief.severity else ""
    line = " ".join(brief.summary.split())
    room = 240 - len(head)
    return head + (line if len(line) <= room else line[: room - 1] + "…")


def escalation_key(brief: BriefOutput) -> str:
    """A short, stable hash of what the brief asks for (same brief -> same key)."""
    basis = {
        "summary": " ".join(brief.summary.split()),
        "severity": brief.severity,
        "target_team": brief.target_team,
        "priority": brief.priority,
        "evidence": evidence_refs(brief),
    }
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()[:12]


def marker(key: str) -> str:
    """The text every created object carries so a later attempt can find it."""
    return f"{MARKER_PREFIX} {key}"


@dataclass(frozen=True)
class PlannedRequest:
    """The exact request an action would send, with secrets redacted (what `--dry-run` prints)."""

    method: str
    url: str
    headers: dict[str, str]
    json: Any

    def as_dict(self) -> dict[str, Any]:
        """Plain data for printing as JSON."""
        return {"method": self.method, "url": self.url, "headers": self.headers, "json": self.json}


@dataclass(frozen=True)
class ActionResult:
    """What happened: a new object was created, or an earlier attempt's object was found."""

    created: bool
    url: str | None
    reference: str
    """Vendor id or key of the object (e.g. `ENG-1601`, a message `ts`, a ticket id)."""
    key: str = ""
    details: dict[str, Any] = field(default_factory=dict)


class Action(ABC):
    """One idempotent write to one vendor."""

    kind: str = "action"
    """e.g. `slack message`, `jira issue`, `zendesk internal note`."""

    def __init__(self, http: HttpSource, brief: BriefOutput, key: str | None = None) -> None:
        self.http = http
        self.brief = brief
        self.key = key or escalation_key(brief)
        self.created_before: list[str] = []
        """Vendor ids this action created earlier on the same target (from the claim record)."""

    @property
    @abstractmethod
    def target(self) -> str:
        """Where the action writes: a channel, a project or team, a ticket."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.http.name!r}, key={self.key!r})"

    @abstractmethod
    def request(self) -> tuple[str, str, Any]:
        """Method, path (relative to the API root) and JSON body of the create."""

    @abstractmethod
    def find_existing(self) -> ActionResult | None:
        """The object an earlier attempt created with this key, if any (read-only)."""

    @abstractmethod
    def created(self, body: Any) -> ActionResult:
        """The result from the vendor's answer to the create."""

    def plan(self) -> PlannedRequest:
        """The request `execute` would send if nothing exists yet. Sends nothing."""
        method, path, body = self.request()
        headers = {**dict(self.http.client.headers), "Content-Type": "application/json"}
        url = str(self.http.client.build_request(method, path).url)
        return PlannedRequest(method, url, redact_headers(headers), body)

    def execute(self, claims: WriteClaims | None = None) -> ActionResult:
        """Claim the key, look for an earlier attempt, create only when there is none, and record
        what was created. Raises `ConnectorError`. Without `claims`, the vendor search alone guards
        against duplicates (enough for one run at a time)."""
        if claims is None:
            return self._find_or_create()
        done = claims.claim(self.kind, self.target, self.key)
        if done is not None:
            return ActionResult(False, done.url, done.reference, self.key, dict(done.details))
        self.created_before = claims.created_ids(self.kind, self.target)
        try:
            result = self._find_or_create()
        except BaseException:
            claims.release(self.kind, self.target, self.key)
            raise
        claims.record(self.kind, self.target, self.key, Done(result.reference, result.url, result.details))
        return result

    def _find_or_create(self) -> ActionResult:
        existing = self.find_existing()
        if existing is not None:
            return existing
        method, path, body = self.request()
        return self.created(self.http.request(method, path, json=body, idempotent=False))

    def close(self) -> None:
        """Release the connection."""
        self.http.close()
