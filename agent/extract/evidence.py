"""Evidence built from records: a citation (source, id, url) plus a short quote."""

from __future__ import annotations

import re

from agent.extract.schema import Evidence
from connectors.records import Account, Article, ChatMessage, Comment, Record, Ticket, TrackerIssue

QUOTE_LIMIT = 200


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """One-line text of at most `limit` characters, cut at a word boundary."""
    head = text[: limit * 8]  # enough for the quote, so a megabyte of text is not joined to keep 200 characters
    flat = " ".join(head.split())
    if len(flat) <= limit and len(head) < len(text):
        flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def headline(record: Record) -> str:
    """The most telling one-line description of a record."""
    if isinstance(record, Ticket):
        return f"#{record.source_id} {record.subject}"
    if isinstance(record, Comment):
        return record.body
    if isinstance(record, Account):
        arr = f"ARR ${record.arr:,.0f}" if record.arr is not None else "ARR unknown"
        return f"{record.name}: {record.plan or 'plan unknown'}, {arr}"
    if isinstance(record, ChatMessage):
        return f"#{record.channel} {record.author}: {record.text}"
    if isinstance(record, TrackerIssue):
        return f"{record.key} {record.title} ({record.status})"
    if isinstance(record, Article):
        return record.title
    return record.ref


def cite(record: Record, quote: str | None = None) -> Evidence:
    """Evidence pointing at `record`, quoting `quote` (or the record's headline)."""
    return Evidence(source=record.source, id=record.source_id, url=record.url, quote=clip(quote or headline(record)))


def from_request(quote: str) -> Evidence:
    """Evidence pointing at the user's request text."""
    return Evidence(source="request", id="request", url=None, quote=clip(quote))


def dedupe(evidence: list[Evidence]) -> list[Evidence]:
    """Evidence without repeats of the same record and quote, order kept."""
    seen: set[tuple[str, str, str]] = set()
    unique: list[Evidence] = []
    for item in evidence:
        key = (item.source, item.id, item.quote)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


DOCUMENTED_BY = re.compile(
    r"\b(?:kb|knowledge ?base|help (?:center|centre|article|page|doc)|articles?|docs|documentation|documented|"
    r"known issue|release notes?)\b",
    re.IGNORECASE,
)


def says_written_down(evidence: list[Evidence]) -> bool:
    """True when a quote says that what it cites is written down (the KB, the docs, a known-issue note):
    a workaround so quoted is a known one."""
    return any(DOCUMENTED_BY.search(e.quote) for e in evidence)
