"""The seed's de-escalation steps through the existing confirmed, idempotent actions: a notice to
the team escalated to (chat) and the resolution on the ticket (internal note). Each is keyed on the
escalation, so running the step again finds the earlier post instead of sending a second one."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from agent.act.actions import Action, note_ticket, post_chat
from agent.errors import UsageError
from agent.render.contract import BriefOutput
from connectors.base import ConnectorError
from connectors.config import Config, ConfigError, load_config


def notice(item: Mapping[str, Any], reason: str) -> BriefOutput:
    """What the team escalated to and the ticket are told: de-escalated, why, and what's next."""
    lines = [
        f"**{item['id']}** is de-escalated: {reason}",
        f"- Escalation: {item['summary']}",
        f"- Tickets: {', '.join(item['tickets']) or 'none'}",
        "- Support keeps ownership and will close the loop with the customer.",
    ]
    return BriefOutput(
        escalate=False,
        severity=item.get("severity"),
        target_team=item.get("target_team"),
        summary=f"De-escalated: {item['id']} {item['summary']}",
        markdown="\n".join(lines),
    )


def step_key(escalation_id: str, step: str) -> str:
    """One key per escalation and step."""
    return f"{step}-" + hashlib.sha256(escalation_id.encode()).hexdigest()[:12]


def run_steps(
    item: Mapping[str, Any],
    reason: str,
    config_path: Path | None,
    channel: str | None,
    ticket: str | None,
    post: bool,
    **action_options: Any,
) -> dict[str, Any]:
    """Notify the team (`post`) and/or note the ticket; returns step -> result. The caller has
    confirmed. Raises `UsageError` for configuration problems."""
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise UsageError(str(exc)) from exc
    if config is None:
        raise UsageError("the de-escalation steps need escalation.toml (or --config FILE); see 'escalate init'")
    brief = notice(item, reason)
    builders: dict[str, Callable[[Config], Action]] = {}
    if post:
        builders["notify_team"] = lambda c: post_chat(c, brief, channel, step_key(item["id"], "notify_team"),
                                                      **action_options)  # fmt: skip
    if ticket:
        builders["update_ticket"] = lambda c: note_ticket(c, brief, ticket, step_key(item["id"], "update_ticket"),
                                                          **action_options)  # fmt: skip
    done = {}
    for step, build in builders.items():
        try:
            action = build(config)
        except ConfigError as exc:
            raise UsageError(str(exc)) from exc
        try:
            result = action.execute()
            done[step] = {"result": "sent" if result.created else "already sent", "url": result.url,
                          "reference": result.reference}  # fmt: skip
        except ConnectorError as exc:
            done[step] = {"result": f"failed: {exc}"}
        finally:
            action.close()
    return done
