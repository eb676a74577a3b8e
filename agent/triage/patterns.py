"""Cluster-level escalations: the same issue reported by enough distinct accounts is a pattern.

A cluster escalates when the distinct accounts that report a problem in it reach
`thresholds.pattern_customers`. Plain questions do not count (a member handled in support as a
request, `PRI-SUPPORT-REQUEST`, unless it is a feature request): a question many customers ask is
a documentation gap, listed in the digest, not an incident. Severity, target and priority then come from the same rules as a single brief,
applied to the cluster as one issue: its members' signals combined, every account affected, ARR
summed from the CRM.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.brief import BriefRequest, BriefResult
from agent.extract.evidence import cite
from agent.extract.schema import AffectedAccount, Evidence, Extraction, Signal
from agent.triage.input import QueueItem
from agent.triage.ticket import TicketTriager
from connectors.records import Record

MAX_CLUSTER_RECORDS = 60
"""Member tickets a cluster's brief cites (one per account first); every account still counts."""
_PRIORITY_RANK = {"P1": 0, "P2": 1, "P3": 2, "P4": 3}


def norm_name(name: str) -> str:
    """An account name for comparison: lower case, punctuation and spacing folded."""
    return " ".join(name.lower().replace(",", " ").replace(".", " ").split())


@dataclass
class ClusterView:
    """One cluster of two or more tickets, as reported."""

    id: str
    members: list[int]
    ticket_ids: list[str]
    accounts: list[str]
    arr_at_risk: float
    arr_unknown: list[str]
    links: list[str]
    title: str
    problem_accounts: int
    """Distinct accounts whose ticket reports a problem or a feature request (not just a question)."""
    escalate: bool = False
    severity: str | None = None
    target_team: str | None = None
    priority: str | None = None
    rules_fired: list[str] = field(default_factory=list)
    result: BriefResult | None = None

    def as_json(self) -> dict[str, Any]:
        """The cluster's entry in the report."""
        return {
            "id": self.id,
            "title": self.title,
            "ticket_ids": self.ticket_ids,
            "accounts": self.accounts,
            "arr_at_risk": self.arr_at_risk,
            "arr_unknown_accounts": self.arr_unknown,
            "accounts_reporting_problem": self.problem_accounts,
            "links": self.links,
            "escalate": self.escalate,
            "severity": self.severity,
            "target_team": self.target_team,
            "priority": self.priority,
            "rules_fired": self.rules_fired,
        }


def reports_problem(summary: dict[str, Any]) -> bool:
    """Whether a triaged ticket reports a problem or a feature request, rather than asking a question."""
    fired = set(summary["rules_fired"])
    return "PRI-SUPPORT-REQUEST" not in fired or bool(fired & {"HS-FEATURE-REQUEST", "PROD-FEATURE-GAP"})


def _accounts(items: list[QueueItem], triager: TicketTriager) -> tuple[list[str], float, list[str]]:
    """Distinct accounts (CRM names where known), ARR summed over the CRM's figures, ARR unknowns."""
    seen: dict[str, str] = {}
    arr = 0.0
    unknown: list[str] = []
    for item in items:
        name = item.ticket.account
        if not name or not name.strip():
            continue
        record = triager.lookup.account(name)
        key = norm_name(record.name if record else name)
        if key in seen:
            continue
        seen[key] = record.name if record else name
        if record is not None and record.arr is not None:
            arr += record.arr
        else:
            unknown.append(seen[key])
    return list(seen.values()), arr, unknown


def _merged_signal(signals: list[Signal]) -> Signal:
    present = [s for s in signals if s.present]
    evidence: list[Evidence] = []
    for signal in present:
        for quote in signal.evidence:
            if len(evidence) < 4 and quote not in evidence:
                evidence.append(quote)
    return Signal(present=bool(present), evidence=evidence)


def merge_extractions(
    base: Extraction, others: Sequence[Extraction], view: ClusterView, cited: list[QueueItem]
) -> Extraction:
    """One extraction for the cluster: the base's reading, every member's signals, every account."""
    everyone = [base, *others]
    signals = base.signals.model_copy(
        update={
            name: _merged_signal([getattr(e.signals, name) for e in everyone])
            for name, value in base.signals
            if isinstance(value, Signal)
        }
    )
    signals.security_kind = next((e.signals.security_kind for e in everyone if e.signals.security_kind), None)
    first_ticket: dict[str, QueueItem] = {}
    for item in cited:
        if item.ticket.account:
            first_ticket.setdefault(norm_name(item.ticket.account), item)
    affected = [
        AffectedAccount(
            name=name, evidence=[cite(first_ticket[norm_name(name)].ticket)] if norm_name(name) in first_ticket else []
        )
        for name in view.accounts
    ]
    n, k = len(view.ticket_ids), len(view.accounts)
    return base.model_copy(
        update={
            "summary": f"{view.title}: reported by {k} customers in {n} tickets"[:160],
            "description": f"{n} tickets from {k} customers report the same issue. {base.description}",
            "signals": signals,
            "affected": base.affected.model_copy(update={"accounts": affected, "customer_count": k}),
            "error_codes": list(dict.fromkeys(c for e in everyone for c in e.error_codes))[:10],
            "money": [m for e in everyone for m in e.money][:6],
            "ticket_ids": [i.id for i in cited],
            "tracker_keys": view.links,
            "article_ids": [],
            "chat_ids": [],
        }
    )


