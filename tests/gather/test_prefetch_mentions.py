"""The prefetch's second wave follows the tickets and tracker issues that gathered text mentions:
a few of them, once, and never what the first wave already read."""

from __future__ import annotations

from datetime import datetime

from agent.gather.prefetch import prefetch
from agent.gather.tools import ConnectorTools
from agent.models.base import RequestContext
from connectors.base import ConnectorError, Workspace
from connectors.records import ChatMessage, Comment, Ticket, TrackerIssue
from tests.fakes.connectors import NOW

TICKETS = {
    "1042": Ticket(source="zendesk", source_id="1042", subject="API 500s", account=None, created_at=NOW,
                   description="Since Monday POST /v1/ingest fails", tracker_keys=("ENG-1423",)),
    "4821": Ticket(source="zendesk", source_id="4821", subject="Ingest 500s for Globex", created_at=NOW,
                   description="Same as #4900"),  # mentioned in the second wave: not followed
    "4822": Ticket(source="zendesk", source_id="4822", subject="Ingest errors", created_at=NOW),
}  # fmt: skip
NOTE = Comment(source="zendesk", source_id="n1", ticket_id="1042", author="rio", author_role="internal",
               public=False, created_at=NOW, body="Internal: same as #4821, and see OPS-77")  # fmt: skip
CHAT = ChatMessage(source="slack", source_id="C1:1", channel="eng", author="sam", posted_at=NOW,
                   text="dup of T-4822; ticket 1042 is the same thing")  # fmt: skip
ISSUES = {key: TrackerIssue(source="jira", source_id=key, key=key, title=key) for key in ("ENG-1423", "OPS-77")}


class Support:
    """Tickets by id; searching finds only 1042."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def get_ticket(self, ticket_id: str) -> Ticket | None:
        self.asked.append(ticket_id)
        return TICKETS.get(ticket_id)

    def ticket_comments(self, ticket_id: str) -> list[Comment]:
        return [NOTE] if ticket_id == "1042" else []

    def search_tickets(
        self, text: str | None = None, customer: str | None = None, since: datetime | None = None, limit: int = 20
    ) -> list[Ticket]:
        return [TICKETS["1042"]]


class Chat:
    def search_messages(self, query: str, limit: int = 20) -> list[ChatMessage]:
        return [CHAT]


class Tracker:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def search_issues(self, query: str, limit: int = 20) -> list[TrackerIssue]:
        return [ISSUES["ENG-1423"]]

    def get_issue(self, key: str) -> TrackerIssue | None:
        self.asked.append(key)
        return ISSUES.get(key)


def test_tickets_and_keys_that_notes_and_chat_mention_are_read_once() -> None:
    support, tracker = Support(), Tracker()
    workspace = Workspace(name="t", support=support, chat=Chat(), tracker=tracker)  # type: ignore[arg-type]
    tools = ConnectorTools(workspace, NOW)
    context = RequestContext(text="ingest API 500 errors", now=NOW, ticket_id="1042")
    asked, _ = prefetch(tools, context)
    second = [(c.name, c.arguments) for c in asked.tool_calls if c.id.startswith("prefetch_link_")]
    assert second == [
        ("get_tracker_issue", {"key": "ENG-1423"}),  # the ticket's own link, as before
        ("get_ticket", {"ticket_id": "4821"}),  # "same as #4821" in the internal note
        ("get_ticket", {"ticket_id": "4822"}),  # "dup of T-4822" in chat
        ("get_tracker_issue", {"key": "OPS-77"}),  # a key the note mentions
    ]
    assert support.asked == ["1042", "4821", "4822"]  # 1042 once, #4900 (from 4821) never
    assert tracker.asked == ["ENG-1423", "OPS-77"]
    assert {"zendesk:4821", "zendesk:4822"} <= {r.ref for r in tools.gathered.records.values() if r.kind == "ticket"}


def test_a_mentioned_ticket_that_cannot_be_read_leaves_the_support_source_available() -> None:
    class Flaky(Support):
        def get_ticket(self, ticket_id: str) -> Ticket | None:
            if ticket_id == "4821":
                raise ConnectorError("support", "server error (HTTP 500)")
            return super().get_ticket(ticket_id)

    support = Flaky()
    workspace = Workspace(name="t", support=support, chat=Chat(), tracker=Tracker())  # type: ignore[arg-type]
    tools = ConnectorTools(workspace, NOW)
    asked, answered = prefetch(tools, RequestContext(text="ingest API 500 errors", now=NOW, ticket_id="1042"))
    failed = [
        r for c, r in zip(asked.tool_calls, answered.tool_results, strict=True) if c.arguments == {"ticket_id": "4821"}
    ]
    assert [r.is_error for r in failed] == [True]
    assert tools.gathered.unavailable == {}  # the brief does not report support as down
    assert "zendesk:4822" in {r.ref for r in tools.gathered.records.values()}  # the other mention still read
