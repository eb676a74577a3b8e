"""Small, transparent text tools for the offline model: terms, sentences, negation, numbers, dates."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import lru_cache, wraps
from typing import Concatenate, ParamSpec, TypeVar

WORD_START = r"(?<![a-z0-9_])"
"""A pattern that starts at the start of a word (or at markup) says so: the engine then skips the other
positions cheaply, several times faster on long text."""

P = ParamSpec("P")
R = TypeVar("R")


def cached_below(
    limit: int, maxsize: int
) -> Callable[[Callable[Concatenate[str, P], R]], Callable[Concatenate[str, P], R]]:
    """Cache a function of a text (and hashable arguments) for texts of at most `limit` characters: the
    same tickets, articles and sentences come back brief after brief. A longer text is read afresh, so
    the cache stays small whatever the input."""

    def wrap(func: Callable[Concatenate[str, P], R]) -> Callable[Concatenate[str, P], R]:
        cached = lru_cache(maxsize=maxsize)(func)

        @wraps(func)
        def call(text: str, /, *args: P.args, **kwargs: P.kwargs) -> R:
            if len(text) <= limit:
                return cached(text, *args, **kwargs)  # type: ignore[arg-type]  # the arguments are hashable
            return func(text, *args, **kwargs)

        return call

    return wrap


WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
STOPWORDS = frozenset(
    "a an and are as at be been being but by can could did do does doing for from had has have having he "
    "her here hers him his how i if in into is it its itself just me more most my no nor not of off on "
    "once only or other our ours out over own same she should so some such than that the their theirs "
    "them then there these they this those through to too under until up very was we were what when where "
    "which while who whom why will with would you your yours also any all about after again against am "
    "because before below between both during each few further get got getting please hi hello thanks "
    "thank regards team us let know still since like one two three customer customers client clients "
    "account accounts reported reporting report reports week weeks day days today issue issues problem "
    "problems affecting affected affect happening seeing see saw anyone everyone someone escalate "
    "escalation brief need needs needed help via using use used new now yet ok okay ask asks asked asking "
    "say says said saying tell tells told want wants wanted would whether wonder wondering wondered love "
    "mentioned mentions morning tonight tomorrow lot lots really just gets getting many "
    # Conversational filler of a quick request ("can you look at what's going on with X? they sound upset").
    "look looking going goes sound sounds upset thing things stuff right probably maybe perhaps sort sorted "
    "think thinking guess guys sure bit kind whats thats don doesn didn isn aren wasn".split()
)
_SUFFIXES = (
    "ations",
    "ation",
    "ingly",
    "ently",
    "ments",
    "ment",
    "ings",
    "ing",
    "edly",
    "ies",
    "ied",
    "ed",
    "es",
    "ly",
    "ent",
    "s",
)
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a dozen": 12,
    "dozen": 12,
    "several": 3,
    "multiple": 2,
    "many": 3,
    "a few": 3,
    "a couple of": 2,
    "couple of": 2,
}
MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}
NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "without",
        "nothing",
        "nobody",
        "none",
        "neither",
        "nor",
        "cannot",
        "isn't",
        "wasn't",
        "aren't",
        "weren't",
        "don't",
        "doesn't",
        "didn't",
        "hasn't",
        "haven't",
        "hadn't",
        "won't",
        "wouldn't",
        "shouldn't",
        "n't",
    ]
)
HYPOTHETICAL = re.compile(
    r"\b(if|in case|whether|would it|could it|might|hypothetically|what happens|is it safe|is it possible|"
    r"just (?:asking|curious)|for example|e\.g\.|such as|in the future|to prevent|to avoid|(?:read|reading|heard|hearing) about)\b"
)
LONG_TOKEN = re.compile(r"\S{65,}")
MAX_TOKEN = 64
"""No word, code or id a reading needs is longer; a longer run (base64, a pasted blob) is cut to this."""


def bound_tokens(text: str) -> str:
    """The text with every run of non-space characters cut to `MAX_TOKEN`, so that no pattern can
    spend more than a bounded effort on one token."""
    return LONG_TOKEN.sub(lambda m: m.group(0)[:MAX_TOKEN], text) if len(text) > MAX_TOKEN else text


RECIPE = re.compile(
    r"\bif (?:you|she|he|they|i|we|someone|anyone|a user|the user) (?:just |simply )?(?:change|edit|modif|enter|type|"
    r"replace|increment|decrement|swap|paste|remove|add)\w*"
)
"""A conditional that states reproduction steps ("if you change the id in the URL you see ..."): what follows
is observed behaviour, not a hypothetical."""
CLAUSE_BREAK = re.compile(r"[,;:()]|\b(?:but|however|although|though|yet|whereas|except)\b")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude, predictable stem: 'intermittently' and 'intermittent' -> 'intermitt'."""
    word = word.lower().replace("’", "'").split("'")[0]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    if word.endswith("s") and not word.endswith("ss") and len(word) >= 4:
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """Lower-case word tokens."""
    return WORD.findall(text.lower())


