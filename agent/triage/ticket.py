"""One ticket's triage on the path of every brief: a deterministic prefetch (the ticket's own text
and timeline, its account in the CRM, the tracker issues it links) given to the model as the
results of tool calls, then the same extraction step as a brief (repair, offline fallback), then
the same deterministic assessment. The Message Batches path sends the same request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from agent.brief import BriefRequest, BriefResult
from agent.decide.assess import assess
from agent.decide.policy import Policy
from agent.extract.schema import Extraction
from agent.extract.step import ExtractionFailed, extract, extraction_tool_spec
from agent.gather.gathered import Gathered
from agent.gather.prefetch_messages import Prefetched, describe, prefetched_conversation
from agent.models.base import Message, Model, ModelError, ModelRequest, ModelTurn, ToolCall, Usage
from agent.models.offline.extractor import extract_offline
from agent.models.pricing import model_cost
from agent.prompting import EXTRACTION_TOOL, extraction_prompt
from agent.triage.input import QueueItem
from agent.triage.limiter import Overloaded, as_overload
from connectors.base import ConnectorError, Workspace
from connectors.records import Account, Comment, Record, Ticket, TrackerIssue

EXTRACT_MAX_TOKENS = 8192


class TicketFailure(Exception):
    """This ticket could not be triaged this time; `retryable` says whether another attempt may help."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class Lookup:
    """Cached, thread-safe reads of the workspace: accounts by name, tracker issues by key."""

    def __init__(self, workspace: Workspace | None) -> None:
        self.workspace = workspace
        self.unavailable: dict[str, str] = {}
        self._accounts: dict[str, Account | None] = {}
        self._issues: dict[str, TrackerIssue | None] = {}
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The workspace's name ('none' without one)."""
        return self.workspace.name if self.workspace else "none"

    def account(self, name: str | None) -> Account | None:
        """The CRM account named `name` (None when unknown, or without a CRM)."""
        crm = self.workspace.crm if self.workspace else None
        if not name or crm is None:
            return None
        wanted = name.strip().lower()
        with self._lock:
            if wanted in self._accounts:
                return self._accounts[wanted]
        try:
            found = crm.find_account(name)
        except ConnectorError as exc:
            self.unavailable.setdefault("crm", exc.message)
            return None  # not cached: a later ticket may find the CRM back
        with self._lock:
            self._accounts[wanted] = found
        return found

    def issues(self, keys: tuple[str, ...]) -> list[TrackerIssue]:
        """The tracker issues with these keys that exist."""
        tracker = self.workspace.tracker if self.workspace else None
        if tracker is None or not keys:
            return []
        out = []
        for key in keys:
            with self._lock:
                known = key in self._issues
                issue = self._issues.get(key)
            if not known:
                try:
                    issue = tracker.get_issue(key)
                except ConnectorError as exc:
                    self.unavailable.setdefault("tracker", exc.message)
                    continue
                with self._lock:
                    self._issues[key] = issue
            if issue is not None:
                out.append(issue)
        return out

    def records(self, item: QueueItem) -> list[Record]:
        """The ticket, its timeline, its account and its linked tracker issues."""
        records: list[Record] = [item.ticket, *item.comments]
        account = self.account(item.ticket.account)
        if account is not None:
            records.append(account)
        records.extend(self.issues(item.ticket.tracker_keys))
        return records


@dataclass(frozen=True)
class Triaged:
    """The full result for one ticket: the brief's inputs and the report's row."""

    result: BriefResult
    summary: dict[str, Any]

    @property
    def extraction_json(self) -> str:
        """The extraction as stored (the model's work; everything else is re-derivable)."""
        return self.result.extraction.model_dump_json()


def brief_request(item: QueueItem, now: datetime) -> BriefRequest:
    """The request a ticket stands for: its subject, its account, its id."""
    return BriefRequest(text=item.ticket.subject, now=now, customer=item.ticket.account, ticket_id=item.id)


