"""The offline model's lexicon, loaded from data: which wording asserts which signal.

Each signal has one file in `words/` (`<signal>.toml`, security kinds as `security-<kind>.toml`) with
its patterns, the examples that must fire and those that must not (each example is a test). Patterns
may name a word class from `words/classes.toml` as `<CLASS>` (for example `<BREADTH>` or `<FAIL>`), so a
reading such as "who x fails to do what" is written once and composed, not listed phrase by phrase.

Patterns are matched against lower-cased text; negation and hypotheticals are filtered by
`agent.models.offline.signals`. No customer, company or product names belong here.
"""

from __future__ import annotations

import json
import re
import tomllib
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from agent.models.offline.text import WORD_START

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
        if not item.name.endswith(".toml") or item.name in ("classes.toml", "anchors.toml"):
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
MIN_CUE = 2
COMMON_WORDS = frozenset(
    "a an and are as at be by can do does for from has have in is it n't no not now of on or that the this to "
    "was were with".split()
)
"""Words nearly every sentence holds: a cue among them would let its pattern run on nearly every sentence, so
any other literal the pattern requires is the better cue."""


def cues(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` contains, or None when no such set is known.

    A sentence that contains none of them cannot match, so the pattern is not tried on it: a substring
    test costs far less than running the regex."""
    found = _required(sre_parse.parse(pattern))
    return frozenset(found) if found else None


def _required(sequence: Any) -> set[str] | None:
    options: list[set[str]] = []
    run = ""
    for op, arg in sequence:
        if op is sre.LITERAL:
            run += chr(arg)
            continue
        if run:
            options.append({run})
            run = ""
        need: set[str] | None = None
        if op is sre.SUBPATTERN:
            need = _required(arg[3])
        elif op is sre.BRANCH:
            branches = [_required(branch) for branch in arg[1]]
            need = None if any(b is None for b in branches) else set().union(*branches)  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and arg[0] >= 1:
            need = _required(arg[2])
        elif op is sre.ASSERT and arg[0] == 1:
            need = _required(arg[1])
        if need:
            options.append(need)
    if run:
        options.append({run})
    usable = [o for o in options if min(len(x) for x in o) >= MIN_CUE]
    return max(usable, key=_selectivity) if usable else None


def _selectivity(option: set[str]) -> tuple[bool, int, int]:
    """How rarely an option of cues occurs, roughly: no common word first, then longer, then fewer."""
    common = any(cue.strip() in COMMON_WORDS for cue in option)
    return (not common, min(len(cue) for cue in option), -len(option))


KEYS: tuple[str, ...] = tuple(PATTERNS)
SPAN: dict[str, int] = {entry.key: entry.span for entry in ENTRIES}
CUES_FILE = "cues.json"
"""Cues derived from the patterns (`derive_cues`), stored beside them so start-up need not parse every regex.
A test checks that the file matches the patterns; `python -m agent.models.offline.lexicon` rewrites it."""


@cache
def compiled(key: str) -> re.Pattern[str]:
    """The pattern for `key`, compiled on first use (without IGNORECASE, 3-4x faster: callers match
    lower-cased text). A brief whose text holds none of a pattern's cues never compiles it."""
    return re.compile(WORD_START + PATTERNS[key])


def derive_cues() -> dict[str, list[str] | None]:
    """Every pattern's cues, derived from its regex."""
    found = {key: cues(pattern) for key, pattern in PATTERNS.items()}
    return {key: sorted(options) if options else None for key, options in found.items()}


def _stored_cues() -> dict[str, frozenset[str] | None]:
    folder = resources.files("agent.models.offline").joinpath("words", CUES_FILE)
    stored = json.loads(folder.read_text(encoding="utf-8")) if folder.is_file() else {}
    if set(stored) != set(PATTERNS):
        stored = derive_cues()  # a word list changed without the file: correct, only slower to start
    return {key: frozenset(options) if options else None for key, options in stored.items()}


CUES: dict[str, frozenset[str] | None] = _stored_cues()


def mentions(text: str, key: str) -> bool:
    """True when a lower-cased text holds one of the pattern's cues (or the pattern has none)."""
    options = CUES[key]
    return options is None or any(cue in text for cue in options)


def _trie_pattern(words: list[str]) -> str:
    """One regex for many literals, factored by common prefixes so that each position costs a few
    character tests rather than one per literal."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(trie)


@dataclass(frozen=True)
class CueIndex:
    """Which patterns a text can match at all, found in one pass over it."""

    finder: re.Pattern[str]
    """At every position, the longest cue that starts there."""
    keys: dict[str, frozenset[str]]
    """A cue found in the text -> every pattern with a cue that starts it (so shorter cues are not lost)."""
    uncued: frozenset[str]


@cache
def cue_index() -> CueIndex:
    """Built on first use only: short texts are read without it."""
    found = CUES
    every = sorted({cue for options in found.values() if options for cue in options})
    keys: dict[str, set[str]] = {cue: set() for cue in every}
    for key, options in found.items():
        for option in options or ():
            # Every literal that starts with this cue: a contiguous run of the sorted list.
            at = bisect_left(every, option)
            while at < len(every) and every[at].startswith(option):
                keys[every[at]].add(key)
                at += 1
    uncued = frozenset(k for k, options in found.items() if options is None)
    frozen = {cue: frozenset(found_keys) for cue, found_keys in keys.items()}
    return CueIndex(re.compile(f"(?=({_trie_pattern(every)}))"), frozen, uncued)


def cued(text: str) -> frozenset[str]:
    """The pattern keys worth trying on a lower-cased text: those whose cues it contains, and those without cues."""
    index = cue_index()
    keys: set[str] = set(index.uncued)
    for cue in {match.group(1) for match in index.finder.finditer(text)}:
        keys |= index.keys[cue]
    return frozenset(keys)


READINGS: frozenset[str] = frozenset(entry.key for entry in ENTRIES if entry.reading)


if __name__ == "__main__":
    target = resources.files("agent.models.offline").joinpath("words", CUES_FILE)
    Path(str(target)).write_text(json.dumps(derive_cues(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
