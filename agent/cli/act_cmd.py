"""`escalate act post-chat|file-issue|note-ticket`: act on a brief made by
`escalate brief --format json`.

Nothing is sent without confirmation: `--dry-run` prints the exact request (secrets redacted) and
sends nothing; otherwise an interactive prompt asks, `--yes` answers it in advance, and with no
terminal and no `--yes` the command refuses (exit 2). Every action first looks for an earlier
attempt's `escalation-key` marker, so re-running never duplicates.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError

from agent.act.claims import WriteClaims, default_claims_path
from agent.cli.common import exit_with
from agent.errors import clip
from agent.render.contract import BriefOutput
from connectors.config_file import CONFIG_NAME
from connectors.errors import ConfigError, ConnectorError

if TYPE_CHECKING:
    from agent.act.actions import Action
    from connectors.config import Config

act_app = typer.Typer(
    help="Post a brief to chat, file it in the tracker, or add it to the ticket. Asks before sending.",
    no_args_is_help=True,
)

BriefJson = Annotated[
    Path, typer.Option("--brief-json", help="Output of 'escalate brief --format json' ('-' for stdin).")
]
ConfigPath = Annotated[Path | None, typer.Option("--config", help=f"Configuration file (default: ./{CONFIG_NAME}).")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Print the exact request and send nothing.")]
Yes = Annotated[bool, typer.Option("--yes", "-y", help="Send without asking (for scripts).")]
Key = Annotated[str | None, typer.Option("--key", help="Override the escalation key derived from the brief.")]
Force = Annotated[bool, typer.Option("--force", help="Act even though the brief does not recommend escalating.")]


def can_prompt() -> bool:
    """Whether a person can answer a confirmation prompt."""
    return sys.stdin.isatty()


def _actions() -> ModuleType:
    """The write actions, imported when one runs: they load httpx2 and the vendor adapters, which no
    other command needs at start-up."""
    import agent.act.actions

    return agent.act.actions


def read_brief(path: Path) -> BriefOutput:
    """The brief JSON, validated; exit 2 with one line when it is not one."""
    shown = clip(str(path))
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
        return BriefOutput.model_validate(json.loads(text))
    except OSError as exc:
        exit_with(f"cannot read --brief-json {shown}: {exc.strerror or type(exc).__name__}")
    except UnicodeDecodeError:
        exit_with(f"--brief-json {shown} is not UTF-8 text: make it with 'escalate brief --format json'")
    except json.JSONDecodeError as exc:
        exit_with(f"--brief-json {shown} is not JSON (line {exc.lineno}): make it with 'escalate brief --format json'")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "brief"
        exit_with(f"--brief-json {shown} is not an escalate brief: {clip(where)}: {first['msg']}")
    except (RecursionError, ValueError):  # nesting or numbers beyond what a brief ever holds
        exit_with(f"--brief-json {shown} is not an escalate brief: make it with 'escalate brief --format json'")


def run_action(
    build: Callable[[Config, BriefOutput], Action],
    brief_json: Path,
    config_path: Path | None,
    dry_run: bool,
    yes: bool,
    force: bool,
    needs_escalation: bool = True,
) -> None:
    """Load, plan, confirm, execute; shared by the three subcommands."""
    from connectors.config import load_config  # the connector stack loads only when an action runs

    brief = read_brief(brief_json)
    if needs_escalation and not brief.escalate and not force:
        exit_with("the brief does not recommend escalating; pass --force to act on it anyway")
    try:
        config = load_config(config_path)
        if config is None:
            exit_with(f"no {CONFIG_NAME} in the working directory; create one with 'escalate init'")
        action = build(config, brief)
    except ConfigError as exc:
        exit_with(str(exc))
    try:
        plan = action.plan()
        if dry_run:
            note = f"sent only if nothing carrying '{action.key}' exists yet (searched first)"
            shown = {
                "action": action.kind,
                "escalation_key": action.key,
                "idempotency": note,
                "request": plan.as_dict(),
            }
            print(json.dumps(shown, indent=2, ensure_ascii=False))
            return
        if not yes:
            if not can_prompt():
                exit_with("refusing to send without confirmation: no terminal to ask on; pass --yes or --dry-run")
            print(f"escalate: {action.kind}: {plan.method} {plan.url} (escalation-key {action.key})", file=sys.stderr)
            if not typer.confirm("Send it?", default=False, err=True):
                print("escalate: nothing sent", file=sys.stderr)
                raise typer.Exit(1)
        claims = WriteClaims(default_claims_path())
        try:
            result = action.execute(claims)
        finally:
            claims.close()
    except ConnectorError as exc:
        exit_with(str(exc), status=1)
    finally:
        action.close()
    if result.created:
        print(f"created {action.kind}: {result.url or result.reference} (escalation-key {result.key})")
    else:
        print(f"already done, nothing sent: {result.url or result.reference} (escalation-key {result.key})")


@act_app.command("post-chat")
def post_chat_cmd(
    brief_json: BriefJson,
    channel: Annotated[str | None, typer.Option(help="Channel ID (default: [chat] post_channel).")] = None,
    config_path: ConfigPath = None,
    key: Key = None,
    dry_run: DryRun = False,
    yes: Yes = False,
    force: Force = False,
) -> None:
    """Post the brief to a Slack channel as Block Kit."""

    run_action(lambda c, b: _actions().post_chat(c, b, channel, key), brief_json, config_path, dry_run, yes, force)


@act_app.command("file-issue")
def file_issue_cmd(
    brief_json: BriefJson,
    project: Annotated[str | None, typer.Option(help="Jira project key or Linear team UUID (default: config).")] = None,
    config_path: ConfigPath = None,
    key: Key = None,
    dry_run: DryRun = False,
    yes: Yes = False,
    force: Force = False,
) -> None:
    """File the brief as a Jira or Linear issue."""

    run_action(lambda c, b: _actions().file_issue(c, b, project, key), brief_json, config_path, dry_run, yes, force)


@act_app.command("note-ticket")
def note_ticket_cmd(
    brief_json: BriefJson,
    ticket: Annotated[str, typer.Option(help="The Zendesk ticket id.")],
    config_path: ConfigPath = None,
    key: Key = None,
    dry_run: DryRun = False,
    yes: Yes = False,
) -> None:
    """Add the brief to the ticket as an internal note (also for briefs that do not escalate)."""

    build: Callable[[Config, BriefOutput], Action] = lambda c, b: _actions().note_ticket(c, b, ticket, key)  # noqa: E731
    run_action(build, brief_json, config_path, dry_run, yes, force=True, needs_escalation=False)


def register(app: typer.Typer) -> None:
    """Add `act` and its subcommands to the app."""
    app.add_typer(act_app, name="act")
