"""The model seam: requests carry the request as data and tool results their typed records, so the
offline model reads no prompt; capabilities, not names, say what a model does; the scripted model
fails the test on a call too many or too few."""

from __future__ import annotations

import pytest

from agent.extract.step import extract, extraction_tool_spec
from agent.gather.loop import gather
from agent.gather.prefetch import first_calls, prefetch, prefetch_messages, query_of
from agent.gather.tools import ConnectorTools
from agent.models.base import Message, ModelError, ModelRequest, ModelTurn, RequestContext, ToolCall
from agent.models.offline.model import OfflineModel
from agent.models.scripted import ScriptedModel, ScriptError
from agent.prompting import EXTRACTION_TOOL
from tests.fakes.connectors import ACCOUNT, NOW, TICKET, fake_workspace
from tests.models.pipeline import ACME, FALLBACK

TOOLS = ["get_ticket", "search_tickets", "find_account", "search_chat", "search_tracker", "search_kb"]


def test_the_offline_model_reads_the_context_not_the_prompt() -> None:
    misleading = '<data kind="request">\n{"request": "Invoice address change", "customer": "Globex"}\n</data>'
    tools = ConnectorTools(fake_workspace(), NOW)
    request = ModelRequest(
        system="s", messages=[Message(role="user", text=misleading)], tools=tools.specs(), context=ACME
    )
    turn = OfflineModel().complete(request)
    assert {c.arguments.get("customer") for c in turn.tool_calls if c.name == "search_tickets"} >= {"Acme Corp"}
    assert all("Globex" not in str(c.arguments) for c in turn.tool_calls)
    with pytest.raises(ModelError, match="no request context"):
        OfflineModel().complete(request.model_copy(update={"context": None}))


def test_the_offline_extraction_reads_typed_records_not_tool_result_text() -> None:
    call = ToolCall(id="c1", name="find_account", arguments={"name": "Acme Corp"})
    [asked, answered] = prefetch_messages([(call, [ACCOUNT])])
    answered = answered.model_copy(
        update={"tool_results": [answered.tool_results[0].model_copy(update={"content": "not json"})]}
    )
    request = ModelRequest(
        system="s",
        messages=[Message(role="user", text="x"), asked, answered],
        tools=[extraction_tool_spec()],
        output_tool=EXTRACTION_TOOL,
        purpose="extract",
        context=ACME,
    )
    assert request.gathered_records() == [ACCOUNT]
    [extraction_call] = OfflineModel().complete(request).tool_calls
    accounts = extraction_call.arguments["affected"]["accounts"]
    assert [a["name"] for a in accounts] == ["Acme Corp"]


def test_capabilities_say_what_a_model_does() -> None:
    offline = OfflineModel().capabilities
    assert offline.in_process and offline.free and not offline.prefetch and offline.max_gather_turns == 4
    assert not (offline.strict_tools or offline.cache_control or offline.batches)


def test_an_unexpected_call_fails_the_test_through_gather_and_extract() -> None:
    tools = ConnectorTools(fake_workspace(), NOW)
    with pytest.raises(ScriptError, match="unexpected call #1"):
        gather(ScriptedModel([]), tools, "s", "open", context=ACME)
    with pytest.raises(ScriptError, match="unexpected call #1"):
        extract(ScriptedModel([]), "s", [Message(role="user", text="x")], lambda: FALLBACK)


def test_a_leftover_turn_fails_the_test() -> None:
    model = ScriptedModel([ModelTurn(text="done"), ModelTurn(text="never asked")])
    with pytest.raises(ScriptError, match="1 queued turn"), model:
        gather(model, ConnectorTools(fake_workspace(), NOW), "s", "open", context=ACME)


def test_the_prefetch_asks_the_obvious_first_lookups_concurrently_as_one_tool_turn() -> None:
    context = RequestContext(text="API 500 errors for Acme Corp", now=NOW, customer="Acme Corp", ticket_id="1042")
    assert query_of(context.text, context.customer) == "API 500 errors"
    assert [c.name for c in first_calls(context, TOOLS)] == [
        "get_ticket", "find_account", "search_tickets", "search_tickets", "search_tracker", "search_chat", "search_kb",
    ]  # fmt: skip
    tools = ConnectorTools(fake_workspace(delay=0.05), NOW)
    asked, answered = prefetch(tools, context)
    assert asked.role == "assistant" and answered.role == "user"
    assert [r.tool_call_id for r in answered.tool_results] == [c.id for c in asked.tool_calls]
    linked = [c for c in asked.tool_calls if c.name == "get_tracker_issue"]
    assert [c.arguments for c in linked] == [{"key": "ENG-1423"}]  # the ticket's own tracker link
    assert TICKET in answered.tool_results[0].records and ACCOUNT in tools.gathered.records.values()


def test_known_groups_are_given_as_results_and_not_asked_again() -> None:
    tools = ConnectorTools(fake_workspace(), NOW)
    known = [(ToolCall(id="given_ticket", name="get_ticket", arguments={"ticket_id": "1042"}), [TICKET])]
    context = RequestContext(text="", now=NOW, ticket_id="1042")  # nothing to search: links come from the ticket
    asked, answered = prefetch(tools, context, known)
    assert asked.tool_calls[0].id == "given_ticket" and answered.tool_results[0].records == (TICKET,)
    assert sum(c.name == "get_ticket" for c in asked.tool_calls) == 1
    assert not any(c.startswith("get_ticket") for c in tools.gathered.calls)  # not run again
    assert [(c.name, c.arguments) for c in asked.tool_calls[1:]] == [
        ("find_account", {"name": "Acme Corp"}),
        ("get_tracker_issue", {"key": "ENG-1423"}),
    ]


@pytest.mark.parametrize(
    ("text", "customers", "plan"),
    [
        ("API returning 500 errors intermittently for Acme Corp", ["Acme Corp"], None),
        ("Login broken for SSO users at Globex", ["Globex"], None),
        ("SSO login loop affecting all Enterprise customers", [], "Enterprise"),
        ("Data export is missing rows — 3 customers reported this week", [], None),
    ],
)
def test_the_prefetch_looks_up_the_customers_and_segments_a_request_names(
    text: str, customers: list[str], plan: str | None
) -> None:
    calls = first_calls(RequestContext(text=text, now=NOW), [*TOOLS, "list_accounts"])
    assert [c.arguments["name"] for c in calls if c.name == "find_account"] == customers
    assert [c.arguments["plan"] for c in calls if c.name == "list_accounts"] == ([plan] if plan else [])
    assert all(name not in c.arguments.get("query", "") for c in calls for name in customers)


def test_the_prefetch_opens_the_records_a_request_names_by_id() -> None:
    context = RequestContext(text="Same as ticket 1042 and ENG-1423, still failing for them", now=NOW)
    calls = [(c.name, c.arguments) for c in first_calls(context, [*TOOLS, "get_tracker_issue"])]
    assert ("get_ticket", {"ticket_id": "1042"}) in calls
    assert ("get_tracker_issue", {"key": "ENG-1423"}) in calls
    assert ("get_ticket", {"ticket_id": "ENG-1423"}) in calls  # a key-shaped id may be a ticket's
    assert not any(c[0] == "get_tracker_issue" for c in [(c.name, c.arguments) for c in first_calls(context, TOOLS)])
