"""Importing `.jsonl` and `.csv` files into a workspace file.

Kinds and their columns (JSONL keys or CSV header names; * marks required ones). List columns
take a JSON array in JSONL, or `;`-separated values in CSV (`a;b;c`). Datetimes are ISO 8601
(`2026-11-18T10:22:00Z`; without an offset they are taken as UTC), dates are `YYYY-MM-DD`,
booleans are true/false, yes/no or 1/0. Unknown columns are ignored.

- tickets: id*, subject*, description, status (new/open/pending/hold/solved/closed), priority,
  requester, account, created_at*, updated_at, sla_due_at, tags (list), product_area,
  tracker_keys (list), url
- comments: id*, ticket_id*, author*, author_role (customer/agent/internal/system), public
  (default: false for internal notes, true otherwise), created_at*, body*, url
- accounts: id (default: derived from the name), name*, domain, plan, segment, arr, renewal_date,
  csm, contacts (list), reference_customer, open_deals (JSON array of {name, amount, stage,
  close_date}, also in CSV), past_escalations (list), health, url
- articles: id*, title*, article_type (known_issue/how_to/troubleshooting/faq/limitation/reference),
  status, body, updated_at, tags (list), url
- chat: id*, channel*, author*, posted_at*, text*, thread_id, reply_count, url
- tracker: key* (or id), title*, issue_type, status, resolved (default: true when the status is
  Done/Closed/Resolved/Fixed), assignee, team, priority, labels (list), linked_tickets (list),
  created_at, resolved_at, description, regression_of, url

Rows are upserted by id, all in one transaction per file. A malformed row (bad JSON, a missing
required field, a bad date or number) is skipped and reported with its line number; the other
rows still import. An import never deletes or truncates anything already in the workspace.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from connectors.demo.rows import KINDS, Kind, record_to_row, upsert
from connectors.demo.store import Store
from connectors.errors import ImportFileError as ImportFileError  # importable from here as before

SOURCE = "workspace"
_ALIASES = {
    "comments": ("comments", "comment", "ticket_comments"),
    "chat": ("chat", "chat_messages", "messages", "message", "slack"),
    "tracker": ("tracker", "tracker_issues", "issues", "issue", "jira"),
    "articles": ("articles", "article", "kb", "knowledge_base"),
    "accounts": ("accounts", "account", "organizations", "orgs", "companies"),
    "tickets": ("tickets", "ticket"),
}
_RESOLVED_STATUSES = {"done", "closed", "resolved", "fixed", "won't do", "won't fix", "released"}
_ID_FIELDS = {"id", "key", "ticket_id", "thread_id", "regression_of"}


@dataclass(frozen=True)
class ImportReport:
    """What one import did: how many rows were upserted and which lines were skipped, and why."""

    file: Path
    kind: str
    imported: int
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row imported."""
        return not self.errors

    def summary(self) -> str:
        """One line for the CLI, e.g. `tickets.csv: imported 12 tickets, skipped 1 row`."""
        skipped = f", skipped {len(self.errors)} row{'s' if len(self.errors) != 1 else ''}" if self.errors else ""
        return f"{self.file.name}: imported {self.imported} {self.kind}{skipped}"


def normalize_kind(kind: str) -> str:
    """The canonical kind for a name or alias (`ticket`, `issues`, `chat_messages`...)."""
    wanted = kind.strip().lower().replace("-", "_")
    for canonical, aliases in _ALIASES.items():
        if wanted in aliases:
            return canonical
    raise ImportFileError(f"unknown import kind {kind!r}; use one of: {', '.join(sorted(_ALIASES))}")


def infer_kind(file: Path) -> str:
    """The kind named by a file name such as `tickets.csv` or `acme-ticket_comments.jsonl`."""
    words = set(re.split(r"[^a-z0-9]+", file.name.lower().split(".", 1)[0]))
    stem = file.name.lower().split(".", 1)[0]
    for canonical, aliases in _ALIASES.items():
        if any(alias in words or alias == stem for alias in aliases):
            return canonical
    raise ImportFileError(f"cannot tell what {file.name} contains; name it e.g. tickets.csv or pass a kind")