def _cited(items: list[QueueItem]) -> list[QueueItem]:
    """Up to MAX_CLUSTER_RECORDS members: the first ticket of each account, then the rest in order."""
    firsts: list[QueueItem] = []
    rest: list[QueueItem] = []
    seen: set[str] = set()
    for item in items:
        key = norm_name(item.ticket.account or "")
        (rest if key in seen else firsts).append(item)
        seen.add(key)
    return [*firsts, *rest][:MAX_CLUSTER_RECORDS]


def escalate_cluster(
    view: ClusterView,
    items: list[QueueItem],
    summaries: dict[str, dict[str, Any]],
    triager: TicketTriager,
    load_extraction: Callable[[str], Extraction | None],
) -> None:
    """Decide the cluster as one issue and attach the brief's inputs to `view`.

    The brief cites the most urgent member and up to MAX_CLUSTER_RECORDS others (one per account
    first); their signals make the cluster's, so every quote cites a record the brief lists.
    """
    done = [(n, i) for n, i in enumerate(items) if i.id in summaries]
    if not done:
        return
    base_item = min(done, key=lambda p: (_PRIORITY_RANK.get(summaries[p[1].id]["priority"], 9), p[0]))[1]
    cited = [base_item, *[i for i in _cited(items) if i is not base_item]][:MAX_CLUSTER_RECORDS]
    extractions = {i.id: e for i in cited if i.id in summaries and (e := load_extraction(i.id)) is not None}
    if base_item.id not in extractions:
        return
    merged = merge_extractions(
        extractions[base_item.id], [e for tid, e in extractions.items() if tid != base_item.id], view, cited
    )
    records: list[Record] = []
    for item in cited:
        records.extend([item.ticket, *item.comments])
    for name in view.accounts:
        account = triager.lookup.account(name)
        if account is not None:
            records.append(account)
    records.extend(triager.lookup.issues(tuple(view.links)))
    triaged = triager.evaluate(base_item, merged, records)
    result = triaged.result
    result.request = BriefRequest(text=f"Pattern: {view.title} ({len(view.accounts)} customers)", now=triager.now)
    decision = result.decision
    view.escalate = decision.escalate
    view.severity = decision.severity
    view.target_team = decision.target_team
    view.priority = decision.priority
    view.rules_fired = decision.fired_ids()
    view.result = result


def cluster_views(
    items: Sequence[QueueItem],
    groups: list[list[int]],
    summaries: dict[str, dict[str, Any]],
    triager: TicketTriager,
    load_extraction: Callable[[str], Extraction | None],
) -> list[ClusterView]:
    """Every cluster of two or more tickets, pattern escalations decided, ranked and numbered C1..Cn."""
    needed = triager.policy.thresholds.pattern_customers
    views: list[ClusterView] = []
    for group in groups:
        if len(group) < 2:
            continue
        members = [items[i] for i in group]
        accounts, arr, unknown = _accounts(members, triager)
        problems = [m for m in members if m.id in summaries and reports_problem(summaries[m.id])]
        view = ClusterView(
            id="",
            members=group,
            ticket_ids=[m.id for m in members],
            accounts=accounts,
            arr_at_risk=arr,
            arr_unknown=unknown,
            links=sorted({k.strip().upper() for m in members for k in m.ticket.tracker_keys}),
            title=_title(members),
            problem_accounts=len(_accounts(problems, triager)[0]),
        )
        if view.problem_accounts >= needed:
            escalate_cluster(view, members, summaries, triager, load_extraction)
        views.append(view)
    views.sort(
        key=lambda v: (
            not v.escalate,
            _PRIORITY_RANK.get(v.priority or "", 9),
            -len(v.accounts),
            -v.arr_at_risk,
            v.members[0],
        )
    )
    for n, view in enumerate(views, start=1):
        view.id = f"C{n}"
    return views


def _title(members: list[QueueItem]) -> str:
    """The subject most members share (the first one's when all differ)."""
    counts: dict[str, int] = {}
    for member in members:
        subject = " ".join(member.ticket.subject.split())
        counts[subject] = counts.get(subject, 0) + 1
    return max(counts, key=lambda s: counts[s]) if counts else ""
