"""Workspace files: init, open, and importing JSONL/CSV with per-line error reports."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from connectors.base import Workspace
from connectors.demo import (
    ImportFileError,
    WorkspaceFileError,
    import_file,
    init_workspace,
    open_workspace_file,
)
from connectors.demo.importer import infer_kind
from connectors.resolve import WorkspaceNotFound, open_workspace


@pytest.fixture
def wsfile(tmp_path: Path) -> Path:
    path = tmp_path / "team.escalate"
    init_workspace(path)
    return path


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _jsonl(path: Path, rows: list[dict[str, object] | str]) -> Path:
    return _write(path, "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")


def _open(path: Path) -> Workspace:
    workspace = open_workspace_file(path)
    assert workspace.support and workspace.crm and workspace.chat and workspace.tracker and workspace.kb
    return workspace


def _ticket(tid: str | int, subject: str, **extra: object) -> dict[str, object]:
    return {"id": tid, "subject": subject, "created_at": "2026-11-20T10:00:00Z", "account": "Acme Corp", **extra}


# --- init and open ---------------------------------------------------------------------------


def test_init_creates_an_empty_workspace_and_is_repeatable(wsfile: Path) -> None:
    init_workspace(wsfile)
    workspace = _open(wsfile)
    assert workspace.support is not None
    assert workspace.support.search_tickets(customer="acme") == []
    assert workspace.support.get_ticket("1") is None
    workspace.close()


def test_init_refuses_a_file_that_is_not_a_workspace(tmp_path: Path) -> None:
    text = _write(tmp_path / "notes.db", "just some notes\n" * 100)
    with pytest.raises(ValueError, match="not a SQLite database"):
        init_workspace(text)
    assert text.read_text() == "just some notes\n" * 100
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(WorkspaceFileError, match="not an escalate workspace"):
        init_workspace(other)


@pytest.mark.parametrize("content", [None, "", "garbage " * 200, "SQLite format 3\x00 but truncated"])
def test_opening_a_non_workspace_gives_one_clear_line(tmp_path: Path, content: str | None) -> None:
    path = tmp_path / "thing.escalate"
    if content is not None:
        path.write_text(content)
    with pytest.raises(WorkspaceNotFound) as info:
        open_workspace_file(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message


def test_resolve_opens_a_workspace_file(wsfile: Path) -> None:
    workspace = open_workspace(str(wsfile))
    assert workspace.support is not None and workspace.support.name == "workspace"
    workspace.close()


def test_import_into_a_non_workspace_is_refused(tmp_path: Path) -> None:
    rows = _jsonl(tmp_path / "tickets.jsonl", [_ticket("1", "x")])
    with pytest.raises(WorkspaceFileError):
        import_file(tmp_path / "missing.escalate", rows)


# --- happy paths ------------------------------------------------------------------------------


def test_import_jsonl_tickets(wsfile: Path, tmp_path: Path) -> None:
    rows = _jsonl(
        tmp_path / "tickets.jsonl",
        [
            _ticket("T-1", "Intermittent 500 errors from the API", tags=["api", "500"], tracker_keys=["ENG-1"]),
            _ticket(2, "Export is missing rows", created_at="2026-11-21T09:00:00", url="https://support.example/2"),
        ],
    )
    report = import_file(wsfile, rows)
    assert (report.kind, report.imported, report.errors) == ("tickets", 2, [])
    workspace = _open(wsfile)
    assert workspace.support is not None
    first = workspace.support.get_ticket("T-1")
    assert first and first.source == "workspace" and first.tags == ("api", "500") and first.tracker_keys == ("ENG-1",)
    second = workspace.support.get_ticket("2")
    assert second and second.created_at.tzinfo is not None and second.created_at.hour == 9
    assert second.url == "https://support.example/2"
    assert [t.source_id for t in workspace.support.search_tickets("API 500 errors intermittently")] == ["T-1"]
    workspace.close()


def test_import_csv_of_every_kind(wsfile: Path, tmp_path: Path) -> None:
    files = {
        "accounts.csv": "id,name,domain,plan,arr,renewal_date,contacts,reference_customer,open_deals\n"
        "acme,Acme Corp,acme.example,Enterprise,480000,2027-01-15,Ann <a@acme.example>;Bo <b@acme.example>,yes,"
        '"[{""name"": ""Expansion"", ""amount"": 120000, ""stage"": ""Negotiation""}]"\n',
        "tickets.csv": "id,subject,description,status,created_at,account,tags\n"
        '7,Export drops rows,"Line one\nline two of a quoted cell",open,2026-11-20T10:00:00Z,Acme Corp,export;csv\n',
        "comments.csv": "id,ticket_id,author,author_role,created_at,body\n"
        "7-1,7,Dana,internal,2026-11-20T11:00:00Z,Looks like ENG-9\n"
        "7-2,7,Ann,customer,2026-11-20T12:00:00Z,Any update?\n",
        "chat.csv": "id,channel,author,posted_at,text,thread_id\n"
        "m1,#support,Dana,2026-11-20T13:00:00Z,Export rows missing again,m1\n"
        "m2,#support,Lee,2026-11-20T13:05:00Z,On it,m1\n",
        "tracker.csv": "key,title,status,linked_tickets,regression_of\n"
        "ENG-9,Export drops rows again,Open,7,ENG-1\nENG-1,Export drops rows,Done,,\n",
        "articles.csv": "id,title,article_type,status,body,tags\n"
        "KB-1,Known issue: export rows,known_issue,resolved,Split by date range.,export;known-issue\n",
    }
    for name, text in files.items():
        report = import_file(wsfile, _write(tmp_path / name, text))
        assert report.ok, (name, report.errors)
    workspace = _open(wsfile)
    assert workspace.support and workspace.crm and workspace.chat and workspace.tracker and workspace.kb
    account = workspace.crm.find_account("acme")
    assert account and account.arr == 480000 and account.reference_customer and len(account.contacts) == 2
    assert account.open_deals[0].amount == 120000
    ticket = workspace.support.get_ticket("7")
    assert ticket and ticket.description == "Line one\nline two of a quoted cell" and ticket.tags == ("export", "csv")
    comments = workspace.support.ticket_comments("7")
    assert [(c.source_id, c.public) for c in comments] == [("7-1", False), ("7-2", True)]
    root = workspace.chat.search_messages("export rows missing")[0]
    assert root.channel == "support" and root.reply_count == 1
    old, new = workspace.tracker.get_issue("ENG-1"), workspace.tracker.get_issue("ENG-9")
    assert old and old.resolved and new and not new.resolved and new.regression_of == "ENG-1"
    assert workspace.kb.search_articles("export rows")[0].article_type == "known_issue"
    workspace.close()


# --- malformed rows ---------------------------------------------------------------------------


def test_malformed_jsonl_rows_are_reported_by_line(wsfile: Path, tmp_path: Path) -> None:
    rows = _jsonl(
        tmp_path / "tickets.jsonl",
        [
            _ticket("1", "good one"),  # line 1
            '{"id": "2", "subject": "broken json",',  # line 2
            "",  # line 3: blank lines are skipped silently
            {"id": "4", "created_at": "2026-11-20T10:00:00Z"},  # line 4: no subject
            _ticket("5", "bad date", created_at="27.11.2026"),  # line 5
            '["not", "an", "object"]',  # line 6
            _ticket("7", "good two"),  # line 7
            {"subject": "no id", "created_at": "2026-11-20T10:00:00Z"},  # line 8
        ],
    )
    report = import_file(wsfile, rows)
    assert report.imported == 2
    assert [line for line, _ in report.errors] == [2, 4, 5, 6, 8]
    messages = dict(report.errors)
    assert "invalid JSON" in messages[2]
    assert "subject" in messages[4]
    assert "created_at" in messages[5]
    assert "'id'" in messages[8]
    assert "skipped 5 rows" in report.summary()
    workspace = _open(wsfile)
    assert workspace.support is not None
    assert {t.source_id for t in workspace.support.search_tickets(limit=100)} == {"1", "7"}
    workspace.close()


def test_malformed_csv_rows_are_reported_by_their_first_line(wsfile: Path, tmp_path: Path) -> None:
    text = (
        "id,subject,description,created_at\n"  # line 1
        '1,ok,"multi\nline\ncell",2026-11-20T10:00:00Z\n'  # lines 2-4
        "2,bad date,x,yesterday\n"  # line 5
        '3,"bad date in a\nmulti-line row",x,soon\n'  # lines 6-7
        "4,too,many,2026-11-20T10:00:00Z,extra\n"  # line 8
        ",no id,x,2026-11-20T10:00:00Z\n"  # line 9
        "\n"  # line 10: blank
        "11,ok too,x,2026-11-20\n"  # line 11: a date-only value is midnight UTC
    )
    report = import_file(wsfile, _write(tmp_path / "tickets.csv", text))
    assert [line for line, _ in report.errors] == [5, 6, 8, 9]
    assert report.imported == 2


# --- re-import and failure safety ---------------------------------------------------------------


def test_reimport_upserts_without_duplicates_and_reindexes(wsfile: Path, tmp_path: Path) -> None:
    first = _jsonl(tmp_path / "tickets.jsonl", [_ticket("1", "Webhook retries exhausted"), _ticket("2", "SSO loop")])
    import_file(wsfile, first)
    import_file(wsfile, first)
    import_file(wsfile, _jsonl(tmp_path / "tickets_v2.jsonl", [_ticket("1", "Dashboard timezone wrong")]))
    workspace = _open(wsfile)
    assert workspace.support is not None
    assert sorted(t.source_id for t in workspace.support.search_tickets(limit=100)) == ["1", "2"]
    ticket = workspace.support.get_ticket("1")
    assert ticket and ticket.subject == "Dashboard timezone wrong"
    assert workspace.support.search_tickets("webhook retries") == []
    assert [t.source_id for t in workspace.support.search_tickets("dashboard timezone")] == ["1"]
    workspace.close()


def test_failed_imports_keep_earlier_data(wsfile: Path, tmp_path: Path) -> None:
    import_file(wsfile, _jsonl(tmp_path / "tickets.jsonl", [_ticket("1", "keep me")]))
    bad_bytes = tmp_path / "tickets.csv"
    bad_bytes.write_bytes(b"id,subject,created_at\n1,\xff\xfe broken,2026-11-20\n")
    with pytest.raises(ImportFileError, match="UTF-8"):
        import_file(wsfile, bad_bytes)
    all_bad = import_file(wsfile, _jsonl(tmp_path / "more_tickets.jsonl", ["{", '{"id": "1"}']))
    assert all_bad.imported == 0 and len(all_bad.errors) == 2
    with pytest.raises(ImportFileError):
        import_file(wsfile, tmp_path / "nope.jsonl")
    with pytest.raises(ImportFileError):
        import_file(wsfile, _write(tmp_path / "tickets.xlsx", "x"))
    with pytest.raises(ImportFileError, match="unknown import kind"):
        import_file(wsfile, tmp_path / "tickets.jsonl", kind="invoices")
    workspace = _open(wsfile)
    assert workspace.support is not None
    ticket = workspace.support.get_ticket("1")
    assert ticket and ticket.subject == "keep me"
    workspace.close()


# --- kind inference -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("tickets.csv", "tickets"),
        ("zendesk-tickets-2026.jsonl", "tickets"),
        ("acme_ticket_comments.jsonl", "comments"),
        ("issues.jsonl", "tracker"),
        ("slack_messages.csv", "chat"),
        ("kb.jsonl", "articles"),
        ("Accounts.CSV", "accounts"),
    ],
)
def test_kind_is_inferred_from_the_file_name(name: str, kind: str) -> None:
    assert infer_kind(Path(name)) == kind


def test_unrecognised_file_name_needs_an_explicit_kind(wsfile: Path, tmp_path: Path) -> None:
    export = _jsonl(tmp_path / "export-2026-11.jsonl", [_ticket("1", "explicit kind works")])
    with pytest.raises(ImportFileError, match="pass a kind"):
        import_file(wsfile, export)
    assert import_file(wsfile, export, kind="ticket").imported == 1
