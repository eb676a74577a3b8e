"""Typed, frozen records that every connector returns.

Each record says where it came from (`source`, `source_id`, `url`) so a brief can cite it. The
`kind` field discriminates the union, which lets records travel through a model conversation as
JSON and come back out as the same typed objects.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter


def _aware(moment: datetime) -> datetime:
    # Backends disagree on whether they send offsets; a naive time is taken to be UTC so that
    # every comparison in the rules is between aware datetimes.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


UtcDatetime = Annotated[datetime, AfterValidator(_aware)]
"""A datetime that is always timezone-aware (naive input is read as UTC)."""


class Record(BaseModel):
    """Common provenance of every record: which system, which object, which link."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    """Backend that produced the record, e.g. `demo`, `zendesk`, `slack`."""
    source_id: str
    """The object's id in that backend."""
    url: str | None = None
    """Web link a person can open (the vendor's UI, not the API)."""

    @property
    def ref(self) -> str:
        """Stable short reference used in evidence: `source:source_id`."""
        return f"{self.source}:{self.source_id}"


class Ticket(Record):
    """A support-platform ticket or conversation."""

    kind: Literal["ticket"] = "ticket"
    subject: str
    description: str = ""
    status: str = "open"
    """new, open, pending, hold, solved or closed."""
    priority: str | None = None
    """The platform's own priority (urgent/high/normal/low), if any."""
    requester: str | None = None
    account: str | None = None
    """Customer organization name as known to the support platform."""
    created_at: UtcDatetime
    updated_at: UtcDatetime | None = None
    sla_due_at: UtcDatetime | None = None
    """When the current SLA target (first reply or resolution) is due."""
    tags: tuple[str, ...] = ()
    product_area: str | None = None
    tracker_keys: tuple[str, ...] = ()
    """Project-tracker issues this ticket is linked to."""


class Comment(Record):
    """One entry in a ticket's timeline."""

    kind: Literal["comment"] = "comment"
    ticket_id: str
    author: str
    author_role: Literal["customer", "agent", "internal", "system"] = "agent"
    public: bool = True
    """False for internal notes."""
    created_at: UtcDatetime
    body: str


class Deal(BaseModel):
    """An open sales opportunity attached to an account."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    amount: float | None = None
    stage: str | None = None
    close_date: date | None = None


class Account(Record):
    """A customer account from the CRM."""

    kind: Literal["account"] = "account"
    name: str
    domain: str | None = None
    plan: str | None = None
    """Commercial plan, e.g. Starter, Business, Enterprise."""
    segment: str | None = None
    arr: float | None = None
    """Annual recurring revenue in USD, as recorded in the CRM."""
    renewal_date: date | None = None
    csm: str | None = None
    contacts: tuple[str, ...] = ()
    reference_customer: bool = False
    open_deals: tuple[Deal, ...] = ()
    past_escalations: tuple[str, ...] = ()
    """Short descriptions or ids of earlier escalations for this account."""
    health: str | None = None


class ChatMessage(Record):
    """A message (or thread root) from the team chat."""

    kind: Literal["chat_message"] = "chat_message"
    channel: str
    author: str
    posted_at: UtcDatetime
    text: str
    thread_id: str | None = None
    reply_count: int = 0


class TrackerIssue(Record):
    """A bug, feature request or task in the project tracker."""

    kind: Literal["tracker_issue"] = "tracker_issue"
    key: str
    title: str
    issue_type: str = "bug"
    """bug, feature, task or incident."""
    status: str = "open"
    """The tracker's status name, e.g. Open, In Progress, Done."""
    resolved: bool = False
    assignee: str | None = None
    team: str | None = None
    priority: str | None = None
    labels: tuple[str, ...] = ()
    linked_tickets: tuple[str, ...] = ()
    created_at: UtcDatetime | None = None
    resolved_at: UtcDatetime | None = None
    description: str = ""
    regression_of: str | None = None
    """Key of an earlier, resolved issue that this one reopens."""


class Article(Record):
    """A knowledge-base article."""

    kind: Literal["article"] = "article"
    title: str
    article_type: str = "how_to"
    """known_issue, how_to, troubleshooting, faq, limitation or reference."""
    status: str | None = None
    """For known issues: investigating, workaround_available, fix_in_progress or resolved."""
    body: str = ""
    updated_at: UtcDatetime | None = None
    tags: tuple[str, ...] = ()


AnyRecord = Annotated[
    Ticket | Comment | Account | ChatMessage | TrackerIssue | Article,
    Field(discriminator="kind"),
]
RECORDS_ADAPTER: TypeAdapter[list[AnyRecord]] = TypeAdapter(list[AnyRecord])
"""Parses a JSON list of records of any kind back into typed records."""
