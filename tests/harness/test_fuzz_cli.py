"""Bad input, as a careless or hostile user would give it, to every command in process: the answer is
always exit 0 or 2 (one line on stderr for 2, never the raw input echoed at length), never a
traceback. Property-based arguments (hypothesis) plus a corpus of nasty files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent.cli import main

MAX_ERROR_LINE = 240

NASTY: dict[str, bytes] = {
    "empty": b"",
    "binary": bytes(range(256)) * 4,
    "nul": b"\x00" * 64,
    "invalid-utf8": b"\xff\xfe\xfa broken \xc3\x28",
    "lone-surrogate-json": b'{"id": "\\ud800", "subject": "\\udfff"}\n',
    "deep-json": b"[" * 5000 + b"]" * 5000,
    "deep-object": b'{"a":' * 3000 + b"1" + b"}" * 3000,
    "deep-toml": b"a = " + b"[" * 3000 + b"]" * 3000 + b"\n",
    "huge-number": b'{"id": ' + b"9" * 5000 + b', "subject": "x"}\n',
    "huge-float": b"high_value_arr = 1e308\npattern_threshold = inf\n",
    "nan": b"high_value_arr = nan\n",
    "truncated-json": b'{"id": "1", "subject": "Export broken", "created_at": "2026-11-2',
    "truncated-toml": b'[support]\nbackend = "zend',
    "far-date": b'{"id": "1", "subject": "x", "created_at": "9999-12-31T23:59:59Z"}\n',
    "bad-date": b'{"id": "1", "subject": "x", "created_at": "0000-00-00"}\n',
    "long-line": b"x" * 200_000 + b"\n",
    "csv-garbage": b'id,subject\n"1,"unclosed\n2,ok\n',
    "toml-wrong-types": b"high_value_arr = true\npattern_threshold = -3\n[cadence.Critical]\ninternal_hours = -1\n",
    "bad-base-url": b'[support]\nbackend = "zendesk"\nbase_url = "http://[::1"\ntoken_env = "T"\n',
    "file-url": b'[support]\nbackend = "zendesk"\nbase_url = "file:///etc/passwd"\ntoken_env = "T"\n',
    "port-out-of-range": b'[support]\nbackend = "zendesk"\nbase_url = "https://x.example:99999"\ntoken_env = "T"\n',
}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.err


def check(code: int, err: str, given_text: str = "") -> None:
    assert code in (0, 2), f"exit {code}: {err[-500:]}"
    assert "Traceback" not in err
    if code == 2:
        lines = [line for line in err.splitlines() if line.startswith("escalate: error:")]
        assert len(lines) == 1, err[-500:]
        assert len(lines[0]) <= MAX_ERROR_LINE, lines[0][:300]
        if len(given_text) > MAX_ERROR_LINE:
            assert given_text not in err


def file_commands(path: Path, tmp: Path) -> list[list[str]]:
    """Every command that reads a user's file, pointed at `path`."""
    return [
        ["brief", "export broken", "--workspace", "none", "--policy", str(path), "--date", "2026-11-27"],
        ["brief", "export broken", "--workspace", str(path), "--date", "2026-11-27"],
        ["brief", "export broken", "--config", str(path), "--workspace", "config", "--date", "2026-11-27"],
        ["workspace", "import", str(tmp / "ws.sqlite"), str(path), "--kind", "tickets"],
        [
            "triage",
            "--input",
            str(path),
            "--workspace",
            "none",
            "--state",
            str(tmp / "s.sqlite"),
            "--date",
            "2026-11-27",
        ],
        ["act", "post-chat", "--brief-json", str(path), "--dry-run"],
        ["connectors", "check", "--config", str(path)],
    ]


@pytest.mark.parametrize("name", sorted(NASTY))
def test_nasty_files_get_one_line_or_success(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["workspace", "init", str(tmp_path / "ws.sqlite")]) == 0
    capsys.readouterr()
    suffix = ".jsonl" if b"{" in NASTY[name][:5] else ".toml"
    path = tmp_path / f"input{suffix}"
    path.write_bytes(NASTY[name])
    for argv in file_commands(path, tmp_path):
        code, err = run(argv, capsys)
        check(code, err)


ARGUMENT_COMMANDS: list[Callable[[str], list[str]]] = [
    lambda s: ["brief", s, "--workspace", "none", "--date", "2026-11-27"],
    lambda s: ["brief", "export broken", "--ticket", s, "--workspace", "demo", "--date", "2026-11-27"],
    lambda s: ["brief", "export broken", "--date", s, "--workspace", "none"],
    lambda s: ["brief", "export broken", "--customer", s, "--workspace", "demo", "--date", "2026-11-27"],
    lambda s: ["brief", "export broken", "--format", s, "--workspace", "none"],
    lambda s: ["brief", "export broken", "--model", s, "--workspace", "none"],
    lambda s: ["triage", "--source", "support", "--limit", s, "--workspace", "demo", "--date", "2026-11-27"],
]

odd_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=200, max_size=3000),
    st.sampled_from(
        [
            "9999-12-31",
            "0001-01-01T00:00:00",
            "-1",
            "99999999999999999999999999999",
            "9" * 5000,
            "\x00",
            "\ud800",
            "../../etc/passwd",
            "x" * 300,
            "1e308",
            "nan",
        ]
    ),
)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=odd_text, which=st.integers(min_value=0, max_value=len(ARGUMENT_COMMANDS) - 1))
def test_odd_arguments_get_one_line_or_success(
    value: str, which: int, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    argv = ARGUMENT_COMMANDS[which](value)
    if argv[0] == "triage":
        argv += ["--state", str(tmp_path / f"s{which}.sqlite")]
    code, err = run(argv, capsys)
    check(code, err, value)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.dictionaries(
            st.sampled_from(["id", "subject", "description", "created_at", "account", "status", "priority", "x"]),
            st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=40), st.booleans()),
            max_size=6,
        ),
        max_size=6,
    )
)
def test_any_import_rows_are_reported_or_imported(
    rows: list[dict[str, object]], capsys: pytest.CaptureFixture[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("rows")
    path = tmp / "tickets.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert main(["workspace", "init", str(tmp / "ws.sqlite")]) == 0
    for argv in (
        ["workspace", "import", str(tmp / "ws.sqlite"), str(path)],
        [
            "triage",
            "--input",
            str(path),
            "--workspace",
            "none",
            "--state",
            str(tmp / "s.sqlite"),
            "--date",
            "2026-11-27",
        ],
    ):
        code, err = run(argv, capsys)
        check(code, err)


def test_output_path_too_long_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["brief", "export broken", "--workspace", "none", "-o", str(tmp_path / ("x" * 300))], capsys)
    check(code, err)
    assert code == 2
