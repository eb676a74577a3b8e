"""Facts the rules need, joined deterministically from the extraction and the gathered records.

The model says *which* accounts, tickets and tracker issues are about the issue; the numbers
(ARR, renewal dates, SLA due times, ages) come from those records, never from the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from agent.decide.policy import Policy
from agent.extract.evidence import cite
from agent.extract.schema import Evidence, Extraction, MoneyMention
from agent.gather.gathered import Gathered
from agent.gather.names import normalize_name, same_name
from connectors.records import Account, Article, ChatMessage, Comment, Deal, Ticket, TrackerIssue

OPEN_STATUSES = frozenset({"new", "open", "pending", "hold", "on-hold", "on hold"})


@dataclass(frozen=True)
class AccountFacts:
    """An affected account with its CRM figures (None when the CRM has no record)."""

    name: str
    record: Account | None
    high_value: bool
    stated_arr: float | None = None
    """ARR the support engineer states in the request, used only when the CRM has none."""

    @property
    def arr(self) -> float | None:
        if self.record and self.record.arr is not None:
            return self.record.arr
        return self.stated_arr

    @property
    def arr_source(self) -> str | None:
        """'CRM', 'request' or None."""
        if self.record and self.record.arr is not None:
            return "CRM"
        return "request" if self.stated_arr is not None else None


@dataclass(frozen=True)
class SlaState:
    """A ticket whose SLA is breached or due soon."""

    ticket: Ticket
    due_at: datetime
    breached: bool


@dataclass(frozen=True)
class PastFix:
    """An earlier escalation, closed as fixed, that this issue repeats (from the escalation ledger)."""

    escalation_id: str
    summary: str
    closed_at: str | None
    reasons: tuple[str, ...] = ()


@dataclass
class Facts:
    """Everything derived for the rules and the brief."""

    now: datetime
    accounts: list[AccountFacts]
    tickets: list[Ticket]
    comments: list[Comment]
    tracker: list[TrackerIssue]
    articles: list[Article]
    chats: list[ChatMessage]
    distinct_customers: int
    customers_evidence: list[Evidence]
    claimed_money: list[MoneyMention]
    sla: list[SlaState] = field(default_factory=list)
    fixed_before: list[PastFix] = field(default_factory=list)
    """Closed escalations marked fixed that this issue matches (empty without a ledger)."""
    first_reported: datetime | None = None

    @property
    def arr_at_risk(self) -> float:
        """ARR summed over affected accounts that the CRM knows."""
        return sum(a.arr or 0.0 for a in self.accounts)

    @property
    def accounts_without_arr(self) -> list[str]:
        return [a.name for a in self.accounts if a.arr is None]

    @property
    def high_value_accounts(self) -> list[AccountFacts]:
        return [a for a in self.accounts if a.high_value]

    @property
    def open_for(self) -> timedelta | None:
        return self.now - self.first_reported if self.first_reported else None

    @property
    def pending_deals(self) -> list[tuple[str, Deal]]:
        return [(a.name, d) for a in self.accounts if a.record for d in a.record.open_deals]

    def renewals_within(self, days: int) -> list[tuple[str, date]]:
        """Affected accounts renewing within `days` days, soonest first."""
        today = self.now.date()
        found = [
            (a.name, a.record.renewal_date)
            for a in self.accounts
            if a.record and a.record.renewal_date and 0 <= (a.record.renewal_date - today).days <= days
        ]
        return sorted(found, key=lambda pair: pair[1])

    @property
    def open_tickets(self) -> list[Ticket]:
        return [t for t in self.tickets if t.status.lower() in OPEN_STATUSES]

    def customer_follow_ups(self) -> int:
        """Customer messages after an agent reply on one account's open tickets (the customer chasing),
        for the account that chased most. Counted per account so that many accounts each asking once
        for news do not look like one customer whose case is stalled."""
        per_account: dict[str, int] = {}
        for ticket in self.open_tickets:
            timeline = sorted((c for c in self.comments if c.ticket_id == ticket.source_id), key=lambda c: c.created_at)
            replied, chases = False, 0
            for comment in timeline:
                if comment.author_role == "agent" and comment.public:
                    replied = True
                elif comment.author_role == "customer" and replied:
                    chases += 1
            key = normalize_name(ticket.account or ticket.source_id)
            per_account[key] = per_account.get(key, 0) + chases
        return max(per_account.values(), default=0)


def match_account(name: str, accounts: list[Account]) -> Account | None:
    """The CRM account a free-text name refers to (exact, then prefix either way)."""
    wanted = normalize_name(name)
    if not wanted:
        return None
    for account in accounts:
        if normalize_name(account.name) == wanted or (account.domain and account.domain.lower() == wanted):
            return account
    return next((account for account in accounts if same_name(account.name, name)), None)


def _sla_states(tickets: list[Ticket], now: datetime, at_risk_hours: float) -> list[SlaState]:
    states = []
    for ticket in tickets:
        if ticket.sla_due_at is None or ticket.status.lower() not in OPEN_STATUSES:
            continue
        if ticket.sla_due_at <= now:
            states.append(SlaState(ticket, ticket.sla_due_at, breached=True))
        elif ticket.sla_due_at - now <= timedelta(hours=at_risk_hours):
            states.append(SlaState(ticket, ticket.sla_due_at, breached=False))
    return states


def derive_facts(extraction: Extraction, gathered: Gathered, policy: Policy, now: datetime) -> Facts:
    """Join the extraction's references to the gathered records and compute the figures."""
    all_accounts: list[Account] = gathered.of_kind(Account)
    tickets = [t for t in gathered.of_kind(Ticket) if t.source_id in set(extraction.ticket_ids)]
    ticket_ids = {t.source_id for t in tickets}
    comments = [c for c in gathered.of_kind(Comment) if c.ticket_id in ticket_ids]
    tracker = [i for i in gathered.of_kind(TrackerIssue) if i.key in set(extraction.tracker_keys)]
    articles = [a for a in gathered.of_kind(Article) if a.source_id in set(extraction.article_ids)]
    chats = [m for m in gathered.of_kind(ChatMessage) if m.source_id in set(extraction.chat_ids)]

    names = [a.name for a in extraction.affected.accounts] + [t.account for t in tickets if t.account]
    # An ARR figure the engineer states (not a customer's claim) stands in for a missing CRM figure,
    # but only when it can belong to a single account.
    stated_figures = [m.amount for m in extraction.money if m.kind == "arr" and not m.customer_claim]
    stated_arr = (
        stated_figures[0] if len(stated_figures) == 1 and len({normalize_name(n) for n in names}) == 1 else None
    )
    accounts: dict[str, AccountFacts] = {}
    evidence: list[Evidence] = []
    for name in names:
        record = match_account(name, all_accounts)
        key = normalize_name(record.name if record else name)
        if key in accounts:
            continue
        stated = stated_arr if record is None or record.arr is None else None
        value = record.arr if record and record.arr is not None else stated
        high_value = value is not None and value >= policy.thresholds.high_value_arr
        accounts[key] = AccountFacts(
            name=record.name if record else name, record=record, high_value=high_value, stated_arr=stated
        )
        if record:
            evidence.append(cite(record))
    for item in extraction.affected.accounts:
        evidence.extend(item.evidence[:1])

    stated = extraction.affected.customer_count or 0
    if stated > len(accounts):
        evidence.extend(extraction.affected.evidence)
    starts = [t.created_at for t in tickets]
    if extraction.started_at:
        starts.append(extraction.started_at)
    return Facts(
        now=now,
        accounts=list(accounts.values()),
        tickets=tickets,
        comments=comments,
        tracker=tracker,
        articles=articles,
        chats=chats,
        distinct_customers=max(len(accounts), stated),
        customers_evidence=evidence,
        claimed_money=[m for m in extraction.money if m.customer_claim],
        sla=_sla_states(tickets, now, policy.thresholds.sla_at_risk_hours),
        first_reported=min(starts) if starts else None,
    )
