"""The golden-case schema: one support issue in, the decision a senior support lead expects out.

A case file (`evals/cases/*.yaml`) holds `cases:` and optionally named `fixtures:` (inline
workspaces: tickets, accounts, chat, tracker issues, articles) that its cases share. A case runs
on the embedded `demo` workspace, on `none` (the request text only) or on a `fixture` (a named one,
plus any `records` of its own, so an adversarial case can add one poisoned comment to its clean
twin's data).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Severity = Literal["Critical", "High", "Medium"]
Target = Literal["L2 Support", "Engineering", "Product", "Security", "Leadership"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class FixtureComment(_Strict):
    author: str
    role: Literal["customer", "agent", "internal", "system"] = "customer"
    at: datetime
    body: str
    public: bool = True


class FixtureTicket(_Strict):
    id: str
    subject: str
    description: str = ""
    status: str = "open"
    priority: str | None = None
    requester: str | None = None
    account: str | None = None
    created_at: datetime
    updated_at: datetime | None = None
    sla_due_at: datetime | None = None
    tags: list[str] = Field(default_factory=list)
    product_area: str | None = None
    tracker_keys: list[str] = Field(default_factory=list)
    comments: list[FixtureComment] = Field(default_factory=list)


class FixtureDeal(_Strict):
    name: str
    amount: float | None = None
    stage: str | None = None
    close_date: date | None = None


class FixtureAccount(_Strict):
    id: str
    name: str
    domain: str | None = None
    plan: str | None = None
    segment: str | None = None
    arr: float | None = None
    renewal_date: date | None = None
    csm: str | None = None
    contacts: list[str] = Field(default_factory=list)
    reference_customer: bool = False
    deals: list[FixtureDeal] = Field(default_factory=list)
    past_escalations: list[str] = Field(default_factory=list)
    health: str | None = None


class FixtureChat(_Strict):
    id: str
    channel: str
    author: str
    at: datetime
    text: str
    thread_id: str | None = None


class FixtureIssue(_Strict):
    key: str
    title: str
    type: str = "bug"
    status: str = "Open"
    resolved: bool = False
    assignee: str | None = None
    team: str | None = None
    priority: str | None = None
    labels: list[str] = Field(default_factory=list)
    linked_tickets: list[str] = Field(default_factory=list)
    created_at: datetime | None = None
    resolved_at: datetime | None = None
    description: str = ""
    regression_of: str | None = None


class FixtureArticle(_Strict):
    id: str
    title: str
    type: str = "how_to"
    status: str | None = None
    body: str = ""
    tags: list[str] = Field(default_factory=list)
    updated_at: datetime | None = None


class Fixture(_Strict):
    """An inline workspace: every list may be empty."""

    tickets: list[FixtureTicket] = Field(default_factory=list)
    accounts: list[FixtureAccount] = Field(default_factory=list)
    chat: list[FixtureChat] = Field(default_factory=list)
    tracker: list[FixtureIssue] = Field(default_factory=list)
    articles: list[FixtureArticle] = Field(default_factory=list)

    def merged(self, extra: Fixture) -> Fixture:
        """This fixture plus `extra`; a ticket in `extra` with a known id adds its comments to it."""
        tickets = {t.id: t for t in self.tickets}
        for ticket in extra.tickets:
            base = tickets.get(ticket.id)
            if base is None:
                tickets[ticket.id] = ticket
            else:
                tickets[ticket.id] = base.model_copy(update={"comments": [*base.comments, *ticket.comments]})
        return Fixture(
            tickets=list(tickets.values()),
            accounts=[*self.accounts, *extra.accounts],
            chat=[*self.chat, *extra.chat],
            tracker=[*self.tracker, *extra.tracker],
            articles=[*self.articles, *extra.articles],
        )


class CaseInput(_Strict):
    """What the support engineer asks, where, and when."""

    request: str
    customer: str | None = None
    ticket: str | None = None
    reported_by: str | None = None
    workspace: Literal["demo", "none", "fixture"] = "none"
    fixture: str | None = None
    """Name of a fixture in the file's `fixtures:` (workspace `fixture`)."""
    records: Fixture | None = None
    """Records of this case only, added to the named fixture (workspace `fixture`)."""
    date: datetime = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

    @field_validator("date", mode="before")
    @classmethod
    def _noon(cls, value: Any) -> Any:
        if isinstance(value, date) and not isinstance(value, datetime):
            return datetime(value.year, value.month, value.day, 12, 0, tzinfo=UTC)
        return value

    @field_validator("date")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    @model_validator(mode="after")
    def _fixture_only_with_fixture(self) -> CaseInput:
        if self.workspace != "fixture" and (self.fixture or self.records):
            raise ValueError("fixture/records need workspace: fixture")
        if self.workspace == "fixture" and not (self.fixture or self.records):
            raise ValueError("workspace: fixture needs a fixture name or records")
        return self


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class Expect(_Strict):
    """The decision a senior support lead would make per the seed's criteria."""

    escalate: bool
    severity: list[Severity] | None = None
    """Allowed severities (several where the spec is ambiguous); None: not checked."""
    target: list[Target] | None = None
    """Allowed target teams; None: not checked."""
    facts: list[str] = Field(default_factory=list)
    """Substrings the brief must contain (case-insensitive)."""
    fire: list[str] = Field(default_factory=list)
    """Rule ids that must fire."""
    not_fire: list[str] = Field(default_factory=list)
    """Rule ids that must not fire."""

    @field_validator("severity", "target", "facts", "fire", "not_fire", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _as_list(value)

    @model_validator(mode="after")
    def _consistent(self) -> Expect:
        if not self.escalate and (self.severity or self.target):
            raise ValueError("a handle-in-support case has no severity or target")
        if set(self.fire) & set(self.not_fire):
            raise ValueError(f"rules both required and forbidden: {sorted(set(self.fire) & set(self.not_fire))}")
        return self


class Case(_Strict):
    """One golden case."""

    id: str
    title: str
    tags: list[str] = Field(default_factory=list)
    """Categories: seed, support, security, churn, sla, policy, pr-legal, pattern, regression,
    adversarial, tone-*, ... (used for coverage counts)."""
    input: CaseInput
    expect: Expect
    clean_twin: str | None = None
    """For an adversarial case: the id of the same case without the injected text."""
    notes: str | None = None
    """Why this is the expected decision, in the seed's terms."""
    fixture_data: Fixture | None = None
    """Resolved workspace records (set by the loader from `fixture` + `records`)."""


class CaseFile(_Strict):
    fixtures: dict[str, Fixture] = Field(default_factory=dict)
    cases: list[Case]


class CaseError(Exception):
    """A case file is unreadable or inconsistent (one line, names the file)."""


def _resolve(case: Case, fixtures: dict[str, Fixture], origin: str) -> Case:
    if case.input.workspace != "fixture":
        return case
    base = Fixture()
    if case.input.fixture:
        if case.input.fixture not in fixtures:
            raise CaseError(f"{origin}: case {case.id}: unknown fixture {case.input.fixture!r}")
        base = fixtures[case.input.fixture]
    data = base.merged(case.input.records) if case.input.records else base
    return case.model_copy(update={"fixture_data": data})


def load_file(path: Path) -> list[Case]:
    """The cases of one YAML file, fixtures resolved."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        parsed = CaseFile.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise CaseError(f"{path}: cannot read: {exc}") from exc
    except ValueError as exc:
        raise CaseError(f"{path}: invalid case file: {exc}") from exc
    return [_resolve(c, parsed.fixtures, str(path)) for c in parsed.cases]


def load_cases(paths: Iterable[Path]) -> list[Case]:
    """Cases from files and directories (every `*.yaml` inside), ids unique, twins known."""
    cases: list[Case] = []
    for path in paths:
        files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        if not files:
            raise CaseError(f"{path}: no case files")
        for file in files:
            cases.extend(load_file(file))
    ids = [c.id for c in cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CaseError(f"duplicate case ids: {', '.join(duplicates)}")
    known = set(ids)
    for case in cases:
        if case.clean_twin and case.clean_twin not in known:
            raise CaseError(f"case {case.id}: clean twin {case.clean_twin!r} not found")
    return cases