def read_rows(file: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line, row) for each row of a .jsonl or .csv file; a str row is a parse error message."""
    suffix = file.suffix.lower()
    if suffix not in (".jsonl", ".csv"):
        raise ImportFileError(f"{file.name}: unsupported file type {suffix or '(none)'}; use .jsonl or .csv")
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ImportFileError(f"{file} does not exist") from None
    except OSError as exc:
        raise ImportFileError(f"cannot read {file}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{file.name} is not UTF-8 text (byte {exc.start})") from None
    return _jsonl_rows(text) if suffix == ".jsonl" else _csv_rows(text)


def _jsonl_rows(text: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield line_no, f"invalid JSON: {exc.msg} (column {exc.colno})"
            continue
        except (RecursionError, ValueError):  # nesting or a number too long to convert
            yield line_no, "invalid JSON: nested too deeply or a number too long"
            continue
        yield line_no, value if isinstance(value, dict) else "expected a JSON object"


def _csv_rows(text: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        yield 1, f"unreadable CSV header: {exc}"
        return
    while True:
        start = reader.line_num + 1  # a quoted cell may span lines; report where the row starts
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, f"unreadable CSV from here on: {exc}"
            return
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            yield start, f"{len(cells)} fields but the header has {len(header)}"
            continue
        yield start, {name: cell for name, cell in zip(header, cells, strict=False) if cell.strip() != ""}


def _as_list(value: Any, column: str) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        if column == "open_deals":
            parsed = json.loads(value)
            return parsed if isinstance(parsed, list) else [parsed]
        return [part.strip() for part in value.split(";") if part.strip()]
    raise ValueError(f"{column}: expected a list")


def _as_bool(value: Any, column: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "y", "1"):
        return True
    if text in ("false", "no", "n", "0"):
        return False
    raise ValueError(f"{column}: expected true or false, got {value!r}")


def to_record_data(kind: Kind, raw: dict[str, Any]) -> dict[str, Any]:
    """Record fields from one raw row (coerced, defaults filled); raises ValueError if unusable."""
    row = {k.strip().lower(): v for k, v in raw.items() if v is not None}
    if kind.name == "tracker" and "key" not in row and "id" in row:
        row["key"] = row["id"]
    if kind.name == "accounts" and "id" not in row and isinstance(row.get("name"), str):
        row["id"] = re.sub(r"[^a-z0-9]+", "-", row["name"].lower()).strip("-")
    if kind.key not in row:
        raise ValueError(f"missing required field '{kind.key}'")
    data: dict[str, Any] = {"source": SOURCE}
    for column in kind.columns:
        if column not in row:
            continue
        value = row[column]
        if column in _ID_FIELDS and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if column in kind.lists:
            value = [str(v) if isinstance(v, int) else v for v in _as_list(value, column)]
        elif column in kind.bools:
            value = _as_bool(value, column)
        if column == "channel" and isinstance(value, str):
            value = value.lstrip("#")
        if column == kind.key:
            data["source_id"] = value
            if column == "id":
                continue
        data[column] = value
    if kind.name == "comments" and "public" not in data:
        data["public"] = data.get("author_role") != "internal"
    if kind.name == "tracker" and "resolved" not in data:
        data["resolved"] = str(data.get("status", "")).strip().lower() in _RESOLVED_STATUSES
    return data


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "row"
        if error["type"] == "missing":
            parts.append(f"missing required field '{where}'")
        else:
            parts.append(f"bad {where}: {error['msg']}")
    return "; ".join(parts)


def import_rows(store: Store, file: Path, kind_name: str) -> ImportReport:
    """Validate every row of `file` as `kind_name`, then upsert the good ones in one transaction."""
    kind = KINDS[kind_name]
    good: list[dict[str, Any]] = []
    errors: list[tuple[int, str]] = []
    for line, raw in read_rows(file):
        if isinstance(raw, str):
            errors.append((line, raw))
            continue
        try:
            record = kind.record.model_validate(to_record_data(kind, raw))
        except ValidationError as exc:
            errors.append((line, _describe(exc)))
            continue
        except (ValueError, TypeError) as exc:
            errors.append((line, str(exc)))
            continue
        good.append(record_to_row(kind, record))
    try:
        with store.transaction() as conn:
            upsert(conn, kind, good)
    except sqlite3.Error as exc:
        raise ImportFileError(f"import of {file.name} failed and changed nothing: {exc}") from None
    return ImportReport(file=file, kind=kind_name, imported=len({r[kind.key] for r in good}), errors=errors)
