"""Per-brief checks behind the completeness and groundedness scorers.

`brief_gaps` lists what an output lacks: for an escalation, every section of the seed's brief
format (heading, Severity, Target team, Reported by, Date, Impact with its four bullets, Issue
Description, What's Been Tried, Reproduction Steps, Customer Communication, What's Needed with a
Deadline, Supporting Context); for a handle-in-support recommendation, its own sections; for both,
no placeholder or template text. `ungrounded` lists citations of records the run never gathered
and Impact figures that no record and not the request states.
"""

from __future__ import annotations

import re
from itertools import combinations

from evals.outcome import Outcome

_LINE = r"[ \t]*\S[^\n]*"
ESCALATION_PARTS: tuple[tuple[str, str], ...] = (
    ("ESCALATION heading", r"^#{1,3}[ \t]*ESCALATION:" + _LINE),
    ("Severity", r"Severity:?\**[ \t]*(?:Critical|High|Medium)\b"),
    ("Target team", r"Target team:?\**[ \t]*(?:Engineering|Product|Security|Leadership|L2 Support)\b"),
    ("Reported by", r"Reported by:?\**" + _LINE),
    ("Date", r"\bDate:?\**[ \t]*\d{4}-\d{2}-\d{2}"),
    ("Impact section", r"^#{1,4}[ \t]*Impact[ \t]*$"),
    ("Customers affected", r"^[-*][ \t]*\**Customers affected:?\**" + _LINE),
    ("Workflow impact", r"^[-*][ \t]*\**Workflow impact:?\**" + _LINE),
    ("Revenue at risk", r"^[-*][ \t]*\**Revenue at risk:?\**" + _LINE),
    ("Time in queue", r"^[-*][ \t]*\**Time in queue:?\**" + _LINE),
    ("Issue Description", r"^#{1,4}[ \t]*Issue Description[ \t]*\n+[ \t]*[^#\s]"),
    ("What's Been Tried", r"^#{1,4}[ \t]*What.s Been Tried[ \t]*\n+[ \t]*[^#\s]"),
    ("Reproduction Steps", r"^#{1,4}[ \t]*Reproduction Steps[ \t]*\n+[ \t]*[^#\s]"),
    ("Customer Communication", r"^#{1,4}[ \t]*Customer Communication[ \t]*$"),
    ("Last update to customer", r"^[-*][ \t]*\**Last update to customer:?\**" + _LINE),
    ("Customer expectation", r"^[-*][ \t]*\**Customer expectation:?\**" + _LINE),
    ("Escalation risk", r"^[-*][ \t]*\**Escalation risk:?\**" + _LINE),
    ("What's Needed", r"^#{1,4}[ \t]*What.s Needed[ \t]*\n+[ \t]*[-*][ \t]*\S"),
    ("Deadline", r"^[-*][ \t]*\**Deadline:?\**[ \t]*\d{4}-\d{2}-\d{2}"),
    ("Supporting Context", r"^#{1,4}[ \t]*Supporting Context[ \t]*\n+[ \t]*[-*][ \t]*\S"),
)
SUPPORT_PARTS: tuple[tuple[str, str], ...] = (
    ("HANDLE IN SUPPORT heading", r"^#{1,3}[ \t]*HANDLE IN SUPPORT:" + _LINE),
    ("Reported by", r"Reported by:?\**" + _LINE),
    ("Date", r"\bDate:?\**[ \t]*\d{4}-\d{2}-\d{2}"),
    ("reasons", r"^#{1,4}[ \t]*Why support can handle it[ \t]*\n+[ \t]*[-*][ \t]*\S"),
    ("suggested reply", r"^#{1,4}[ \t]*Suggested reply to the customer[ \t]*\n+[ \t]*>"),
    ("Supporting Context", r"^#{1,4}[ \t]*Supporting Context[ \t]*\n+[ \t]*[-*][ \t]*\S"),
)
PLACEHOLDERS = re.compile(
    r"\[Your name|\[Today.s date|\[One-line summary|\[Specific ask|\[Step\]|\[If applicable|"
    r"\[add the |\[insert |\[TBD|\bTODO\b|\bFIXME\b|\bXXX\b|\{\{|\}\}|\{%|%\}|lorem ipsum",
    re.IGNORECASE,
)

