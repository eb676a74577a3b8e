"""Reads signals from passages of text with the lexicon, skipping negated and hypothetical mentions
and text that tries to give instructions."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from agent.extract.evidence import cite, clip, from_request
from agent.extract.schema import Evidence
from agent.models.offline.injection import ADDRESSED_TO_AI, INJECTION, ROLE_BLOCK, TRANSCRIPT_MARKER, USER_TURN
from agent.models.offline.lexicon import KEYS, SPAN, compiled, cued
from agent.models.offline.text import CACHED_TEXT_LIMIT, bound_tokens, cached_below, is_asserted, is_negated, sentences
from connectors.records import Record

Role = Literal["request", "ticket", "customer", "agent", "internal", "chat", "reference"]
CUSTOMERISH: frozenset[Role] = frozenset({"request", "ticket", "customer"})
STAFF: frozenset[Role] = frozenset({"agent", "internal"})
TEXT: frozenset[Role] = CUSTOMERISH | STAFF
WITH_CHAT: frozenset[Role] = TEXT | {"chat"}

ALLOWED_ROLES: dict[str, frozenset[Role]] = {
    "production_down": TEXT,
    "data_loss": TEXT,
    "security": TEXT,
    "sla_breached": TEXT,
    "sla_at_risk": TEXT,
    "churn_threat": TEXT,
    "executive_involvement": TEXT,
    "workaround_available": TEXT | {"chat"},
    "workaround_failed": TEXT,
    "configuration_issue": TEXT,
    "guidance_request": frozenset({"request", "ticket"}),
    "feature_request": WITH_CHAT,
    "confirmed_bug": STAFF | {"chat", "request"},
    "regression": WITH_CHAT,
    "infrastructure_issue": WITH_CHAT,
    "beyond_support": STAFF | {"chat", "request"},
    "custom_implementation": TEXT,
    "pr_legal_risk": TEXT,
    "policy_exception": TEXT,
    "resolved": TEXT,
    "recurring": TEXT,
    "worsening": WITH_CHAT,
    "blocked": TEXT,
    "routine_request": frozenset({"request", "ticket"}),
    "documented_solution": STAFF | {"request"},
    "known_limitation": STAFF | {"request"},
    "previously_solved_in_support": STAFF | {"request"},
    "no_fault": frozenset({"request", "ticket"}),
    "isolated": frozenset({"request"}),
    "data_intact": STAFF | {"request"},
}


MAX_EVIDENCE = 4
HANDLE_CONDITIONS = (
    "documented_solution",
    "workaround_available",
    "configuration_issue",
    "guidance_request",
    "known_limitation",
    "previously_solved_in_support",
)
"""The readings of the seed's handle-in-support conditions."""
QUOTED_ALARMS = ("production_down", "infrastructure_issue", "blocked", "sla_breached", "sla_at_risk")
"""Alarms that, only quoted, are someone's claim, weighed against the writer's own findings."""
CLAIMABLE = frozenset((*QUOTED_ALARMS, *HANDLE_CONDITIONS))
"""Readings whose quotation matters: alarming words the writer only quotes ("the portal is 'completely down'")
are the customer's claim; a handle condition counts as a finding only in the writer's own words."""
QUOTE_MARK = re.compile('["\u201c\u201d]')
QUOTE_OPEN_SENTENCES = 3
"""A quotation still open after this many sentences is taken as an unmatched mark and closed."""
SECURITY_ORDER = ("data_exposure", "unauthorized_access", "vulnerability", "compliance", "none")
"""Most severe first: a report that is both a vulnerability and an exposure is an exposure."""


@dataclass(frozen=True)
class Passage:
    """A piece of text with who wrote it and which record it came from (None: the request)."""

    text: str
    role: Role
    record: Record | None = None

    def evidence(self, quote: str) -> Evidence:
        return cite(self.record, quote) if self.record is not None else from_request(quote)


@dataclass
class Scan:
    """Signal name -> evidence, and the most severe security kind seen."""

    found: dict[str, list[Evidence]] = field(default_factory=dict)
    security_kind: str | None = None
    own_words: set[str] = field(default_factory=set)
    """Of the `CLAIMABLE` readings, those asserted at least once outside quotation marks: by the writer,
    not only in the words of someone they quote."""

    def only_quoted(self, name: str) -> bool:
        """True when every assertion of `name` stood inside quotation marks (someone's claim, quoted)."""
        return name in self.found and name in CLAIMABLE and name not in self.own_words

    def add(self, name: str, evidence: Evidence) -> None:
        bucket = self.found.setdefault(name, [])
        if len(bucket) < MAX_EVIDENCE and evidence not in bucket:
            bucket.append(evidence)

    def settled(self, key: str) -> bool:
        """True when reading more text for this pattern cannot change the result: its evidence is full
        and, for a security kind, a kind at least as severe is already known."""
        name, _, kind = key.partition(":")
        if len(self.found.get("security_concern" if kind else name, ())) < MAX_EVIDENCE:
            return False
        if name in CLAIMABLE and name not in self.own_words:
            return False  # only quoted so far: the writer's own assertion may still come
        return not kind or SECURITY_ORDER.index(kind) >= SECURITY_ORDER.index(self.security_kind or "none")


