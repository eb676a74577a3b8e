"""Matching customer names the way people write them: case, punctuation, legal suffixes, partial,
shortened and slightly misspelt names aside."""

from __future__ import annotations

from difflib import SequenceMatcher

SUFFIXES = frozenset(
    "inc incorporated corp corporation co company ltd limited llc llp plc gmbh ag sa sas bv nv pty oy ab "
    "group holdings the".split()
)
"""Words that do not tell one organization from another ('Acme Corp' is 'Acme')."""
GENERIC_FIRST = frozenset(
    "north south east west northern southern eastern western new first global united national general "
    "american european international city central royal saint st blue green red".split()
)
"""First words too common to identify an organization alone ('North Star' is not 'North Harbor')."""
FUZZY = 0.88
"""Similarity above which two names differ only by a typo ('Saltmarsh Logistic Park' ~ '... Logistics Parks')."""


def normalize_name(name: str) -> str:
    """'Acme, Corp.' -> 'acme corp'."""
    cleaned = name.lower().replace(",", " ").replace(".", " ").replace("’", "'").replace("'s ", " ")
    return " ".join(cleaned.replace("&", " and ").split())


def _core(name: str) -> list[str]:
    words = [w for w in normalize_name(name).split() if w not in SUFFIXES]
    return words or normalize_name(name).split()


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w != "and")


def same_name(a: str | None, b: str | None) -> bool:
    """True when two names refer to the same organization: equal without legal suffixes, one a
    word-prefix of the other ('Acme' ~ 'Acme Corp'), the same distinctive first word, initials of the
    other ('PTM' ~ 'Pennick Tower Management'), one word starting the other's first ('Harbor' ~
    'Harborline Produce'), or the same but for a typo."""
    x, y = _core(a or ""), _core(b or "")
    if not x or not y:
        return False
    if x == y or x[: len(y)] == y or y[: len(x)] == x:
        return True
    if x[0] == y[0] and len(x[0]) >= 4 and x[0] not in GENERIC_FIRST:
        return True
    for short, long in ((x, y), (y, x)):
        if len(short) == 1 and len(short[0]) >= 2 and len(long) >= 2 and short[0] == _initials(long):
            return True
        # One word that starts the other's first word: 'Harbor' ~ 'Harborline Produce'.
        if len(short) == 1 and len(short[0]) >= 5 and short[0] not in GENERIC_FIRST and long[0].startswith(short[0]):
            return True
    joined_x, joined_y = " ".join(x), " ".join(y)
    return min(len(joined_x), len(joined_y)) >= 6 and SequenceMatcher(None, joined_x, joined_y).ratio() >= FUZZY