EMPTY_VALUE = re.compile(r"(?:[:|]\**|^[-*])[ \t]*(None|null|undefined|nan)[ \t]*(?:\(|\||$)", re.MULTILINE)
"""A Python/JSON empty value rendered where text belongs ('Revenue at risk: None')."""


def _unescaped(markdown: str) -> str:
    """Markdown with backslash escapes removed, so escaped placeholders still show."""
    return re.sub(r"\\([\\`*_\[\]<>|#])", r"\1", markdown)


def brief_gaps(outcome: Outcome) -> list[str]:
    """What the rendered output lacks or should not contain; empty when complete."""
    text = outcome.markdown
    if not text.strip():
        return ["no markdown"]
    parts = ESCALATION_PARTS if outcome.escalate else SUPPORT_PARTS
    gaps = [f"missing {name}" for name, pattern in parts if not re.search(pattern, text, re.MULTILINE)]
    plain = _unescaped(text)
    found = sorted({m.group(0) for m in PLACEHOLDERS.finditer(plain)})
    found += sorted({m.group(1) for m in EMPTY_VALUE.finditer(plain)})
    gaps += [f"placeholder {p!r}" for p in found]
    return gaps


_MONEY = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)\s*([kKmM])?(?![\w])")
_COUNT = re.compile(
    r"(?<![\w.$,])(\d[\d,]*)\s+(?:customers?|users?|accounts?(?:\(s\))?|seats?|tenants?|companies|organi[sz]ations)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s*([kKmM](?![a-zA-Z]))?")
_SCALE = {"k": 1_000.0, "m": 1_000_000.0}
_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
_WORD_NUMBER = re.compile(r"\b(" + "|".join(_WORDS) + r"|dozen)\b", re.IGNORECASE)


def _value(digits: str, suffix: str | None) -> float:
    return float(digits.replace(",", "")) * _SCALE.get((suffix or "").lower(), 1.0)


def stated_numbers(text: str) -> set[float]:
    """Every number in a text ('480000.0', '$120k', '1,204', 'three'), as values."""
    found: set[float] = set()
    for match in _NUMBER.finditer(text):
        digits = match.group(1).rstrip(",")
        if digits:
            found.add(_value(digits, None))
            if match.group(2):
                found.add(_value(digits, match.group(2)))
    for match in _WORD_NUMBER.finditer(text):
        word = match.group(1).lower()
        found.add(12.0 if word == "dozen" else float(_WORDS.index(word)))
    return found


def _sums(amounts: list[float], most: int = 6) -> set[float]:
    totals: set[float] = set()
    for size in range(2, min(most, len(amounts)) + 1):
        totals.update(round(sum(c), 2) for c in combinations(amounts[:16], size))
    return totals


def ungrounded(outcome: Outcome) -> list[str]:
    """Citations of records the run never gathered, and Impact figures no source states."""
    problems: list[str] = []
    for c in outcome.cited:
        if c.source == "request":
            if c.id != "request":
                problems.append(f"{c.where} cites request with id {c.id!r}")
            continue
        key = f"{c.source}:{c.id}"
        if key not in outcome.record_urls:
            problems.append(f"{c.where} cites {key}, which was never gathered")
        elif c.url and outcome.record_urls[key] and c.url != outcome.record_urls[key]:
            problems.append(f"{c.where} cites {key} with a url that is not the record's")
    known = stated_numbers(outcome.sources_text)
    totals = _sums(outcome.summable)
    for field_name in ("customers_affected", "workflow_impact", "revenue_at_risk"):
        line = outcome.impact.get(field_name, "")
        for match in _MONEY.finditer(line):
            amount = _value(match.group(1), match.group(2))
            if amount not in known and round(amount, 2) not in totals:
                problems.append(f"Impact {field_name}: {match.group(0).strip()} is in no record or the request")
        for match in _COUNT.finditer(line):
            count = _value(match.group(1), None)
            if count not in known and count > max(outcome.count_bound, 1):
                problems.append(f"Impact {field_name}: {match.group(0).strip()!r} is in no record or the request")
    return list(dict.fromkeys(problems))
