"""Which gathered records are about the issue: IDF-weighted term overlap plus explicit links."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from agent.models.offline.text import terms, words
from connectors.records import Account, Article, ChatMessage, Record, Ticket, TrackerIssue

# Words that name the same thing in support tickets; mapped onto one stem so paraphrases meet.
SYNONYMS = {
    "signin": "login",
    "logon": "login",
    "saml": "sso",
    "okta": "sso",
    "idp": "sso",
    "drop": "miss",
    "dropp": "miss",
    "lost": "miss",
    "disappear": "miss",
    "vanish": "miss",
    "incomplete": "miss",
    "download": "export",
    "csv": "export",
    "500": "5xx",
    "502": "5xx",
    "503": "5xx",
    "504": "5xx",
    "internal_error": "5xx",
    "fail": "error",
    "failure": "error",
    "broken": "error",
    "intermitt": "intermitt",
    "sporadic": "intermitt",
    "flaky": "intermitt",
    "slow": "latency",
    "sluggish": "latency",
    "audit": "audit",
    "webhook": "webhook",
    "signature": "signature",
}
GENERIC = frozenset(
    {
        "error",
        "api",
        "data",
        "user",
        "work",
        "return",
        "get",
        "time",
        "thing",
        "request",
        "app",
        "feature",
        "option",
        "ability",
        "miss",
    }
)
"""Terms too common in support text to identify an issue alone (still counted, at reduced weight)."""


INTENT = re.compile(
    r"^(?:threat|churn|cancel|urgen|asap|critical|angry|frustrat|unhappy|immediate|escalat|complain|enterprise|"
    r"business|starter|affect)"
)
"""Words that say how the reporter feels or whom it hits, not what the symptom is."""
_PHRASES = re.compile(r"\b(?:log|sign)[- ]?(?:in|on)\b", re.I)


@lru_cache(maxsize=8192)
def issue_terms(text: str) -> frozenset[str]:
    """Normalized terms of a text, with digits-plural ('500s') and synonyms folded."""
    found = set()
    kept = " ".join(w for w in words(_PHRASES.sub(" login ", text)) if not INTENT.match(w))
    for term in terms(kept):
        if re.fullmatch(r"\d+s", term):
            term = term[:-1]
        found.add(SYNONYMS.get(term, term))
    return frozenset(found)


def record_text(record: Record) -> str:
    """The searchable text of a record."""
    if isinstance(record, Ticket):
        return f"{record.subject} {record.subject} {record.description} {' '.join(record.tags)} {record.product_area or ''}"
    if isinstance(record, TrackerIssue):
        return f"{record.title} {record.title} {record.description} {' '.join(record.labels)}"
    if isinstance(record, Article):
        return f"{record.title} {record.title} {record.body} {' '.join(record.tags)}"
    if isinstance(record, ChatMessage):
        return record.text
    if isinstance(record, Account):
        return record.name
    return ""


@dataclass
class Scorer:
    """Scores records against the issue's query terms, weighting rare terms higher."""

    query: frozenset[str]
    idf: dict[str, float] = field(default_factory=dict)

    @classmethod
    def build(cls, query_text: str, corpus: Iterable[Record], exclude: frozenset[str] = frozenset()) -> Scorer:
        docs = [issue_terms(record_text(r)) for r in corpus]
        n = max(len(docs), 1)
        query = issue_terms(query_text) - exclude
        idf = {}
        for term in query:
            df = sum(1 for d in docs if term in d)
            weight = math.log((n + 1) / (df + 0.5)) + 0.5
            idf[term] = weight * (0.5 if term in GENERIC else 1.0)
        return cls(query=query, idf=idf)

    def score(self, record: Record) -> float:
        """Share of the query's weight that the record covers (0..1)."""
        if not self.query:
            return 0.0
        have = issue_terms(record_text(record))
        total = sum(self.idf.values()) or 1.0
        return sum(w for t, w in self.idf.items() if t in have) / total

    def names_key_terms(self, text: str) -> bool:
        """True when `text` contains the query's two most specific terms (a subject naming the symptom)."""
        key = sorted(self.idf, key=lambda t: -self.idf[t])[:2]
        return len(key) == 2 and set(key) <= issue_terms(text)

    def shared(self, record: Record) -> int:
        return len(self.query & issue_terms(record_text(record)))


def name_terms(name: str | None) -> frozenset[str]:
    """Terms of a customer name, to keep it out of the symptom query."""
    return issue_terms(name or "") | {"corp", "inc", "ltd", "llc", "gmbh"}


ERROR_TOKEN = re.compile(r"\b(?:[a-z]{1,5}[-_]?\d{2,5}|[a-z]+(?:_[a-z0-9]+){1,4})\b", re.IGNORECASE)
"""Exact error codes ('E413', 'ERR-42', 'invalid_api_key'): two reports quoting one are the same issue."""


QUOTED = re.compile(r"[\"“'‘]([^\"”'’\n]{4,60})[\"”'’]")
"""Quoted error text ('"batch header" rejected'): two reports quoting the same words are one issue."""


def error_tokens(text: str) -> frozenset[str]:
    """Error-code-like tokens and quoted error phrases of a text, lower-cased."""
    codes = {t.lower() for t in ERROR_TOKEN.findall(text) if not t[:1].isdigit()}
    quoted: set[str] = set()
    for q in QUOTED.findall(text):
        phrase = " ".join(q.lower().split())
        if len(phrase.split()) <= 6:
            quoted.add(phrase)
        head = phrase.split(":")[0].strip()  # "account not found: 4010 ..." -> the error class
        if ":" in phrase and 2 <= len(head.split()) <= 5:
            quoted.add(head)
    return frozenset(codes | quoted)


def title_coverage(title: str, words: frozenset[str]) -> float:
    """How much of an article's title the customer's words cover (0..1): a short title like 'Configure
    console session length' matches a long, rambling request that a query-side score would miss.
    Needs two specific title terms in common (three when the title is long) to count at all."""
    wanted = issue_terms(title) - GENERIC
    shared = wanted & words
    if len(shared) < 2 or (len(wanted) > 5 and len(shared) < 3):
        return 0.0
    return len(shared) / len(wanted)


def names_terms(names: list[str]) -> frozenset[str]:
    """Terms of several customer names together."""
    return frozenset().union(*(name_terms(n) for n in names)) if names else name_terms(None)


def top(records: Sequence[Record], scorer: Scorer, threshold: float, limit: int) -> list[Record]:
    """Records scoring at least `threshold`, best first."""
    scored = [(scorer.score(r), i, r) for i, r in enumerate(records)]
    return [r for s, _, r in sorted(scored, key=lambda t: (-t[0], t[1])) if s >= threshold][:limit]
