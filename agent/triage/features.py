"""The text features tickets are compared by when clustering: normalised symptom terms and codes.

A ticket's issue is told in its subject and description (or its first customer message). Both are
reduced to terms that survive rewording: lower case, stop words and greetings dropped, a light
suffix-stripping stem cut to a fixed prefix (so "exported", "exports" and "exporting" meet), plus
the codes a report quotes. Codes are strong evidence both ways: two reports quoting one code are
likely one issue, two quoting only different codes likely are not. A token mixing letters and
digits ("E413", "0x80070005") or written in snake case ("ERR_CERT_DATE_INVALID") is a code, and so
is an HTTP error status. A server error also yields its class ("502" -> "5xx"): to the customer
500, 502 and 503 are one symptom of one failing service, while client errors (401, 429) name
distinct conditions. Plain numbers and quantities ("20 MB", "20MB", "4k") differ between reports
of one issue and collide across issues, so they are dropped. The customer's own name is left out:
it says who reports, not what. A ticket that asks how to do something is marked as a question: it
is not the same issue as a report that the same thing fails.

Words the offline reader treats as one symptom ("lost", "dropped", "incomplete" -> missing) are
folded the same way here, so triage and the brief agree on what counts as the same issue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from agent.models.offline.relevance import SYNONYMS
from agent.models.offline.text import stem as reader_stem

STEM_PREFIX = 6
"""Characters a stem keeps: truncation is a plain, language-agnostic way to fold word forms."""
CODE_WEIGHT = 2.0
"""How much more a quoted code counts than a word."""

_TOKEN = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_HTTP_STATUS = re.compile(r"[45]\d\d")
_QUANTITY = re.compile(r"\d+(?:[.,]\d+)?[a-z]{0,3}")
_QUESTION = re.compile(
    r"^\W*(?:how|where|what|which|why|can|could|is it|are there|do you|does|should|is there)\b", re.IGNORECASE
)
_SUFFIXES = ("ations", "ation", "ingly", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s")
# fmt: off
STOPWORDS = frozenset("""
a about after again against all also am an and any are as at be been before being below between both but
by can cannot could did do does doing don down during each few for from further had has have having he her
here hers him his how i if in into is it its itself just me more most my no nor not of off on once only or
other our ours out over own same she should so some such than that the their theirs them then there these
they this those through to too under until up very was we were what when where which while who whom why
will with would you your yours get got getting still since like one two three us let know yet ok okay
hi hello hey dear thanks thank regards cheers best please kindly team support quick question help
urgent asap advise soon possible need needs needed want wants would could seems seem looks look really
everyone someone anyone something anything our we're it's i'm we've i've can't won't doesn't don't isn't
today yesterday morning afternoon evening tonight now again ever every always never sometimes
""".split())
# fmt: on


def stem(word: str) -> str:
    """A crude, predictable stem: suffix stripped, then cut to STEM_PREFIX characters."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]  # "arrive" meets "arriving" -> "arriv"
    return word[:STEM_PREFIX]


def _term(word: str) -> str:
    folded = SYNONYMS.get(reader_stem(word))
    return f"={folded}" if folded else stem(word)


def _features(text: str, skip: frozenset[str], codes: set[str]) -> dict[str, float]:
    found: dict[str, float] = {}
    for token in _TOKEN.findall(text.lower().replace("’", "'").replace("'", "")):
        if token.endswith("s") and token[:-1].isdigit():
            token = token[:-1]  # "502s": the plural of a code is the code
        if _HTTP_STATUS.fullmatch(token):
            found[token] = CODE_WEIGHT
            if token[0] == "5":
                found["5xx"] = CODE_WEIGHT
            codes.add("5xx" if token[0] == "5" else token)
        elif _QUANTITY.fullmatch(token):
            continue
        elif "_" in token or (any(c.isdigit() for c in token) and any(c.isalpha() for c in token)):
            if len(token) <= 40:
                codes.add(token)
                found[token] = CODE_WEIGHT
        else:
            for word in token.split("-"):
                if len(word) > 1 and word not in STOPWORDS and word not in skip:
                    found.setdefault(_term(word), 1.0)
    return found


@dataclass(frozen=True)
class TicketFeatures:
    """A ticket's features with their raw weights (before IDF), the codes it quotes, its kind."""

    weights: dict[str, float]
    codes: frozenset[str]
    question: bool
    """The ticket asks how to do something rather than reporting that something fails."""


def ticket_features(subject: str, body: str, account: str | None, subject_weight: float) -> TicketFeatures:
    """Features of one ticket: the subject's count `subject_weight` times a body term's."""
    skip = frozenset(_TOKEN.findall((account or "").lower()))
    codes: set[str] = set()
    weights = _features(body, skip, codes)
    for term, weight in _features(subject, skip, codes).items():
        weights[term] = max(weights.get(term, 0.0), weight * subject_weight)
    question = bool(_QUESTION.match(subject)) or subject.rstrip().endswith("?")
    return TicketFeatures(weights, frozenset(codes), question)


def document_frequency(features: Iterable[TicketFeatures]) -> dict[str, int]:
    """In how many tickets each feature occurs."""
    df: dict[str, int] = {}
    for f in features:
        for term in f.weights:
            df[term] = df.get(term, 0) + 1
    return df
