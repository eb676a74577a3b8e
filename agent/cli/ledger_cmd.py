"""`escalate followups` and `escalate ledger path|list|show|update|reassess|deescalate|close`:
the escalation ledger. Every command takes `--json`, `--now ISO` and `--ledger PATH`."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from agent.act.ledger import lifecycle, queries, reassess, views
from agent.act.ledger.brief_data import observed_from
from agent.act.ledger.clock import parse_duration, parse_instant, stamp
from agent.act.ledger.paths import ENV_VAR, ledger_path
from agent.act.ledger.store import Ledger, parse_id
from agent.cli.common import make_model
from agent.decide.policy import Policy, load_policy
from agent.errors import UsageError
from agent.service import BriefService
from agent.workspace import WORKSPACE_HELP

ledger_app = typer.Typer(help="The escalation ledger: recorded escalations, their history and what is due.",
                         no_args_is_help=True)  # fmt: skip

LedgerPath = Annotated[
    Path | None, typer.Option("--ledger", help=f"Ledger file (default: ${ENV_VAR} or the data dir).")
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Now = Annotated[str | None, typer.Option("--now", help="The current time (ISO 8601), for reproducible runs.")]
PolicyPath = Annotated[Path | None, typer.Option("--policy", help="A policy TOML file overriding the cadences.")]
By = Annotated[str | None, typer.Option("--by", help="Who is making the change (default: the login name).")]
Id = Annotated[str, typer.Argument(help="The escalation id, e.g. ESC-0001.")]


def emit(data: Any, text: str, as_json: bool) -> None:
    """JSON or the readable form on stdout. A list is printed one object per line: still one JSON
    document, and encoded in C (an indented dump of 20,000 follow-ups takes longer than the query)."""
    if not as_json:
        print(text)
    elif isinstance(data, list):
        print("[\n" + ",\n".join(json.dumps(item, ensure_ascii=False) for item in data) + "\n]" if data else "[]")
    else:
        print(json.dumps(data, indent=2, ensure_ascii=False))


def actor(by: str | None) -> str | None:
    """`--by`, else the login name (None when there is none)."""
    if by and by.strip():
        return by.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def opened(path: Path | None) -> Ledger:
    """The ledger this command uses, created and migrated on first use."""
    return Ledger(ledger_path(path))


@ledger_app.command("path")
def path_cmd(ledger: LedgerPath = None, as_json: Json = False, now: Now = None) -> None:
    """Print where the ledger is (--ledger, else $ESCALATE_LEDGER, else the user's data directory)."""
    parse_instant(now)
    where = ledger_path(ledger)
    emit({"path": str(where), "exists": where.exists()}, str(where), as_json)


@ledger_app.command("list")
def list_cmd(
    status: Annotated[str | None, typer.Option(help="open, deescalated or closed.")] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
    now: Now = None,
) -> None:
    """List escalations, newest first."""
    parse_instant(now)
    with opened(ledger) as store:
        items = queries.list_escalations(store, status)
    emit(items, views.escalations(items), as_json)


@ledger_app.command("show")
def show_cmd(
    escalation: Id,
    brief: Annotated[bool, typer.Option("--brief", help="Print the brief as recorded (for 'escalate act').")] = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    now: Now = None,
) -> None:
    """Show one escalation with its status, obligations and whole history, oldest first."""
    parse_instant(now)
    number = parse_id(escalation)
    with opened(ledger) as store:
        if brief:
            emit(queries.stored_brief(store, number), "", True)
            return
        item = queries.show(store, number)
    emit(item, views.escalation(item), as_json)


@ledger_app.command("update")
def update_cmd(
    escalation: Id,
    note: Annotated[str, typer.Option("--note", help="What happened (required).")],
    severity: Annotated[str | None, typer.Option(help="New severity: Critical, High or Medium.")] = None,
    customer_updated: Annotated[bool, typer.Option("--customer-updated", help="The customer was updated.")] = False,
    by: By = None,
    policy: PolicyPath = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
    now: Now = None,
) -> None:
    """Add a note (re-times the internal check); --customer-updated re-times the customer update;
    --severity re-times both per the new cadence."""
    moment = parse_instant(now)
    change = lifecycle.Update(note, lifecycle.check_severity(severity), customer_updated, actor(by))
    number = parse_id(escalation)
    with opened(ledger) as store:
        done = lifecycle.update(store, number, change, load_policy(policy), moment)
    due = "; ".join(f"next {k} {views.when(v)}" for k, v in done.get("due", {}).items())
    emit(done, f"{done['escalation_id']}: noted" + (f"; {due}" if due else ""), as_json)


@ledger_app.command("deescalate")
def deescalate_cmd(
    escalation: Id,
    reason: Annotated[str, typer.Option("--reason", help="Why it no longer needs escalating (required).")],
    condition: Annotated[str | None, typer.Option(help="The seed's condition, e.g. DEESC-WORKAROUND.")] = None,
    post_chat: Annotated[bool, typer.Option("--post-chat", help="Notify the team escalated to in chat.")] = False,
    note_ticket: Annotated[
        str | None, typer.Option("--note-ticket", help="Note the resolution on this ticket.")
    ] = None,
    channel: Annotated[str | None, typer.Option(help="Chat channel ID (default: [chat] post_channel).")] = None,
    config: Annotated[Path | None, typer.Option(help="Configuration (default ./escalation.toml).")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Send without asking (for scripts).")] = False,
    by: By = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
    now: Now = None,
) -> None:
    """De-escalate: closes the obligations and offers the seed's steps (--post-chat and
    --note-ticket carry out the first two through the confirmed actions)."""
    moment = parse_instant(now)
    number = parse_id(escalation)
    with opened(ledger) as store:
        why = lifecycle.check_deescalation(store, number, reason)
        done: dict[str, Any] = {}
        if post_chat or note_ticket:
            # Imported here: the HTTP stack is only needed when sending.
            from agent.act.ledger.notify import run_steps

            if confirmed(yes, "Send the de-escalation notice(s)?"):
                item = queries.show(store, number)
                done = run_steps(item, why, config, channel, note_ticket, post_chat)
        result = lifecycle.deescalate(store, number, why, moment, condition, actor(by), done)
    result["next_steps"] = next_steps(result["escalation_id"], done)
    text = [f"{result['escalation_id']}: de-escalated ({result['reason']}). Steps:"]
    text += [f"  - {s['what']}: {s['how']}" for s in result["next_steps"]]
    emit(result, "\n".join(text), as_json)


def next_steps(esc: str, done: dict[str, Any]) -> list[dict[str, str]]:
    """The seed's de-escalation steps, each with what was done or how to do it."""
    how = {
        "notify_team": f"escalate ledger deescalate ... --post-chat (or: escalate ledger show {esc} --brief)",
        "update_ticket": "escalate ledger deescalate ... --note-ticket TICKET_ID",
        "inform_customer": "tell the customer the resolution and confirm it works for them",
        "document_learnings": f'escalate ledger close {esc} --learnings "..."',
    }
    return [
        {"step": step, "what": what, "how": done[step]["result"] if step in done else how[step]}
        for step, what in lifecycle.DEESCALATION_STEPS
    ]


def confirmed(yes: bool, question: str) -> bool:
    """--yes, else a prompt on a terminal; with neither, refuse (exit 2)."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError("refusing to send without confirmation: no terminal to ask on; pass --yes")
    return typer.confirm(question, default=False, err=True)


@ledger_app.command("close")
def close_cmd(
    escalation: Id,
    learnings: Annotated[str, typer.Option("--learnings", help="What was learned (required).")],
    fixed: Annotated[bool, typer.Option("--fixed", help="A fix shipped: a recurrence is flagged.")] = False,
    customer_confirmed: Annotated[bool, typer.Option("--customer-confirmed", help="The customer confirmed.")] = False,
    tracking_updated: Annotated[bool, typer.Option("--tracking-updated", help="Internal tracking updated.")] = False,
    by: By = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
    now: Now = None,
) -> None:
    """Close the loop: record the learnings and the checklist; every obligation closes."""
    moment = parse_instant(now)
    checked = tuple(n for n, on in (("customer_confirmed", customer_confirmed), ("tracking_updated", tracking_updated)) if on)  # fmt: skip
    number = parse_id(escalation)
    with opened(ledger) as store:
        done = lifecycle.close(store, number, learnings, moment, fixed, checked, actor(by))
    todo = [k.replace("_", " ") for k, ok in done["checklist"].items() if not ok]
    text = f"{done['escalation_id']}: closed" + (f"; still to do: {', '.join(todo)}" if todo else "")
    emit(done, text, as_json)


@ledger_app.command("reassess")
def reassess_cmd(
    escalation: Id,
    apply: Annotated[bool, typer.Option("--apply", help="Record the recommendation.")] = False,
    workspace: Annotated[str, typer.Option(help=WORKSPACE_HELP)] = "auto",
    config: Annotated[Path | None, typer.Option(help="Connector configuration.")] = None,
    model: Annotated[str, typer.Option(help="auto, offline, anthropic, anthropic:MODEL_ID or ollama:MODEL.")] = "auto",
    by: By = None,
    policy: PolicyPath = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
    now: Now = None,
) -> None:
    """Gather and decide again for the same request and tickets; show what changed and recommend
    keep, raise, lower or de-escalate."""
    moment = parse_instant(now)
    number = parse_id(escalation)
    rules = load_policy(policy)
    with opened(ledger) as store:
        old, request = reassess.recorded_snapshot(store, number)
        brief, observed = rerun(request, workspace, config, model, rules, moment, now is not None)
        result = reassess.compare(escalation.upper(), old, brief, observed)
        data = result.as_dict()
        if apply:
            data["applied"] = reassess.apply(store, number, result, observed, rules, moment, actor(by))
    lines = [f"{data['escalation_id']}: recommend {data['recommendation']}"]
    lines += [f"  - {c}" for c in data["changes"]] or ["  - nothing changed"]
    if data["condition"]:
        lines.append(f"  condition: {data['condition']['id']} ({data['condition']['condition']})")
    emit(data, "\n".join(lines), as_json)


def rerun(
    request: dict[str, Any], workspace: str, config: Path | None, model: str, rules: Policy, now: datetime, fixed: bool
) -> tuple[dict[str, Any], Any]:
    """A fresh brief for a recorded request, through the same service as `escalate brief`."""
    service = BriefService(model=make_model(model), policy=rules, workspace=workspace, config=config)
    made = service.brief(
        request.get("text") or "",
        customer=request.get("customer"),
        ticket_id=request.get("ticket_id"),
        date=stamp(now) if fixed else None,
    )
    return made.output.model_dump(mode="json"), observed_from(made.result)


def followups_cmd(
    within: Annotated[str | None, typer.Option(help="Only what falls due within this time, e.g. 4h, 2d.")] = None,
    post: Annotated[bool, typer.Option("--post", help="Post one reminder per due obligation to chat.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Post without asking (for scripts).")] = False,
    channel: Annotated[list[str] | None, typer.Option(help="CHANNEL_ID, or TEAM=CHANNEL_ID per target team.")] = None,
    config: Annotated[Path | None, typer.Option(help="Configuration with [chat] (default ./escalation.toml).")] = None,
    policy: PolicyPath = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
    now: Now = None,
) -> None:
    """Every open obligation, soonest first, with its tickets' SLA due times; --post reminds the
    target team of each one due (by now, or within --within)."""
    moment = parse_instant(now)
    window = parse_duration(within) if within else None
    rules = load_policy(policy)
    at_risk = timedelta(hours=rules.thresholds.sla_at_risk_hours)
    with opened(ledger) as store:
        items = queries.followups(store, moment, window, at_risk)
        if not post:
            emit(items, views.followups(items), as_json)
            return
        results = post_reminders(store, items, moment, window, channel or [], config, yes)
    emit(results, "\n".join(f"{r['escalation_id']} {r['kind']} {r['due']}: {r['result']}" for r in results)
         or "Nothing due to post.", as_json)  # fmt: skip


def post_reminders(
    store: Ledger,
    items: list[dict[str, Any]],
    now: datetime,
    window: Any,
    channels: list[str],
    config: Path | None,
    yes: bool,
) -> list[dict[str, Any]]:
    """Post the due ones, after confirmation (a prompt, or --yes; refused with no terminal)."""
    # Imported here: the HTTP stack is only needed when posting.
    from agent.act.ledger.remind import Channels, post_due

    limit = stamp(now + window) if window is not None else stamp(now)
    due = [i for i in items if i["due"] <= limit]

    def confirm(count: int) -> bool:
        return confirmed(yes, f"Post {count} follow-up reminder(s)?")

    return post_due(store, due, config, Channels.parse(channels), confirm, stamp(now))


def register(app: typer.Typer) -> None:
    """Add `followups` and `ledger` to the app."""
    app.command("followups")(followups_cmd)
    app.add_typer(ledger_app, name="ledger")
