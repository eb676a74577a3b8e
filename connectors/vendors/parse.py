"""Small, forgiving converters shared by the vendor mappers (vendor JSON is loosely typed)."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from typing import Any

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|div|li|h[1-6])>|<br\s*/?>", re.IGNORECASE)
_WORD = re.compile(r"[\w][\w.'-]*", re.UNICODE)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""Stand-in for a missing required timestamp (never seen in well-formed vendor data)."""

_STOPWORDS = frozenset([
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in", "into",
    "is", "it", "its", "of", "on", "or", "our", "that", "the", "their", "this", "to", "was", "were",
    "will", "with", "not", "no", "we", "they", "you", "your", "customer", "customers",
])  # fmt: skip


def when(value: Any) -> datetime | None:
    """An aware datetime from ISO-8601 text, epoch seconds or epoch milliseconds; else None."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        return datetime.fromtimestamp(seconds, UTC)
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return when(int(text))
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            # Jira writes offsets without a colon: 2025-01-02T03:04:05.000+0000
            try:
                moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")
            except ValueError:
                return None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return None


def day(value: Any) -> date | None:
    """A date from `YYYY-MM-DD`, a datetime text or epoch value; else None."""
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    moment = when(value)
    return moment.date() if moment else None


def number(value: Any) -> float | None:
    """A float from a number or numeric text (vendors send amounts as strings); else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        return None


def text_of_html(value: Any) -> str:
    """Plain text from an HTML fragment: tags dropped, entities decoded, blank lines collapsed."""
    if not isinstance(value, str):
        return ""
    plain = html.unescape(_TAG.sub("", _BLOCK_END.sub("\n", value)))
    lines = [line.strip() for line in plain.splitlines()]
    return "\n".join(line for line in lines if line)


def keywords(text: str, limit: int = 6) -> list[str]:
    """The distinctive words of a free-text query, in order, without stopwords or duplicates."""
    seen: list[str] = []
    for word in _WORD.findall(text.lower()):
        word = word.strip(".'-")
        word = word[:64]  # a pasted blob is not a search term; keep requests small
        if len(word) > 1 and word not in _STOPWORDS and word not in seen:
            seen.append(word)
    return seen[:limit]


_GENERIC = frozenset(
    "error errors issue issues problem problems failing fails failed failure broken working help please "
    "question report reports reported says said keeps still again".split()
)
"""Words a request uses for any trouble: poor search terms on their own, so chosen last."""


def key_terms(text: str, limit: int = 3) -> list[str]:
    """The `limit` most telling keywords of a request: its keywords in order, generic ones last."""
    words = keywords(text, limit=8)
    return sorted(words, key=lambda w: w in _GENERIC)[:limit]


def dig(data: Any, *path: str | int) -> Any:
    """`data[p0][p1]...`, or None as soon as a step is missing."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(data, list) or not -len(data) <= step < len(data):
                return None
        elif not isinstance(data, dict) or step not in data:
            return None
        data = data[step]
    return data


def text(value: Any) -> str | None:
    """A non-empty string, or None."""
    if value is None:
        return None
    out = str(value).strip()
    return out or None


_TYPE_WORDS = (
    ("known_issue", ("known-issue", "known_issue", "knownissue", "known-issues", "known issue")),
    ("troubleshooting", ("troubleshooting", "troubleshoot")),
    ("limitation", ("limitation", "limitations")),
    ("faq", ("faq",)),
    ("reference", ("reference", "api-reference")),
    ("how_to", ("how-to", "howto", "how_to", "guide")),
)
_STATUS_WORDS = (
    ("workaround_available", ("workaround", "workaround-available", "workaround_available")),
    ("fix_in_progress", ("fix-in-progress", "fix_in_progress", "in-progress")),
    ("investigating", ("investigating",)),
    ("resolved", ("resolved", "fixed")),
)


def article_kind(labels: list[str], title: str = "") -> tuple[str, str | None]:
    """Article type and known-issue status guessed from KB labels/tags (and a title prefix)."""
    lowered = {label.strip().lower() for label in labels}
    kind = next((k for k, words in _TYPE_WORDS if lowered.intersection(words)), None)
    if kind is None:
        kind = "known_issue" if title.lower().startswith("known issue") else "how_to"
    status = next((s for s, words in _STATUS_WORDS if lowered.intersection(words)), None)
    return kind, status if kind == "known_issue" else None


_TRACKER_KEY = re.compile(r"\b([A-Z][A-Z0-9_]{1,9}-\d{1,7})\b(?![-./]\d)")
_NOT_KEYS = frozenset({"UTF", "ISO", "SHA", "TLS", "SSL", "RFC", "CVE", "HTTP", "MD", "IPV", "AES", "RSA", "PDF", "X"})
"""Prefixes of standards and codes that look like tracker keys (UTF-8, ISO-8601, SHA-256, CVE-2024)."""


def tracker_keys_in(*texts: str) -> tuple[str, ...]:
    """Tracker issue keys (`ENG-1423`) mentioned in free text, in order, without duplicates."""
    found: list[str] = []
    for chunk in texts:
        for key in _TRACKER_KEY.findall(chunk or ""):
            if key.split("-")[0] not in _NOT_KEYS and key not in found:
                found.append(key)
    return tuple(found)


def term_hits(terms: list[str], *texts: str) -> int:
    """How many of the search terms occur in the texts (case-insensitive): the local ranking of an
    OR search, where an item matching more of the issue's terms is the better match."""
    hay = " ".join(t for t in texts if t).lower()
    return sum(1 for term in terms if term in hay)
