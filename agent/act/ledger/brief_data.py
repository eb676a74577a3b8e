"""What the ledger reads from a brief: the JSON output contract (`agent.render.contract.to_json`),
plus what a `BriefResult` knows that the contract does not carry (the request, SLA due times and
record statuses)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from agent.decide.policy import SEVERITIES, Severity
from agent.errors import UsageError

if TYPE_CHECKING:
    from agent.brief import BriefResult


@dataclass(frozen=True)
class Observed:
    """Facts from the run itself, beside the contract. Every field is optional: an MCP host that
    only has the contract dict records without them (then reassess starts from the summary)."""

    request: dict[str, str | None] = field(default_factory=dict)
    """`text`, `customer` and `ticket_id` as the brief was asked for."""
    sla_due: dict[str, datetime] = field(default_factory=dict)
    """Ticket id -> when its SLA target is due."""
    ticket_status: dict[str, str] = field(default_factory=dict)
    tracker_status: dict[str, str] = field(default_factory=dict)


def observed_from(result: BriefResult) -> Observed:
    """The request, SLA due times and statuses of a brief's records."""
    r = result.request
    return Observed(
        request={"text": r.text, "customer": r.customer, "ticket_id": r.ticket_id},
        sla_due={t.source_id: t.sla_due_at for t in result.facts.tickets if t.sla_due_at is not None},
        ticket_status={t.source_id: t.status for t in result.facts.tickets},
        tracker_status={i.key: i.status for i in result.facts.tracker},
    )


@dataclass(frozen=True)
class BriefData:
    """The parts of one contract dict the ledger stores and compares."""

    escalate: bool
    severity: Severity | None
    target_team: str | None
    priority: str | None
    summary: str
    product_area: str | None
    workspace: str | None
    tickets: list[str]
    tracker_keys: list[str]
    customers: list[str]
    links: list[str]
    rules: list[str]
    signals: dict[str, bool]
    raw: dict[str, Any]

    def key(self) -> str:
        """The idempotency key: the workspace, the tickets and the issue (its normalized summary)."""
        basis = {"workspace": self.workspace, "tickets": self.tickets, "issue": normalized(self.summary)}
        return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()[:16]

    def snapshot(self, observed: Observed) -> dict[str, Any]:
        """What reassessment compares against later."""
        return {
            "severity": self.severity,
            "escalate": self.escalate,
            "tickets": {t: observed.ticket_status.get(t) for t in self.tickets},
            "tracker": {k: observed.tracker_status.get(k) for k in self.tracker_keys},
            "customers": self.customers,
            "workaround": self.signals.get("workaround_available", False)
            and not self.signals.get("workaround_failed", False),
            "resolved": self.signals.get("resolved", False),
            "links": self.links,
            "observed": {**asdict(observed), "sla_due": {k: v.isoformat() for k, v in observed.sla_due.items()}},
        }


def normalized(text: str) -> str:
    """Lower case, words only: the form in which two summaries of one issue compare equal."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def read_brief(brief: Mapping[str, Any], request_ticket: str | None = None) -> BriefData:
    """Validate a contract dict and pick out the ledger's fields. Raises `UsageError`."""
    if not isinstance(brief, Mapping):
        raise UsageError("the brief must be the JSON object of 'escalate brief --format json'")
    escalate, summary, severity = brief.get("escalate"), brief.get("summary"), brief.get("severity")
    if not isinstance(escalate, bool):
        raise UsageError("the brief has no boolean 'escalate': make it with 'escalate brief --format json'")
    if not isinstance(summary, str) or not summary.strip():
        raise UsageError("the brief has no 'summary'")
    if escalate and severity not in SEVERITIES:
        raise UsageError(f"the brief escalates with severity {severity!r}, not one of {', '.join(SEVERITIES)}")
    extraction = brief.get("extraction") if isinstance(brief.get("extraction"), Mapping) else {}
    assert isinstance(extraction, Mapping)
    tickets = {t.strip().lstrip("#") for t in _strings(extraction.get("ticket_ids"))}
    if request_ticket:
        tickets.add(request_ticket.strip().lstrip("#"))
    accounts = (extraction.get("affected") or {}).get("accounts") or []
    signals = extraction.get("signals") or {}
    rules = [r for r in brief.get("rules_fired") or [] if isinstance(r, Mapping)]
    links = {str(e["url"]) for r in rules for e in r.get("evidence") or [] if isinstance(e, Mapping) and e.get("url")}
    return BriefData(
        escalate=escalate,
        severity=cast(Severity, severity) if severity in SEVERITIES else None,
        target_team=_text(brief.get("target_team")),
        priority=_text(brief.get("priority")),
        summary=" ".join(summary.split()),
        product_area=_text(extraction.get("product_area")),
        workspace=_text(brief.get("workspace")),
        tickets=sorted(t for t in tickets if t),
        tracker_keys=sorted(set(_strings(extraction.get("tracker_keys")))),
        customers=sorted({str(a.get("name")) for a in accounts if isinstance(a, Mapping) and a.get("name")}),
        links=sorted(links),
        rules=[str(r.get("id")) for r in rules],
        signals={name: bool(value.get("present")) for name, value in signals.items() if isinstance(value, Mapping)},
        raw=dict(brief),
    )


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None
