"""Write actions, built from `escalation.toml`: post a brief to Slack, file it in Jira or Linear,
add it to a Zendesk ticket as an internal note. Each is idempotent (search-before-create on an
`escalation-key` marker) and can show its exact request without sending it (`plan()`).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping

import httpx2

from agent.act.actions.base import Action, ActionResult, PlannedRequest, escalation_key, marker
from agent.act.actions.slack_post import SlackPost
from agent.act.actions.tracker_issue import JiraIssue, LinearIssue
from agent.act.actions.zendesk_note import ZendeskNote
from agent.render.contract import BriefOutput
from connectors.config import Config
from connectors.errors import ConfigError
from connectors.http import jira, linear, slack, zendesk
from connectors.http.client import basic, bearer
from connectors.http.settings import BuildContext
from connectors.vendors.jira import ISSUE_KEY

__all__ = [
    "Action",
    "ActionResult",
    "PlannedRequest",
    "escalation_key",
    "file_issue",
    "marker",
    "note_ticket",
    "post_chat",
]

_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")


def _context(
    section: str,
    env: Mapping[str, str] | None,
    transports: Mapping[str, httpx2.BaseTransport] | None,
    sleep: Callable[[float], None],
) -> BuildContext:
    return BuildContext(
        env=os.environ if env is None else env, transports=transports or {}, sleep=sleep, section=section
    )


def _needs(config: Config, category: str, command: str, backends: tuple[str, ...]) -> object:
    settings = config.sources.get(category)
    backend = settings.backend if settings else "none"
    if settings is None or backend not in backends:
        wanted = " or ".join(f'"{b}"' for b in backends)
        raise ConfigError(f"{command} needs [{category}] backend = {wanted} in {config.path} (it is {backend!r})")
    return settings


def post_chat(
    config: Config,
    brief: BriefOutput,
    channel: str | None = None,
    key: str | None = None,
    env: Mapping[str, str] | None = None,
    transports: Mapping[str, httpx2.BaseTransport] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SlackPost:
    """Posting the brief to the configured (or given) Slack channel, with the bot token."""
    settings = _needs(config, "chat", "post-chat", ("slack",))
    assert isinstance(settings, slack.SlackSettings)
    target = channel or settings.post_channel
    if not target:
        raise ConfigError("post-chat needs a channel: pass --channel or set post_channel in [chat]")
    if not _CHANNEL_ID.match(target):
        raise ConfigError(f"channel {target!r} must be a channel ID like C0123456789 (find it in the channel details)")
    ctx = _context("chat", env, transports, sleep)
    token = ctx.secret(settings.bot_token_env or settings.token_env)
    http = ctx.source(settings, bearer(token), inspect=slack.inspect)
    http.auth_hint = f"check {settings.bot_token_env or settings.token_env}"
    return SlackPost(http, brief, key, channel=target, history_days=settings.history_days)


def file_issue(
    config: Config,
    brief: BriefOutput,
    project: str | None = None,
    key: str | None = None,
    env: Mapping[str, str] | None = None,
    transports: Mapping[str, httpx2.BaseTransport] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> JiraIssue | LinearIssue:
    """Filing the brief in the configured tracker (Jira project or Linear team)."""
    settings = _needs(config, "tracker", "file-issue", ("jira", "linear"))
    ctx = _context("tracker", env, transports, sleep)
    if isinstance(settings, linear.LinearSettings):
        team = project or settings.team_id
        if not team:
            raise ConfigError("file-issue needs a Linear team: pass --project TEAM_UUID or set team_id in [tracker]")
        token = ctx.secret(settings.token_env)
        auth = bearer(token) if settings.oauth else {"Authorization": token}
        http = ctx.source(settings, auth, inspect=linear.inspect)
        return LinearIssue(http, brief, key, team_id=team, label_ids=settings.label_ids)
    assert isinstance(settings, jira.JiraSettings)
    target = project or settings.project_key
    if not target or not ISSUE_KEY.match(f"{target}-1"):
        raise ConfigError("file-issue needs a Jira project key: pass --project KEY or set project_key in [tracker]")
    http = ctx.source(settings, jira.auth_headers(settings, ctx))
    return JiraIssue(
        http,
        brief,
        key,
        project=target,
        issue_type=settings.issue_type,
        priority_names=settings.priority_names,
        site=jira.site_root(settings),
    )


def note_ticket(
    config: Config,
    brief: BriefOutput,
    ticket_id: str,
    key: str | None = None,
    env: Mapping[str, str] | None = None,
    transports: Mapping[str, httpx2.BaseTransport] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> ZendeskNote:
    """Adding the brief to a Zendesk ticket as an internal note."""
    settings = _needs(config, "support", "note-ticket", ("zendesk",))
    assert isinstance(settings, zendesk.ZendeskSettings)
    ticket = ticket_id.strip().lstrip("#")
    if not ticket.isdigit():
        raise ConfigError(f"ticket {ticket_id!r} is not a Zendesk ticket id (digits only)")
    ctx = _context("support", env, transports, sleep)
    token = ctx.secret(settings.token_env)
    auth = basic(f"{settings.email}/token", token) if settings.email else bearer(token)
    http = ctx.source(settings, auth)
    return ZendeskNote(http, brief, key, ticket_id=ticket, ui=zendesk.ui_root(settings), max_pages=settings.max_pages)
