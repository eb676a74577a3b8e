"""Ticket ids and tracker keys found in gathered text, and the forms that only look like them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agent.gather.mentions import MAX_TICKETS, ids_named, mentioned, ticket_ids_in
from agent.models.offline.planner import asked_ticket, plan_turn
from connectors.records import ChatMessage, Comment, Ticket, TrackerIssue
from connectors.vendors.parse import tracker_keys_in

AT = datetime(2026, 10, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("Same as #4821, customer is on Enterprise", ("4821",)),
        ("see ticket 4821 for the logs", ("4821",)),
        ("see Ticket #4821", ("4821",)),
        ("dup of T-4821", ("4821",)),
        ("tickets no. 4821 and #4822", ("4821", "4822")),
        ("https://acme.zendesk.com/agent/tickets/4821 has the HAR file", ("4821",)),
        ("GET https://acme.zendesk.com/api/v2/tickets/4821.json", ("4821",)),
        ("https://app.intercom.com/a/inbox/abc1/inbox/conversation/215999", ("215999",)),
        ("#4822 first, then ticket 4821, then #4822 again", ("4822", "4821")),
    ],
)
def test_ticket_ids_are_found_in_the_forms_people_write_them(text: str, ids: tuple[str, ...]) -> None:
    assert ticket_ids_in(text) == ids


@pytest.mark.parametrize(
    "text",
    [
        "Call me at +1 (415) 555-0100 or 415-555-0101",
        "Invoice total $4,821.00, paid 2026-10-20",
        "Renewal is due in 2026; ARR 480000",
        "Upgraded to v4.8.21 (build 4821) yesterday",
        "HTTP 500 on 1 in 20 calls since deploy 4411",
        "order #4821 shipped, see PR #4822 and issue #4823",
        "escaped &#4821; and a link to page#4821",
        "T-shirts for the team",
        "a ratio of #48.21 per call",
    ],
)
def test_numbers_that_are_not_ticket_ids_are_left_alone(text: str) -> None:
    assert ticket_ids_in(text) == ()


def test_tracker_keys_ignore_invoice_numbers_and_standards() -> None:
    assert tracker_keys_in("See ENG-1423. Invoice INV-2026-07-0412, UTF-8 body, ISO-8601 dates") == ("ENG-1423",)


def _ticket(ident: str, text: str = "") -> Ticket:
    return Ticket(source="zendesk", source_id=ident, subject=f"ticket {ident}", description=text, created_at=AT)


def test_mentions_leave_out_what_was_gathered_and_stay_bounded() -> None:
    records = [
        _ticket("1042", "Same as #4821"),
        Comment(source="zendesk", source_id="c1", ticket_id="1042", author="agent", author_role="internal",
                public=False, created_at=AT, body="Internal: dup of T-4822, see ticket 1042 and ENG-1500"),
        ChatMessage(source="slack", source_id="C1:1", channel="eng", author="sam", posted_at=AT,
                    text="tickets #4823 and #4824 too, tracked in ENG-1423 and OPS-7"),
        TrackerIssue(source="jira", source_id="ENG-1423", key="ENG-1423", title="500s",
                     description="Reported in #4821; regression of ENG-1101"),
    ]  # fmt: skip
    found = mentioned(records, skip_keys=["ENG-1500"])
    assert found.tickets == ("4821", "4822", "4823")  # 1042 is gathered; 4824 is one too many
    assert len(found.tickets) == MAX_TICKETS
    assert found.tracker_keys == ("OPS-7", "ENG-1101")  # ENG-1423 is gathered, ENG-1500 skipped


def test_a_request_names_tickets_and_key_shaped_ids_that_may_be_either() -> None:
    assert ids_named("Meadowlark lab results issue, ticket PS-4402.") == ("PS-4402",)
    assert ids_named("see ticket 4821 and ENG-77, same as #5120") == ("4821", "5120", "ENG-77")
    assert ids_named("UTF-8 text in an ISO-8601 date") == ()


def test_the_ticket_a_request_names_by_id_is_the_one_asked_about() -> None:
    now = datetime(2026, 12, 3, tzinfo=UTC)
    tickets = [
        Ticket(source="t", source_id=ident, subject=f"subject {ident}", created_at=now) for ident in ("PS-1", "PS-4402")
    ]
    assert asked_ticket({}, tickets, "reminders stopped, PS-4402") is tickets[1]
    assert asked_ticket({"ticket_id": "PS-1"}, tickets, "reminders stopped, PS-4402") is tickets[0]
    assert asked_ticket({}, tickets, "reminders stopped") is None


def test_the_offline_planner_opens_what_the_request_names() -> None:
    calls = plan_turn({"request": "Reminders stopped - PS-4410."}, [], [], ["get_ticket", "get_tracker_issue"])
    assert [(c.name, c.arguments) for c in calls] == [
        ("get_ticket", {"ticket_id": "PS-4410"}),
        ("get_tracker_issue", {"key": "PS-4410"}),
    ]
