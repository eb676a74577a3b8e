"""Loading the shipped seed data (the fictional company Lumen Analytics) into a workspace store.

The seed is anchored at `SEED_NOW` (2026-11-27T12:00Z). Loading with a day offset shifts every
timestamp and date by whole days, including ISO dates written inside text ("after the 2026-11-17
deploy", "release 2026.11.25"), so the story stays consistent whatever day it is shown on.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from connectors.demo.rows import KINDS, record_to_row, upsert
from connectors.demo.store import Store

SEED_DIR = Path(__file__).parent / "seed"
SEED_NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SEED_TODAY = SEED_NOW.date()

ZENDESK = "https://lumen.zendesk.example/agent/tickets"
CRM = "https://lumen-crm.example/accounts"
SLACK = "https://lumen.slack.example/archives"
JIRA = "https://lumen.atlassian.example/browse"
HELP = "https://help.lumen.example/articles"
CHANNEL_IDS = {
    "support-escalations": "C0SUPESC",
    "eng-api": "C0ENGAPI",
    "incidents": "C0INCDNT",
    "product-feedback": "C0PRODFB",
    "cs-enterprise": "C0CSENTR",
}

_DATE_IN_TEXT = re.compile(r"\b(20\d\d)([-.])(\d\d)\2(\d\d)\b")
_TEXT_FIELDS = ("subject", "description", "body", "text", "title")


@cache
def seed_json() -> dict[str, list[dict[str, Any]]]:
    """The parsed seed files, read once per process."""
    names = ("accounts", "tickets", "chat", "tracker", "articles")
    return {name: json.loads((SEED_DIR / f"{name}.json").read_text(encoding="utf-8")) for name in names}


def shift_text(text: str, days: int) -> str:
    """`text` with every ISO-looking date (YYYY-MM-DD or YYYY.MM.DD) moved by `days`."""
    if days == 0:
        return text

    def move(match: re.Match[str]) -> str:
        year, sep, month, day = match.groups()
        try:
            moved = date(int(year), int(month), int(day)) + timedelta(days=days)
        except ValueError:
            return match.group(0)
        return moved.strftime(f"%Y{sep}%m{sep}%d")

    return _DATE_IN_TEXT.sub(move, text)


class _Shifter:
    def __init__(self, days: int) -> None:
        self.days = days

    def dt(self, value: str | None) -> datetime | None:
        if value is None:
            return None
        parsed = datetime.fromisoformat(value)
        return parsed + timedelta(days=self.days)

    def day(self, value: str | None) -> date | None:
        return None if value is None else date.fromisoformat(value) + timedelta(days=self.days)

    def text_fields(self, item: dict[str, Any]) -> dict[str, Any]:
        out = dict(item)
        for field in _TEXT_FIELDS:
            if isinstance(out.get(field), str):
                out[field] = shift_text(out[field], self.days)
        return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _slack_ts(posted: datetime, message_id: str) -> str:
    digits = re.sub(r"\D", "", message_id) or "0"
    return f"{int(posted.timestamp())}{int(digits) % 1_000_000:06d}"


def _accounts(raw: list[dict[str, Any]], s: _Shifter) -> list[dict[str, Any]]:
    out = []
    for item in raw:
        data = dict(item)
        data["renewal_date"] = s.day(data.get("renewal_date"))
        data["open_deals"] = [
            {**deal, "name": shift_text(deal["name"], s.days), "close_date": s.day(deal.get("close_date"))}
            for deal in data.get("open_deals", [])
        ]
        data["past_escalations"] = [shift_text(e, s.days) for e in data.get("past_escalations", [])]
        data["source_id"] = data.pop("id")
        data["url"] = f"{CRM}/{data['source_id']}"
        out.append(data)
    return out


def _tickets(raw: list[dict[str, Any]], s: _Shifter) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    tickets, comments = [], []
    for item in raw:
        data = s.text_fields(item)
        tid = data.pop("id")
        timeline = data.pop("comments", [])
        url = f"{ZENDESK}/{tid}"
        stamps = []
        for n, entry in enumerate(timeline, start=1):
            comment = s.text_fields(entry)
            cid = f"{tid}-{n}"
            comment.setdefault("public", comment.get("author_role") != "internal")
            comment.update(
                source_id=cid, ticket_id=tid, created_at=s.dt(comment["created_at"]), url=f"{url}#comment-{cid}"
            )
            comments.append(comment)
            stamps.append(comment["created_at"])
        for field in ("created_at", "updated_at", "sla_due_at"):
            data[field] = s.dt(data.get(field))
        if data["updated_at"] is None:
            data["updated_at"] = max([data["created_at"], *stamps])
        data.update(source_id=tid, url=url)
        tickets.append(data)
    return tickets, comments


def _chat(raw: list[dict[str, Any]], s: _Shifter) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    ts_by_id: dict[str, str] = {}
    for item in raw:
        data = s.text_fields(item)
        posted = s.dt(data["posted_at"])
        assert posted is not None
        mid = data.pop("id")
        ts_by_id[mid] = _slack_ts(posted, mid)
        channel_id = CHANNEL_IDS[data["channel"]]
        url = f"{SLACK}/{channel_id}/p{ts_by_id[mid]}"
        root = data.get("thread_id")
        if root and root != mid and root in ts_by_id:
            root_ts = ts_by_id[root]
            url += f"?thread_ts={root_ts[:10]}.{root_ts[10:]}&cid={channel_id}"
        data.update(source_id=mid, posted_at=posted, url=url)
        out.append(data)
    return out


def _tracker(raw: list[dict[str, Any]], s: _Shifter) -> list[dict[str, Any]]:
    out = []
    for item in raw:
        data = s.text_fields(item)
        data["created_at"] = s.dt(data.get("created_at"))
        data["resolved_at"] = s.dt(data.get("resolved_at"))
        data.update(source_id=data["key"], url=f"{JIRA}/{data['key']}")
        out.append(data)
    return out


def _articles(raw: list[dict[str, Any]], s: _Shifter) -> list[dict[str, Any]]:
    out = []
    for item in raw:
        data = s.text_fields(item)
        data["updated_at"] = s.dt(data.get("updated_at"))
        aid = data.pop("id")
        data.update(source_id=aid, url=f"{HELP}/{aid}-{_slug(item['title'])}")
        out.append(data)
    return out


def load_seed(store: Store, today: date | None = None) -> None:
    """Insert the seed, shifted so that its "now" falls on `today` (None: no shift)."""
    shifter = _Shifter((today - SEED_TODAY).days if today is not None else 0)
    raw = seed_json()
    tickets, comments = _tickets(raw["tickets"], shifter)
    batches = {
        "accounts": _accounts(raw["accounts"], shifter),
        "tickets": tickets,
        "comments": comments,
        "chat": _chat(raw["chat"], shifter),
        "tracker": _tracker(raw["tracker"], shifter),
        "articles": _articles(raw["articles"], shifter),
    }
    with store.transaction() as conn:
        for name, items in batches.items():
            kind = KINDS[name]
            rows = [record_to_row(kind, kind.record.model_validate({"source": store.source, **i})) for i in items]
            upsert(conn, kind, rows)
