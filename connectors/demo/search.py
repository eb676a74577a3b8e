"""Turning free text into safe full-text queries (FTS5 MATCH) or LIKE conditions.

User text never reaches FTS5 syntax: it is split into word tokens, each emitted as a quoted
string, so `"`, `*`, `-`, `:`, `NEAR`, `AND`, parentheses and the like are just text.
"""

from __future__ import annotations

import re

# Words joined by - _ . / stay one phrase token ("ENG-1423", "req_7f3a", "2026-11-17").
_TOKEN = re.compile(r"[^\W_]+(?:[-_.][^\W_]+)*")
_MAX_TOKENS = 24
MIN_PREFIX_LEN = 4

_STOP_TEXT = """
    a about after again all also am an and any are as at be been before being but by can could did
    do does doing for from had has have having he her here hers him his how i if in into is it its
    just me more most my no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their theirs them then there these they this those through to
    too under until up very was we were what when where which while who whom why will with would
    you your yours

    customer customers client clients user users reported reporting week
    weeks today yesterday issue issues problem problems please help hi hello thanks thank urgent
    asap still again getting seeing since affecting affected
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def tokens(text: str) -> list[str]:
    """Lower-cased search tokens of `text`, stop words dropped, duplicates removed, order kept."""
    seen: dict[str, None] = {}
    for match in _TOKEN.finditer(text.lower()):
        token = match.group(0)
        if len(token) < 2 or token in STOP_WORDS:
            continue
        seen.setdefault(token, None)
        if len(seen) >= _MAX_TOKENS:
            break
    return list(seen)


def fts_query(text: str) -> str | None:
    """An FTS5 MATCH expression OR-ing the tokens of `text`, or None when nothing is searchable.

    Single words of 4+ characters also match as prefixes; multi-part tokens match as phrases.
    """
    parts: list[str] = []
    for token in tokens(text):
        quoted = '"' + token.replace('"', '""') + '"'
        is_word = token.isalnum()
        parts.append(quoted + "*" if is_word and len(token) >= MIN_PREFIX_LEN else quoted)
    return " OR ".join(parts) if parts else None


def like_pattern(token: str) -> str:
    """A LIKE pattern matching `token` anywhere, with LIKE wildcards escaped (ESCAPE '\\')."""
    escaped = token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def like_score(columns: list[str], text: str) -> tuple[str, list[str]] | None:
    """SQL scoring a row by how many tokens of `text` appear in any of `columns` (LIKE fallback).

    Returns the score expression and its parameters, or None when nothing is searchable. A crude
    suffix strip stands in for stemming, so "intermittently" still finds "intermittent".
    """
    words = tokens(text)
    if not words:
        return None
    haystack = " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)
    terms: list[str] = []
    params: list[str] = []
    for word in words:
        terms.append(f"(lower({haystack}) LIKE ? ESCAPE '\\')")
        params.append(like_pattern(search_stem(word)))
    return " + ".join(terms), params


_SUFFIXES = ("ingly", "edly", "ing", "ly", "ed", "es", "s")


def search_stem(word: str) -> str:
    """The light stem the demo search matches on ('exporting' -> 'export')."""
    for suffix in _SUFFIXES:
        if word.isalpha() and word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word