def terms(text: str) -> set[str]:
    """Content-word stems of a text, without stop words."""
    return {stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1}


SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])|\n\s*[-*\d]+[.)]?\s+|\n{2,}|\n(?=[A-Z])")
CACHED_TEXT_LIMIT = 20_000
"""Texts (and sentences) up to this many characters keep what is read from them cached."""


def sentences(text: str) -> list[str]:
    """Sentences (and list items) of a text, whitespace-normalized."""
    return list(_split(text))


@cached_below(CACHED_TEXT_LIMIT, maxsize=4096)
def _split(text: str) -> tuple[str, ...]:
    return tuple(" ".join(p.split()) for p in SENTENCE_BREAK.split(text) if p and p.strip())


def clause_before(sentence: str, start: int) -> str:
    """The part of the sentence's clause that precedes position `start`."""
    before = sentence[:start]
    breaks = list(CLAUSE_BREAK.finditer(before))
    return before[breaks[-1].end() :] if breaks else before


def is_negated(sentence: str, start: int, window: int = 7) -> bool:
    """True when a negation cue stands within `window` words before `start`, in the same clause."""
    tokens = re.findall(r"[a-z']+", clause_before(sentence.lower(), start))[-window:]
    return any(t in NEGATIONS or t.endswith("n't") for t in tokens)


def is_asserted(sentence: str, start: int) -> bool:
    """True when the mention at `start` is neither negated nor hypothetical."""
    return not is_negated(sentence, start) and not is_hypothetical(sentence, start)


def is_hypothetical(sentence: str, start: int) -> bool:
    """True when the mention sits in a conditional, a question about possibilities, or an example."""
    lowered = sentence.lower()
    clause = clause_before(lowered, start)
    cue = HYPOTHETICAL.search(clause)
    if cue and cue.group(0) == "if" and RECIPE.match(clause, cue.start()):
        cue = HYPOTHETICAL.search(clause, cue.end())
    return bool(cue) or lowered.startswith(("is it safe", "what if"))


def parse_count(token: str) -> int | None:
    """'3' -> 3, 'three' -> 3, 'several' -> 3; None otherwise."""
    token = token.lower().strip()
    if token.replace(",", "").isdigit():
        return int(token.replace(",", ""))
    return NUMBER_WORDS.get(token)


def parse_amount(number: str, scale: str | None) -> float:
    """'$480,000' -> 480000; '120k' -> 120000; '1.2M' -> 1200000."""
    value = float(number.replace(",", ""))
    factor = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6}.get((scale or "").lower(), 1.0)
    return value * factor


DURATION = re.compile(
    r"\b(?:for|over|past|last|about|almost|nearly)\s+(?:the\s+)?(?:past\s+|last\s+)?(\d+|a|an|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|several|a few|a couple of)\s+(minute|hour|day|week|month)s?\b",
    re.I,
)
_UNIT = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
    "month": timedelta(days=30),
}


def duration_before(text: str, now: datetime) -> tuple[datetime, str] | None:
    """A start time implied by 'for 3 days' / 'over the past two weeks', with the phrase."""
    match = DURATION.search(text)
    if not match:
        return None
    amount = 1 if match.group(1).lower() in ("a", "an") else parse_count(match.group(1)) or 1
    return now - amount * _UNIT[match.group(2).lower()], match.group(0)


_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE = re.compile(
    rf"\b(?:(\d{{4}})-(\d{{2}})-(\d{{2}})|{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?|(\d{{1,2}})(?:st|nd|rd|th)?"
    rf"\s+(?:of\s+)?{_MONTH}(?:,?\s+(\d{{4}}))?)\b",
    re.I,
)


def find_dates(text: str, now: datetime) -> list[tuple[datetime, str]]:
    """Absolute dates in a text ('2026-11-18', 'Nov 18', 'November 18th, 2026', '9 December') with their
    phrase. A date without a year is taken in the year that puts it nearest to `now`."""
    found = []
    for match in DATE.finditer(text):
        g = match.groups()
        try:
            if g[0]:
                moment = datetime(int(g[0]), int(g[1]), int(g[2]), tzinfo=UTC)
            else:
                month_name, day, year_text = (g[3], g[4], g[5]) if g[3] else (g[7], g[6], g[8])
                year = int(year_text) if year_text else now.year
                moment = datetime(year, MONTHS[month_name.lower()[:3]], int(day), tzinfo=UTC)
                if not year_text and moment > now + timedelta(days=180):
                    moment = moment.replace(year=year - 1)
                elif not year_text and moment < now - timedelta(days=180):
                    moment = moment.replace(year=year + 1)
        except ValueError:
            continue
        found.append((moment, match.group(0)))
    return found