DEFECT_WORDS = re.compile(
    r"\b(?:error|errors|broken|bug|fail\w*|wrong|crash\w*|5\d\d|rows?|drops|dropped|dropping|missing (?:rows|data)|mismatch|"
    r"loop|down)\b",
    re.I,
)
"""Text about a defect is neither a feature request nor a how-to question, whatever else it says."""


def _about_defect(text: str) -> bool:
    """True when the text names a defect it does not deny ('it's not a bug, it works as designed' does not)."""
    lowered = text.lower()
    for match in DEFECT_WORDS.finditer(lowered):
        line_start = max(lowered.rfind(".", 0, match.start()), lowered.rfind("\n", 0, match.start())) + 1
        if not is_negated(lowered[line_start : match.end()], match.start() - line_start):
            return True
    return False


HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)


def sanitize(passages: list[Passage]) -> tuple[list[Passage], list[Evidence]]:
    """Passages without instruction-like text, and that text as evidence.

    Hidden HTML comments and transcript markers (`</ticket>`, `<|im_start|>`) are dropped, and a marker
    ends a paragraph. From an instruction-like phrase (a fake `Assistant:` turn, a "system prompt update",
    an order to mark or classify the issue) to the end of its paragraph the text is treated as injected:
    it is reported, and no finding, count or amount is read from it.
    """
    clean: list[Passage] = []
    injections: list[Evidence] = []
    for passage in passages:
        kept, quotes = _cleaned(passage.text, passage.role == "request")
        injections += [passage.evidence(quote) for quote in quotes]
        clean.append(Passage(kept, passage.role, passage.record))
    return clean, injections


@cached_below(CACHED_TEXT_LIMIT, maxsize=4096)
def _cleaned(text: str, request: bool) -> tuple[str, tuple[str, ...]]:
    """The text without instruction-like parts, and those parts, clipped (see `sanitize`)."""
    text = bound_tokens(text)
    quotes = [clip(hidden) for hidden in HTML_COMMENT.findall(text) if hidden.strip("<!-> \n")]
    text = HTML_COMMENT.sub(" ", text)
    blocks = [m.group(0) for m in ROLE_BLOCK.finditer(text)] if "<" in text or "[" in text else []
    if blocks:
        quotes += [clip(block) for block in blocks]
        text = ROLE_BLOCK.sub("\n\n", text)
    markers = TRANSCRIPT_MARKER.findall(text)
    if markers:
        quotes.append(clip(" ".join(dict.fromkeys(markers))))
        text = TRANSCRIPT_MARKER.sub("\n\n", text)
    kept, found = _drop_injected(text, ADDRESSED_TO_AI if request else INJECTION)
    if found:
        kept, more = _drop_injected(kept, USER_TURN)  # fake user turns come with the fake assistant
        found += more
    return kept, (*quotes, *(clip(quote) for quote in found))


@cache
def _lowered(detector: re.Pattern[str]) -> re.Pattern[str]:
    """The detector for lower-cased text, without IGNORECASE (several times faster on long text)."""
    return re.compile(detector.pattern, detector.flags & ~re.IGNORECASE)


def _drop_injected(text: str, detector: re.Pattern[str]) -> tuple[str, list[str]]:
    """The text without each paragraph's tail from its first instruction-like phrase on (or, inside a
    quotation, up to the quotation's end), and those parts."""
    lowered = _lowered(detector)
    if not lowered.search(text.lower()):  # the common case, without IGNORECASE's cost
        return text, []
    kept_paragraphs, found = [], []
    for paragraph in re.split(r"\n\s*\n", text):
        if not lowered.search(paragraph.lower()):
            kept_paragraphs.append(paragraph)
            continue
        kept: list[str] = []
        at = 0  # each search starts where the last injected part ended: linear in the paragraph
        while at < len(paragraph):
            match = detector.search(paragraph, at)
            if match is None:
                kept.append(paragraph[at:])
                break
            end = _injection_end(paragraph, at, match.start())
            found.append(" ".join(paragraph[match.start() : end].split()))
            kept.append(paragraph[at : match.start()])
            at = end
        kept_paragraphs.append("\n".join(part for part in kept if part.strip()))
    return "\n\n".join(p for p in kept_paragraphs if p.strip()), found


def _injection_end(paragraph: str, since: int, start: int) -> int:
    """Where injected text that starts at `start` ends: at the close of the quotation it sits in (a pasted
    customer message with fake turns, followed by the engineer's own notes), else at the paragraph's end.
    Quotation marks are counted from `since`, the end of the previous injected part."""
    before = paragraph[since:start]
    if before.count('"') % 2 == 1:
        close = paragraph.find('"', start)
    elif before.count("\u201c") > before.count("\u201d"):
        close = paragraph.find("\u201d", start)
    else:
        close = -1
    return close + 1 if close >= 0 else len(paragraph)


