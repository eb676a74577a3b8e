"""`escalate act`: confirmation rules, dry runs, idempotent re-runs, against fakes on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from agent.cli import act_cmd
from tests.act.test_actions import BRIEF
from tests.fakes.vendors import ENV, FAKES, SECRETS
from tests.fakes.vendors.server import serve

TABLES = {
    "slack": ("chat", "/api", 'bot_token_env = "SLACK_BOT_TOKEN"\npost_channel = "C0SUPPORT"\n'),
    "jira": (
        "tracker",
        "/rest/api/3",
        'email = "bot@acme.example"\nproject_key = "ENG"\nweb_url = "https://acme.atlassian.net"\n',
    ),
    "zendesk": ("support", "/api/v2", 'email = "agent@acme.example"\nweb_url = "https://acme.zendesk.com"\n'),
}


def app() -> typer.Typer:
    cli = typer.Typer()
    act_cmd.register(cli)
    return cli


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app(), ["act", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    monkeypatch.chdir(tmp_path)
    fakes = {name: FAKES[name]() for name in TABLES}
    with ExitStack() as stack:
        text = ""
        for name, (category, path, extra) in TABLES.items():
            root = stack.enter_context(serve(fakes[name]))
            text += f'[{category}]\nbackend = "{name}"\nbase_url = "{root}{path}"\n{extra}\n'
        (tmp_path / "escalation.toml").write_text(text, encoding="utf-8")
        (tmp_path / "brief.json").write_text(json.dumps(BRIEF), encoding="utf-8")
        for var, value in ENV.items():
            monkeypatch.setenv(var, value)
        yield fakes


def test_dry_run_prints_the_exact_request_and_sends_nothing(world: dict[str, Any]) -> None:
    code, out, err = run("file-issue", "--brief-json", "brief.json", "--dry-run")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["action"] == "jira issue" and shown["request"]["method"] == "POST"
    assert shown["request"]["url"].endswith("/rest/api/3/issue")
    assert shown["request"]["headers"]["authorization"] == "Basic <redacted>"
    assert shown["request"]["json"]["fields"]["description"]["type"] == "doc"
    assert world["jira"].requests == []
    assert not any(secret in out + err for secret in SECRETS)


def test_no_terminal_and_no_yes_refuses(world: dict[str, Any]) -> None:
    code, _, err = run("post-chat", "--brief-json", "brief.json")
    assert code == 2 and "refusing to send without confirmation" in err
    assert world["slack"].requests == []


def test_the_prompt_must_be_answered_yes(world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(act_cmd, "can_prompt", lambda: True)
    code, _, err = run("post-chat", "--brief-json", "brief.json", stdin="n\n")
    assert code == 1 and "nothing sent" in err and world["slack"].posted == []
    code, out, err = run("post-chat", "--brief-json", "brief.json", stdin="y\n")
    assert code == 0 and "created slack message: https://acme.slack.com/archives/C0SUPPORT/p" in out
    assert "POST http://127.0.0.1:" in err and len(world["slack"].posted) == 1


def test_yes_sends_once_and_a_rerun_sends_nothing(world: dict[str, Any]) -> None:
    code, out, _ = run("note-ticket", "--brief-json", "brief.json", "--ticket", "1042", "--yes")
    assert code == 0 and out.startswith("created zendesk internal note: https://acme.zendesk.com/agent/tickets/1042")
    code, out, _ = run("note-ticket", "--brief-json", "brief.json", "--ticket", "1042", "--yes")
    assert code == 0 and out.startswith("already done, nothing sent: https://acme.zendesk.com/agent/tickets/1042")
    assert sum(1 for r in world["zendesk"].requests if r.method == "PUT") == 1
    code, out, _ = run("file-issue", "--brief-json", "brief.json", "--yes")
    assert code == 0 and "https://acme.atlassian.net/browse/ENG-1600" in out
    assert "already done" in run("file-issue", "--brief-json", "brief.json", "--yes")[1]


def test_a_brief_that_does_not_escalate_needs_force(world: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "calm.json").write_text(json.dumps({**BRIEF, "escalate": False}), encoding="utf-8")
    code, _, err = run("file-issue", "--brief-json", "calm.json", "--yes")
    assert code == 2 and "does not recommend escalating; pass --force" in err
    assert run("file-issue", "--brief-json", "calm.json", "--yes", "--force")[0] == 0
    assert run("note-ticket", "--brief-json", "calm.json", "--ticket", "1043", "--yes")[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["post-chat", "--brief-json", "missing.json", "--yes"], "cannot read --brief-json missing.json"),
        (["post-chat", "--brief-json", "escalation.toml", "--yes"], "is not JSON"),
        (["post-chat", "--brief-json", "partial.json", "--yes"], "is not an escalate brief: summary: Field required"),
        (["post-chat", "--brief-json", "brief.json", "--channel", "#general", "--yes"], "must be a channel ID"),
        (["note-ticket", "--brief-json", "brief.json", "--ticket", "abc", "--yes"], "is not a Zendesk ticket id"),
        (["file-issue", "--brief-json", "brief.json", "--config", "nope.toml", "--yes"], "nope.toml not found"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(world: dict[str, Any], tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "partial.json").write_text(json.dumps({"escalate": True}), encoding="utf-8")
    code, _, err = run(*args)
    assert code == 2 and message in err and err.count("\n") == 1


def test_a_vendor_failure_is_exit_1_without_secrets(world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", ENV["SLACK_USER_TOKEN"])  # a token without chat:write
    code, _, err = run("post-chat", "--brief-json", "brief.json", "--yes")
    assert code == 1 and "missing_scope: the token needs chat:write" in err
    assert not any(secret in err for secret in SECRETS)
