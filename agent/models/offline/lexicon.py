"""The offline model's lexicon, loaded from data: which wording asserts which signal.

Each signal has one file in `words/` (`<signal>.toml`, security kinds as `security-<kind>.toml`) with
its patterns, the examples that must fire and those that must not (each example is a test). Patterns
may name a word class from `words/classes.toml` as `<CLASS>` (for example `<BREADTH>` or `<FAIL>`), so a
reading such as "who x fails to do what" is written once and composed, not listed phrase by phrase.

Patterns are matched against lower-cased text; negation and hypotheticals are filtered by
`agent.models.offline.signals`. No customer, company or product names belong here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

CLASS_REF = re.compile(r"<([A-Z][A-Z_]*)>")


@dataclass(frozen=True)
class Entry:
    """One signal's word list: its patterns (composed and joined) and its examples."""

    key: str
    """`signal`, or `security_concern:<kind>` for a security kind."""
    pattern: str
    fires: tuple[str, ...]
    does_not_fire: tuple[str, ...]
    span: int = 1
    """How many adjacent sentences one reading may cover ("offboarded on the 3rd. Yesterday he logged in")."""
    reading: bool = False
    """True for a reading that feeds the category, not an `Extraction` signal."""


def _load(name: str) -> dict[str, Any]:
    data = resources.files("agent.models.offline").joinpath("words", name).read_text(encoding="utf-8")
    return tomllib.loads(data)


@dataclass(frozen=True)
class WordClass:
    """A class of words (`<NAME>` in a pattern) with examples it must match whole and must not."""

    pattern: str
    fires: tuple[str, ...]
    does_not_fire: tuple[str, ...]


def _classes() -> dict[str, WordClass]:
    raw = _load("classes.toml")
    return {
        name: WordClass(
            "(?:" + "|".join(spec["words"]) + ")", tuple(spec.get("fires", ())), tuple(spec.get("does_not_fire", ()))
        )
        for name, spec in raw.items()
    }


def expand(pattern: str, classes: dict[str, str]) -> str:
    """Replace every `<CLASS>` by its alternation (classes may use other classes)."""
    for _ in range(4):
        if not CLASS_REF.search(pattern):
            return pattern
        pattern = CLASS_REF.sub(lambda m: classes[m.group(1)], pattern)
    raise ValueError(f"word classes nest too deep in {pattern[:80]}")


def load_entries(classes: dict[str, str]) -> list[Entry]:
    """Every signal file in `words/`, with its class references expanded."""
    entries = []
    folder = resources.files("agent.models.offline").joinpath("words")
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".toml") or item.name == "classes.toml":
            continue
        spec = tomllib.loads(item.read_text(encoding="utf-8"))
        key = f"security:{spec['kind']}" if "kind" in spec else spec["signal"]
        body = "|".join(expand(p, classes) for p in spec["patterns"])
        entries.append(
            Entry(
                key,
                f"(?:{body})",
                tuple(spec.get("fires", ())),
                tuple(spec.get("does_not_fire", ())),
                int(spec.get("span", 1)),
                bool(spec.get("reading", False)),
            )
        )
    return entries


CLASSES: dict[str, WordClass] = _classes()
CLASS_PATTERNS: dict[str, str] = {name: c.pattern for name, c in CLASSES.items()}
ENTRIES: list[Entry] = load_entries(CLASS_PATTERNS)
PATTERNS: dict[str, str] = {entry.key: entry.pattern for entry in ENTRIES}
COMPILED: dict[str, re.Pattern[str]] = {name: re.compile(p) for name, p in PATTERNS.items()}
"""Compiled without IGNORECASE (3-4x faster): callers match lower-cased text."""
SPAN: dict[str, int] = {entry.key: entry.span for entry in ENTRIES}
READINGS: frozenset[str] = frozenset(entry.key for entry in ENTRIES if entry.reading)