Candidate = str
SETTLE_CHECK = 64
"""In a long passage, how many sentences between drops of the readings that are already complete."""
LONG_PASSAGE = 4000
"""Above this many characters a passage drops, every `SETTLE_CHECK` sentences, the readings already complete.
Every passage and sentence is first screened for the literals each pattern needs (one pass over the text
finds them all), so that most patterns are never run on most sentences."""


def _candidates(passage: Passage, about_defect: bool) -> list[Candidate]:
    """The patterns worth trying sentence by sentence in this passage: those its role may assert and
    whose cue words it contains."""
    present = cued(" ".join(passage.text.lower().split()))
    chosen = []
    for key in KEYS:
        name, _, kind = key.partition(":")
        signal = "security" if kind else name
        if passage.role not in ALLOWED_ROLES[signal]:
            continue
        if signal in ("feature_request", "guidance_request") and about_defect:
            continue
        if key in present:
            chosen.append(key)
    return chosen


def scan(passages: list[Passage]) -> Scan:
    """Every signal asserted in the (sanitized) passages, each with the sentence that asserts it.

    A reading whose word list spans two sentences is also tried on each pair of adjacent sentences."""
    result = Scan()
    for passage in passages:
        patterns = _candidates(passage, _about_defect(passage.text))
        if not patterns:
            continue
        split = sentences(passage.text)
        gate = len(passage.text) > LONG_PASSAGE
        quote_open, open_for = False, 0
        for at, sentence in enumerate(split):
            if gate and at % SETTLE_CHECK == 0:
                patterns = [key for key in patterns if not result.settled(key)]
                if not patterns:
                    break  # every reading this passage could add is already complete
            _scan_unit(result, passage, sentence, patterns, quote_open)
            quote_open = _quote_open_after(sentence, quote_open)
            open_for = open_for + 1 if quote_open else 0
            if open_for > QUOTE_OPEN_SENTENCES:
                quote_open, open_for = False, 0
        wide = [key for key in patterns if SPAN[key] > 1 and not result.settled(key)]
        for first, second in itertools.pairwise(split) if wide else ():
            _scan_unit(result, passage, f"{first} {second}", wide)
    return result


def _quote_open_after(sentence: str, open_before: bool) -> bool:
    """Whether a quotation is open at the end of `sentence`, given whether one was open at its start."""
    state = open_before
    for mark in QUOTE_MARK.findall(sentence):
        state = mark == "\u201c" or (mark == '"' and not state)
    return state


def _in_own_words(sentence: str, key: Candidate, quote_open: bool) -> bool:
    """True when the pattern is asserted somewhere in the sentence outside quotation marks."""
    lowered = sentence.lower()
    for match in compiled(key).finditer(lowered):
        if not _quote_open_after(sentence[: match.start()], quote_open) and _holds(key, lowered, match.start()):
            return True
    return False


def _holds(key: Candidate, lowered: str, start: int) -> bool:
    # Questions and wishes are conditional by nature; for them only negation counts.
    if key.partition(":")[0] in ("guidance_request", "feature_request", "routine_request"):
        return not is_negated(lowered, start)
    return is_asserted(lowered, start)


def _scan_unit(
    result: Scan, passage: Passage, sentence: str, patterns: list[Candidate], quote_open: bool | None = None
) -> None:
    """Add what the sentence asserts; `quote_open` says whether it starts inside a quotation (None: not
    known, for a pair of sentences, which then counts as the writer's own words)."""
    live = tuple(key for key in patterns if not result.settled(key))
    for key in _asserted_in(sentence, live):
        if result.settled(key):
            continue
        name, _, kind = key.partition(":")
        if name in CLAIMABLE and name not in result.own_words:
            unquoted = quote_open is None or (not quote_open and not QUOTE_MARK.search(sentence))
            if unquoted or _in_own_words(sentence, key, bool(quote_open)):
                result.own_words.add(name)
        result.add("security_concern" if kind else name, passage.evidence(clip(sentence)))
        if kind and SECURITY_ORDER.index(kind) < SECURITY_ORDER.index(result.security_kind or "none"):
            result.security_kind = kind


@cached_below(CACHED_TEXT_LIMIT, maxsize=16384)
def _asserted_in(sentence: str, patterns: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """The patterns, in order, that the sentence asserts (not negated, not hypothetical)."""
    lowered = sentence.lower()
    question = sentence.rstrip().endswith("?")
    present = cued(lowered)
    hits = []
    for key in patterns:
        if key not in present:
            continue
        name = key.partition(":")[0]
        if name == "configuration_issue" and question:
            continue  # a question about a setting is not a finding that the setting is wrong
        if any(_holds(key, lowered, match.start()) for match in compiled(key).finditer(lowered)):
            hits.append(key)
    return tuple(hits)
