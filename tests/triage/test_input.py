"""Reading a queue: JSONL and CSV rows with line numbers for the bad ones, timelines, the support
platform, and the content hash that keys the work."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.errors import UsageError
from agent.triage.input import load_file, load_support
from connectors.demo import demo_workspace
from tests.fakes.triage import NOW, ticket_row, write_jsonl


def test_jsonl_malformed_rows_are_reported_by_line_and_the_rest_is_read(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "tickets.jsonl",
        [
            ticket_row("1", "Acme", "Export broken"),
            '{"id": "2", "subject": ',  # line 2: truncated JSON
            {"id": "3", "created_at": "2026-11-01T00:00:00Z"},  # line 3: no subject
            ticket_row("4", "Globex", "SSO loop"),
            {"id": "5", "subject": "s", "created_at": "last tuesday"},  # line 5: bad date
            "[1, 2]",  # line 6: not an object
            ticket_row("1", "Acme", "Export broken again"),  # line 7: repeated id
            "",
            ticket_row("9", "Initech", "Webhooks late"),  # line 9 (blank line 8 skipped)
        ],
    )
    queue = load_file(path)
    assert [i.id for i in queue.items] == ["1", "4", "9"]
    assert [i.line for i in queue.items] == [1, 4, 9]
    bad = {m.line: m for m in queue.malformed}
    assert sorted(bad) == [2, 3, 5, 6, 7]
    assert "invalid JSON" in bad[2].reason
    assert "subject" in bad[3].reason and bad[3].ticket_id == "3"
    assert "created_at" in bad[5].reason
    assert "object" in bad[6].reason
    assert "duplicate ticket id 1 (first on line 1)" in bad[7].reason


def test_csv_rows_report_the_line_they_start_on(tmp_path: Path) -> None:
    path = tmp_path / "queue.csv"
    path.write_text(
        "id,subject,description,account,created_at,tracker_keys\n"
        '10,Export broken,"line one\nline two",Acme,2026-11-27T09:00:00Z,ENG-1;ENG-2\n'
        "11,,no subject,Globex,2026-11-27T09:00:00Z,\n"
        "12,SSO loop,,Initech,not-a-date,\n"
        "13,Webhooks late,,Hooli,2026-11-27T09:00:00Z,\n",
        encoding="utf-8",
    )
    queue = load_file(path)
    assert [(i.id, i.line) for i in queue.items] == [("10", 2), ("13", 6)]
    assert queue.items[0].ticket.tracker_keys == ("ENG-1", "ENG-2")
    assert queue.items[0].ticket.description == "line one\nline two"
    assert [(m.line, m.ticket_id) for m in queue.malformed] == [(4, "11"), (5, "12")]


def test_a_jsonl_row_may_carry_its_timeline(tmp_path: Path) -> None:
    comments = [
        {"author": "Dana", "author_role": "customer", "created_at": "2026-11-27T10:05:00Z", "body": "Still broken."},
        {"author": "Sam", "author_role": "internal", "created_at": "2026-11-27T10:10:00Z", "body": "Looks like ENG-1."},
    ]
    bad_comments = [{"author": "x", "created_at": "2026-11-27T10:05:00Z"}]
    path = write_jsonl(
        tmp_path / "t.jsonl",
        [ticket_row("1", "Acme", "Export", comments=comments), ticket_row("2", "Acme", "SSO", comments=bad_comments)],
    )
    queue = load_file(path)
    [first] = queue.items
    assert [c.body for c in first.comments] == ["Still broken.", "Looks like ENG-1."]
    assert [c.public for c in first.comments] == [True, False]
    assert queue.malformed[0].line == 2 and "comments[1]" in queue.malformed[0].reason


def test_content_hash_follows_the_content(tmp_path: Path) -> None:
    one = load_file(write_jsonl(tmp_path / "a.jsonl", [ticket_row("1", "Acme", "Export", "rows missing")])).items[0]
    same = load_file(write_jsonl(tmp_path / "b.jsonl", [ticket_row("1", "Acme", "Export", "rows missing")])).items[0]
    edited = load_file(write_jsonl(tmp_path / "c.jsonl", [ticket_row("1", "Acme", "Export", "rows missing!")])).items[0]
    assert one.content_hash == same.content_hash
    assert one.content_hash != edited.content_hash


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.jsonl", None, "does not exist"),
        ("tickets.txt", "x", "unsupported file type"),
    ],
)
def test_an_unreadable_file_is_a_usage_error(tmp_path: Path, name: str, content: str | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(UsageError, match=message):
        load_file(path)


def test_the_support_platform_is_a_queue_too() -> None:
    space = demo_workspace(NOW.date())
    try:
        queue = load_support(space, "export missing rows", limit=5)
        everything = load_support(space, None, limit=1000)
    finally:
        space.close()
    assert 0 < len(queue.items) <= 5
    assert any("export" in (i.ticket.subject + i.ticket.description).lower() for i in queue.items)
    assert len(everything.items) > 40
    assert sum(len(i.comments) for i in everything.items) > 0
    assert "query 'export missing rows'" in queue.origin