class TicketTriager:
    """Triage one ticket at a time with a fixed workspace, policy, model and date. Thread-safe."""

    def __init__(self, lookup: Lookup, policy: Policy, model: Model, now: datetime, fallback: bool = False) -> None:
        self.lookup = lookup
        self.policy = policy
        self.model = model
        self.now = now
        self.fallback = fallback
        """Whether the offline reader stands in, inside the extraction step, when the model fails (the
        result says it did); a runner with its own outage handling passes False."""

    @property
    def model_name(self) -> str:
        """The model's name, part of every idempotency key."""
        return self.model.name

    def triage(self, item: QueueItem) -> Triaged:
        """Extract and decide. Raises `Overloaded` (wait and retry), `TicketFailure` (without a
        fallback), or `ModelConfigError` (the whole run cannot work)."""
        records = self.lookup.records(item)
        request = brief_request(item, self.now)
        conversation = self.conversation(item, records)
        try:
            extracted = extract(
                self.model,
                conversation.system,
                conversation.messages,
                (lambda: extract_offline(request.as_data(), records, self.now)) if self.fallback else None,
                # Without a fallback here the runner decides: model errors reach it whole (an outage is
                # not the ticket's fault), and only an unusable answer is the ticket's failure.
                passthrough=(Overloaded,) if self.fallback else (ModelError,),
                context=request.context(),
            )
        except ExtractionFailed as exc:
            raise TicketFailure(str(exc), retryable=exc.retryable) from None
        except ModelError as exc:
            overload = as_overload(exc)
            if overload is not None and overload is not exc:
                raise overload from None
            raise
        return self.evaluate(
            item,
            extracted.extraction,
            records,
            notices=extracted.notices,
            fell_back=extracted.fell_back,
            usage=extracted.usage,
        )

    def evaluate(
        self,
        item: QueueItem,
        extraction: Extraction,
        records: list[Record] | None = None,
        now: datetime | None = None,
        notices: list[str] | None = None,
        fell_back: bool = False,
        usage: Usage | None = None,
    ) -> Triaged:
        """Facts, decision and impact for an extraction (deterministic: also used to rebuild briefs)."""
        now = now or self.now
        records = records if records is not None else self.lookup.records(item)
        gathered = Gathered()
        gathered.add(records)
        gathered.calls = [describe(call) for call, _ in prefetch_groups(item, records)]
        result = assess(
            brief_request(item, now),
            extraction,
            gathered,
            self.policy,
            self.lookup.name,
            self.model.name,
            usage=usage,
            notices=notices,
            extraction_fallback=fell_back,
            read_offline=self.model.capabilities.in_process,
            cost_usd=model_cost(self.model, usage or Usage()),
        )
        decision, facts = result.decision, result.facts
        account = next((a for a in facts.accounts if a.record is not None), None)
        summary = {
            "id": item.id,
            "account": item.ticket.account,
            "subject": item.ticket.subject,
            "created_at": item.ticket.created_at.isoformat(),
            "escalate": decision.escalate,
            "severity": decision.severity,
            "target_team": decision.target_team,
            "priority": decision.priority,
            "confidence": decision.confidence,
            "rules_fired": decision.fired_ids(),
            "category": extraction.category,
            "summary": extraction.summary,
            "arr": account.arr if account else None,
            "triaged_at": now.isoformat(),
            "model": self.model.name,
            "fallback": fell_back,
        }
        return Triaged(result=result, summary=summary)

    def conversation(self, item: QueueItem, records: list[Record]) -> Prefetched:
        """The prefetched conversation for a ticket: system prompt, opening, tool calls and results."""
        request = brief_request(item, self.now)
        return prefetched_conversation(request.as_data(), prefetch_groups(item, records), self.now)

    def model_request(self, item: QueueItem, records: list[Record] | None = None) -> ModelRequest:
        """The single extraction request for a ticket (what the Message Batches path sends)."""
        records = records if records is not None else self.lookup.records(item)
        conversation = self.conversation(item, records)
        return ModelRequest(
            system=conversation.system,
            messages=[*conversation.messages, Message(role="user", text=extraction_prompt())],
            output_tool=EXTRACTION_TOOL,
            context=brief_request(item, self.now).context(),
            tools=[extraction_tool_spec()],
            force_tool=EXTRACTION_TOOL,
            purpose="extract",
            max_tokens=EXTRACT_MAX_TOKENS,
        )


def prefetch_groups(item: QueueItem, records: list[Record]) -> list[tuple[ToolCall, list[Record]]]:
    """The tool calls a brief would make for this ticket, with the records they return."""
    groups: list[tuple[ToolCall, list[Record]]] = [
        (
            ToolCall(id="prefetch_ticket", name="get_ticket", arguments={"ticket_id": item.id}),
            [r for r in records if isinstance(r, Ticket | Comment)],
        ),
    ]
    if item.ticket.account:
        accounts: list[Record] = [r for r in records if isinstance(r, Account)]
        groups.append(
            (ToolCall(id="prefetch_account", name="find_account", arguments={"name": item.ticket.account}), accounts)
        )
    for i, issue in enumerate(r for r in records if isinstance(r, TrackerIssue)):
        groups.append(
            (ToolCall(id=f"prefetch_issue_{i}", name="get_tracker_issue", arguments={"key": issue.key}), [issue])
        )
    return groups


def extraction_from_turn(turn: ModelTurn) -> Extraction:
    """The validated extraction in a model turn; raises `TicketFailure` when there is none."""
    call = next((c for c in turn.tool_calls if c.name == EXTRACTION_TOOL), None)
    if call is None:
        raise TicketFailure(
            f"the model answered without the extraction tool (stop reason: {turn.stop_reason})",
            retryable=turn.stop_reason != "refusal",
        )
    try:
        return Extraction.model_validate(call.arguments)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "(root)"
        raise TicketFailure(
            f"the model's extraction did not validate ({exc.error_count()} errors; {where}: {first['msg']})"
        ) from None
