"""`escalate followups --post`: one reminder per due obligation in a fake Slack on 127.0.0.1, never
twice for the same obligation and due time, and only after confirmation. And the de-escalation
steps sent through the same confirmed actions (chat and a Zendesk internal note)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.act.ledger import ledger_record
from tests.act.helpers import brief, cli, cli_json
from tests.fakes.vendors import ENV
from tests.fakes.vendors.server import serve
from tests.fakes.vendors.slack import FakeSlack
from tests.fakes.vendors.zendesk import FakeZendesk

LATER = "2026-12-03T17:00:00Z"


@pytest.fixture
def zendesk() -> FakeZendesk:
    return FakeZendesk()


@pytest.fixture
def slack(
    tmp_path: Path, ledger_file: Path, monkeypatch: pytest.MonkeyPatch, zendesk: FakeZendesk
) -> Iterator[FakeSlack]:
    fake = FakeSlack()
    with serve(fake) as root, serve(zendesk) as desk:
        config = tmp_path / "escalation.toml"
        config.write_text(
            f'[chat]\nbackend = "slack"\nbase_url = "{root}/api"\nbot_token_env = "SLACK_BOT_TOKEN"\n'
            'post_channel = "C0SUPPORT"\n'
            f'[support]\nbackend = "zendesk"\nbase_url = "{desk}/api/v2"\nemail = "agent@acme.example"\n'
            'web_url = "https://acme.zendesk.com"\n',
            encoding="utf-8",
        )
        monkeypatch.chdir(tmp_path)
        for var, value in ENV.items():
            monkeypatch.setenv(var, value)
        ledger_record(brief("Ingest API returns 500 errors", ["1042"]))
        ledger_record(brief("Exports miss rows on large reports", ["1044"]))
        yield fake


def test_post_three_times_sends_one_message_per_due_obligation(
    capsys: pytest.CaptureFixture[str], slack: FakeSlack
) -> None:
    runs = [cli_json(capsys, "followups", "--post", "--yes", "--now", LATER) for _ in range(3)]
    assert [r["result"] for r in runs[0]] == ["posted"] * 4
    assert [r["result"] for r in runs[1]] == [r["result"] for r in runs[2]] == ["already posted"] * 4
    assert len(slack.posted) == 4
    texts = [m["text"] for m in slack.posted]
    assert len({t.split("escalation-key: ")[1] for t in texts}) == 4, "one marker per obligation and due time"
    assert sum("ESC-0001" in t for t in texts) == sum("ESC-0002" in t for t in texts) == 2
    shown = cli_json(capsys, "ledger", "show", "ESC-0001")
    assert len(shown["posts"]) == 2 and [h["kind"] for h in shown["history"]].count("reminder-posted") == 2


def test_a_new_due_time_is_a_new_reminder(capsys: pytest.CaptureFixture[str], slack: FakeSlack) -> None:
    cli_json(capsys, "followups", "--post", "--yes", "--now", LATER)
    cli_json(capsys, "ledger", "update", "ESC-0001", "--note", "Checked", "--now", LATER)
    again = cli_json(capsys, "followups", "--post", "--yes", "--now", "2026-12-03T21:30:00Z")
    assert [(r["escalation_id"], r["kind"]) for r in again if r["result"] == "posted"] == [("ESC-0001", "internal")]
    assert len(slack.posted) == 5


def test_not_due_yet_is_not_posted(capsys: pytest.CaptureFixture[str], slack: FakeSlack) -> None:
    assert cli_json(capsys, "followups", "--post", "--yes", "--now", "2026-12-03T13:00:00Z") == []
    assert len(cli_json(capsys, "followups", "--post", "--yes", "--within", "4h", "--now", "2026-12-03T13:00:00Z")) == 4
    assert len(slack.posted) == 4


def test_reminders_go_to_the_target_teams_channel(capsys: pytest.CaptureFixture[str], slack: FakeSlack) -> None:
    cli_json(capsys, "followups", "--post", "--yes", "--channel", "engineering=C0ENG", "--now", LATER)
    assert {m["channel"] for m in slack.posted} == {"C0ENG"}


def test_no_confirmation_no_post(capsys: pytest.CaptureFixture[str], slack: FakeSlack) -> None:
    code, _, err = cli(capsys, "followups", "--post", "--now", LATER)
    assert code == 2 and "confirmation" in err and len(err.strip().splitlines()) == 1
    assert slack.posted == []


def test_deescalation_steps_go_through_the_confirmed_actions(
    capsys: pytest.CaptureFixture[str], slack: FakeSlack, zendesk: FakeZendesk
) -> None:
    args = ("ledger", "deescalate", "ESC-0001", "--reason", "Rollback fixed it", "--now", LATER)
    code, _, err = cli(capsys, *args, "--post-chat", "--note-ticket", "1042")
    assert code == 2 and "confirmation" in err and slack.posted == []
    done = cli_json(capsys, *args, "--post-chat", "--note-ticket", "1042", "--yes")
    steps = {s["step"]: s["how"] for s in done["next_steps"]}
    assert steps["notify_team"] == steps["update_ticket"] == "sent"
    assert len(slack.posted) == 1 and "De-escalated: ESC-0001" in slack.posted[0]["text"]
    assert "Rollback fixed it" in zendesk.comments[1042][-1]["body"]
    history = cli_json(capsys, "ledger", "show", "ESC-0001")["history"]
    assert history[-1]["kind"] == "deescalated" and set(history[-1]["done"]) == {"notify_team", "update_ticket"}
