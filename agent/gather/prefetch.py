"""The deterministic first gather: the obvious lookups for a request, run in parallel before the
model's first call and handed to it as that turn's tool results.

Claude would open every brief with the same searches (the ticket by id, the tickets and tracker
issues the request names by id, the account, the tickets, tracker, chat and knowledge base on the
request's words); running them here saves a paid call and gives the first call everything it needs
to record the extraction at once. A second wave follows
what the first one points at: the asked-for ticket's account and tracker issues, and a few tickets
and tracker issues that any gathered text mentions ("same as #4821" in an internal note, "ENG-1423"
in chat; see `mentions`); it is the last wave. Batch triage reuses
`prefetch_messages` for a ticket's own records (the ticket, its account, its linked issues).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from agent.gather.mentions import ids_named, mentioned
from agent.gather.tools import ConnectorTools, records_json
from agent.models.base import Message, RequestContext, ToolCall, ToolResult
from connectors.records import Record, Ticket

Group = tuple[ToolCall, Sequence[Record]]
"""One tool call and the records it returned."""

MAX_QUERY_WORDS = 10
_SEARCHES = ("search_tickets", "search_tracker", "search_chat", "search_kb")
_NAMED = re.compile(r"\b(?:for|at|from|with)\s+((?:[A-Z][a-z][\w&.'-]*|&)(?:\s+(?:[A-Z][\w&.'-]*|&)){0,3})")
"""A customer named the way requests name one: 'for Acme Corp', 'from Globex Industries'."""
_SEGMENT = re.compile(r"\ball\s+(?:of\s+)?(?:our\s+)?(enterprise|business|starter)\b", re.IGNORECASE)
"""'all Enterprise customers': every account on one plan."""
_FILLER = frozenset(
    "a an and are at be by for from has have in is it its of on or our the their this to was were with".split()
)


def query_of(text: str, customer: str | None = None) -> str:
    """The request's words for a search: without the customer's name and filler, at most ten."""
    skip = {w.lower() for w in re.findall(r"\w+", customer or "")} | _FILLER
    words = [w for w in re.findall(r"[\w.-]+", text) if w.lower() not in skip]
    return " ".join(list(dict.fromkeys(words))[:MAX_QUERY_WORDS])


def customers_named(context: RequestContext) -> list[str]:
    """The explicit customer, then those the request's text names ('... for Acme Corp')."""
    named = [m.group(1).strip() for m in _NAMED.finditer(context.text)]
    found = [context.customer, *named] if context.customer else named
    return list(dict.fromkeys(n for n in found if n))[:3]


def first_calls(context: RequestContext, offered: Iterable[str]) -> list[ToolCall]:
    """The lookups every brief starts with, limited to the tools the workspace offers."""
    available = set(offered)
    wanted: list[tuple[str, dict[str, str]]] = []
    if context.ticket_id:
        wanted.append(("get_ticket", {"ticket_id": context.ticket_id}))
    for ident in ids_named(context.text):  # "ticket 4821", "PS-4402": a key may name either record
        if ident != context.ticket_id:
            wanted.append(("get_ticket", {"ticket_id": ident}))
        if "-" in ident:
            wanted.append(("get_tracker_issue", {"key": ident}))
    customers = customers_named(context)
    for customer in customers:
        wanted += [("find_account", {"name": customer}), ("search_tickets", {"customer": customer})]
    if segment := _SEGMENT.search(context.text):
        wanted.append(("list_accounts", {"plan": segment.group(1).capitalize()}))
    query = query_of(context.text, " ".join(customers))
    if query:
        wanted += [(name, {"query": query}) for name in _SEARCHES]
    return [_call(i, name, args) for i, (name, args) in enumerate(wanted) if name in available]


def _call(n: int, name: str, arguments: dict[str, str], wave: str = "") -> ToolCall:
    return ToolCall(id=f"prefetch_{wave}{n}_{name}", name=name, arguments=arguments)


def _key(call: ToolCall) -> tuple[str, tuple[tuple[str, str], ...]]:
    return call.name, tuple(sorted((k, str(v)) for k, v in call.arguments.items()))


def _linked_calls(
    context: RequestContext, records: Sequence[Record], known: set[str], offered: set[str]
) -> tuple[list[ToolCall], frozenset[str]]:
    """Second wave: the account and the tracker issues of the ticket asked for by id, then the
    tickets and tracker issues that any gathered text mentions (a few, never one gathered already),
    with the ids of the latter: optional lookups, whose failure leaves their source available.
    What this wave returns is not followed further."""
    wanted = (context.ticket_id or "").strip().lstrip("#")
    ticket = next((r for r in records if isinstance(r, Ticket) and wanted and r.source_id == wanted), None)
    linked: list[tuple[str, dict[str, str]]] = []
    own_keys: tuple[str, ...] = ()
    if ticket is not None:
        if ticket.account and "find_account" in offered and f"account:{ticket.account.lower()}" not in known:
            linked.append(("find_account", {"name": ticket.account}))
        if "get_tracker_issue" in offered:
            own_keys = ticket.tracker_keys
            linked += [("get_tracker_issue", {"key": key}) for key in own_keys]
    direct = len(linked)
    found = mentioned(records, skip_tickets=[wanted] if wanted else [], skip_keys=own_keys)
    if "get_ticket" in offered:
        linked += [("get_ticket", {"ticket_id": ident}) for ident in found.tickets]
    if "get_tracker_issue" in offered:
        linked += [("get_tracker_issue", {"key": key}) for key in found.tracker_keys]
    calls = [_call(i, name, args, wave="link_") for i, (name, args) in enumerate(linked)]
    return calls, frozenset(c.id for c in calls[direct:])


def prefetch(tools: ConnectorTools, context: RequestContext, known: Sequence[Group] = ()) -> list[Message]:
    """Run the first lookups concurrently (skipping those `known` already answers) and return them,
    with the `known` groups first, as an assistant tool-use message and its tool-result message."""
    offered = set(tools.functions())
    for _, records in known:
        tools.gathered.add(records)
    done = {_key(call) for call, _ in known}
    calls = [c for c in first_calls(context, offered) if _key(c) not in done]
    results = tools.run_all(calls)
    named = {
        f"account:{str(c.arguments['name']).lower()}"
        for c in [*calls, *(g for g, _ in known)]
        if c.name == "find_account"
    }
    found = [*(r for _, records in known for r in records), *(r for res in results for r in res.records)]
    second, optional = _linked_calls(context, found, named, offered)
    linked = [c for c in second if _key(c) not in done]
    calls, results = [*calls, *linked], [*results, *tools.run_all(linked, optional)]
    given = [(call, _result(call, records)) for call, records in known]
    return tool_messages([*given, *zip(calls, results, strict=True)])


def _result(call: ToolCall, records: Sequence[Record]) -> ToolResult:
    return ToolResult(tool_call_id=call.id, content=records_json(records), records=tuple(records))


def prefetch_messages(groups: Sequence[Group]) -> list[Message]:
    """Given (call, records) groups as the two messages of a tool turn (for records already read)."""
    return tool_messages([(call, _result(call, records)) for call, records in groups])


def tool_messages(pairs: Sequence[tuple[ToolCall, ToolResult]]) -> list[Message]:
    """An assistant message with the calls and the user message with their results (none when empty)."""
    if not pairs:
        return []
    return [
        Message(role="assistant", tool_calls=[call for call, _ in pairs], synthetic=True),
        Message(role="user", tool_results=[result for _, result in pairs]),
    ]
