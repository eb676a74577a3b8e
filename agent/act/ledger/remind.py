"""Follow-up reminders to the target team's chat channel, through the confirmed, idempotent
`post_chat` action: never twice for the same obligation and due time (the ledger's own record of
what was posted is checked first, then the action's marker search in the channel)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.act.actions import post_chat
from agent.act.ledger.clock import unstamp
from agent.act.ledger.store import Ledger, append_event, parse_id
from agent.errors import UsageError
from agent.render.contract import BriefOutput
from connectors.base import ConnectorError
from connectors.config import ConfigError, load_config

KIND_LABEL = {"internal": "internal check with the receiving team", "customer": "customer update"}


@dataclass(frozen=True)
class Channels:
    """Where reminders go: a channel per target team, else a default, else `[chat] post_channel`."""

    default: str | None = None
    by_team: Mapping[str, str] | None = None

    @classmethod
    def parse(cls, values: Sequence[str]) -> Channels:
        """`--channel C0123` (every team) and `--channel Engineering=C0ENG` (one team)."""
        default, teams = None, {}
        for value in values:
            team, sep, channel = value.partition("=")
            if sep:
                if not team.strip() or not channel.strip():
                    raise UsageError(f"--channel {value!r}: use TEAM=CHANNEL_ID or CHANNEL_ID")
                teams[team.strip().lower()] = channel.strip()
            else:
                default = value.strip()
        return cls(default, teams)

    def for_team(self, team: str | None) -> str | None:
        """The channel for `team`; None means the configuration's `post_channel`."""
        return (self.by_team or {}).get((team or "").lower()) or self.default


def reminder_key(item: Mapping[str, Any]) -> str:
    """The idempotency key of one reminder: the obligation and its due time."""
    basis = f"{item['escalation_id']}|{item['kind']}|{item['due']}"
    return "followup-" + hashlib.sha256(basis.encode()).hexdigest()[:12]


def reminder(item: Mapping[str, Any]) -> BriefOutput:
    """The chat message for one due obligation, as a brief the chat action can post."""
    due = unstamp(str(item["due"]))
    state = "overdue since" if item["overdue"] else "due"
    lines = [
        f"**{item['escalation_id']}**: {KIND_LABEL[str(item['kind'])]} {state} {due:%Y-%m-%d %H:%M} UTC.",
        f"- Escalation: {item['summary']}",
    ]
    lines += [
        f"- SLA on ticket {s['ticket']}: " + ("breached" if s["breached"] else "at risk" if s["at_risk"] else "due")
        + f" {unstamp(s['due']):%Y-%m-%d %H:%M} UTC"
        for s in item.get("sla") or []
    ]  # fmt: skip
    lines.append(f'- When done: `escalate ledger update {item["escalation_id"]} --note "..."`')
    return BriefOutput(
        escalate=True,
        severity=item.get("severity"),
        target_team=item.get("target_team"),
        summary=f"Follow-up {state}: {item['escalation_id']} {KIND_LABEL[str(item['kind'])]}",
        markdown="\n".join(lines),
    )


def already_posted(ledger: Ledger, item: Mapping[str, Any]) -> bool:
    """Whether the ledger has a post for this obligation and due time."""
    found = ledger.conn.execute(
        "SELECT 1 FROM posts WHERE escalation_id = ? AND kind = ? AND due_at = ?",
        (parse_id(str(item["escalation_id"])), item["kind"], item["due"]),
    ).fetchone()
    return found is not None


def post_due(
    ledger: Ledger,
    items: Sequence[Mapping[str, Any]],
    config_path: Path | None,
    channels: Channels,
    confirm: Callable[[int], bool],
    now_stamp: str,
    **action_options: Any,
) -> list[dict[str, Any]]:
    """Post a reminder for each item not posted before; `confirm(count)` is asked once first.
    Returns one result per item (`posted`, `already posted` or `skipped`). Raises `UsageError`."""
    pending = [item for item in items if not already_posted(ledger, item)]
    results = [{**_ref(i), "result": "already posted"} for i in items if i not in pending]
    if not pending:
        return results
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise UsageError(str(exc)) from exc
    if config is None:
        raise UsageError("--post needs [chat] in escalation.toml (or --config FILE); create one with 'escalate init'")
    if not confirm(len(pending)):
        return results + [{**_ref(i), "result": "skipped"} for i in pending]
    done = []
    for item in pending:
        try:
            action = post_chat(config, reminder(item), channels.for_team(item.get("target_team")), reminder_key(item),
                               **action_options)  # fmt: skip
        except ConfigError as exc:
            raise UsageError(str(exc)) from exc
        try:
            outcome = action.execute()
        except ConnectorError as exc:
            results.append({**_ref(item), "result": f"failed: {exc}"})
            continue
        finally:
            action.close()
        done.append((item, action.channel, outcome.reference))
        results.append({**_ref(item), "result": "posted" if outcome.created else "already posted", "url": outcome.url})
    with ledger.transaction() as conn:
        for item, channel, reference in done:
            number = parse_id(str(item["escalation_id"]))
            conn.execute(
                "INSERT OR IGNORE INTO posts (escalation_id, kind, due_at, channel, reference, posted_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (number, item["kind"], item["due"], channel, reference, now_stamp),
            )
            event = {"obligation": item["kind"], "due": item["due"], "channel": channel, "reference": reference}
            append_event(conn, number, now_stamp, "reminder-posted", event)
    return results


def _ref(item: Mapping[str, Any]) -> dict[str, Any]:
    return {"escalation_id": item["escalation_id"], "kind": item["kind"], "due": item["due"]}
