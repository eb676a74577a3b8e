"""Grounding: keep only the findings of an extraction whose quotes appear in what was read.

Any reader (the host model over MCP, a live model, a test) may fill an `Extraction`; before the
rules see it, every evidence quote is looked up in the gathered records and the request. Matching
ignores case, Unicode compatibility forms and runs of whitespace, and a quote clipped or joined
with an ellipsis matches when each of its pieces does. A finding left without any quote that is
found (a present signal, an affected account, a money mention, a stated count or date) is dropped
and reported, and so is a money mention whose quotes do not state its amount, so a reader cannot
make the rules fire on text nobody wrote.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from agent.extract.evidence import headline
from agent.extract.schema import Evidence, Extraction, Signal, Signals
from connectors.records import Record, Ticket, TrackerIssue

NOT_FOUND = "quote not found in the gathered records or the request"
NO_EVIDENCE = "no evidence quoted"
NO_AMOUNT = "the amount is not stated in its quotes"
MIN_QUOTE_CHARS = 3
_PIECES = re.compile(r"…|\.\.\.|(?<=[.!?;])\s+")
"""A quote is checked piece by piece: clipped or joined with an ellipsis, or sentences joined."""
_EDGES = " \"'.,;:!?()"
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(k|m|mm|bn|thousand|million|billion)?\b")
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_PUNCTUATION = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def normalize(text: str) -> str:
    """Text as quotes are compared: NFKC, case-folded, typographic quotes and dashes made plain,
    whitespace collapsed to single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_PUNCTUATION).casefold().split())


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def texts_of(record: Record) -> list[str]:
    """Every text field of `record` (nested values included)."""
    return list(_strings(record.model_dump(mode="json")))


def statements(record: Record) -> list[str]:
    """What a record states beyond its text fields, in the words evidence cites it by: its headline,
    when a ticket was opened and with which status, which tracker issue a regression reopens."""
    said = [headline(record)]
    if isinstance(record, Ticket):
        said += [
            f"#{record.source_id} {record.subject} ({record.status})",
            f"opened {record.created_at:%Y-%m-%d %H:%M} UTC",
        ]
    if isinstance(record, TrackerIssue) and record.regression_of:
        said.append(f"{record.key} is a regression of {record.regression_of}")
    return said


def states_amount(quote: str, amount: float) -> bool:
    """Whether `quote` states `amount` ('$480,000', '480k', '1.2M', '12000 USD'), within half a percent."""
    for digits, scale in _AMOUNT.findall(normalize(quote)):
        try:
            value = float(digits.replace(",", "")) * _SCALE.get(scale, 1.0)
        except ValueError:
            continue
        if abs(value - amount) <= max(0.5, 0.005 * abs(amount)):
            return True
    return False


class Corpus:
    """The normalised texts a quote may come from: every text field of the gathered records, what
    they state (`statements`), and the request."""

    def __init__(self, texts: Iterable[str]) -> None:
        # Texts are joined by a newline, which a normalised quote never contains, so a quote
        # cannot match across two fields.
        self._text = "\n".join(t for t in (normalize(x) for x in texts) if t)

    @classmethod
    def of(cls, records: Iterable[Record], request: Iterable[str | None] = ()) -> Corpus:
        """The corpus of `records` plus the request's own texts (its wording, customer, ticket id)."""
        texts: list[str] = [t for t in request if t]
        for record in records:
            texts.extend(texts_of(record))
            texts.extend(statements(record))
        return cls(texts)

    def __contains__(self, quote: object) -> bool:
        if not isinstance(quote, str):
            return False
        pieces = [p.strip(_EDGES) for p in _PIECES.split(normalize(quote))]
        pieces = [p for p in pieces if p]
        if not pieces or max(len(p) for p in pieces) < MIN_QUOTE_CHARS:
            return False
        return all(p in self._text for p in pieces)


class Ungrounded(BaseModel):
    """A quote that was not found, or a finding that quoted nothing, and whether it was dropped."""

    field: str
    """Where in the extraction, e.g. `signals.security_concern` or `affected.accounts[0]`."""
    reason: str
    source: str | None = None
    id: str | None = None
    quote: str | None = None
    dropped: bool = False
    """True when the finding itself was removed (not only one of its quotes)."""


@dataclass
class Grounding:
    """The extraction with ungrounded findings removed, and what was removed."""

    extraction: Extraction
    ungrounded: list[Ungrounded] = field(default_factory=list)


class _Checker:
    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.ungrounded: list[Ungrounded] = []

    def keep(self, where: str, evidence: list[Evidence]) -> list[Evidence]:
        """The evidence whose quotes are found; the rest is reported."""
        kept = []
        for item in evidence:
            if item.quote in self.corpus:
                kept.append(item)
            else:
                self.ungrounded.append(
                    Ungrounded(field=where, reason=NOT_FOUND, source=item.source, id=item.id, quote=item.quote)
                )
        return kept

    def claim(self, where: str, evidence: list[Evidence]) -> list[Evidence] | None:
        """The found evidence of a finding, or None when none is left (the finding is dropped)."""
        kept = self.keep(where, evidence)
        if kept:
            return kept
        if not evidence:
            self.ungrounded.append(Ungrounded(field=where, reason=NO_EVIDENCE, dropped=True))
        else:
            self.ungrounded[-1] = self.ungrounded[-1].model_copy(update={"dropped": True})
        return None


def _signals(check: _Checker, signals: Signals) -> dict[str, Any]:
    update: dict[str, Any] = {}
    for name in Signals.model_fields:
        signal = getattr(signals, name)
        if not isinstance(signal, Signal):
            continue
        where = f"signals.{name}"
        if signal.present:
            kept = check.claim(where, signal.evidence)
            update[name] = Signal(present=True, evidence=kept) if kept else Signal()
        elif signal.evidence:
            update[name] = Signal(evidence=check.keep(where, signal.evidence))
    if isinstance(update.get("security_concern"), Signal) and not update["security_concern"].present:
        update["security_kind"] = None
    return update


def ground(extraction: Extraction, corpus: Corpus) -> Grounding:
    """`extraction` with every quote checked against `corpus` (see the module docstring)."""
    check = _Checker(corpus)
    x = extraction
    signals = x.signals.model_copy(update=_signals(check, x.signals))

    accounts = []
    for i, account in enumerate(x.affected.accounts):
        if (kept := check.claim(f"affected.accounts[{i}]", account.evidence)) is not None:
            accounts.append(account.model_copy(update={"evidence": kept}))
    affected = x.affected.model_copy(update={"accounts": accounts})
    if x.affected.customer_count is not None or x.affected.segment or x.affected.users_affected is not None:
        if (kept := check.claim("affected", x.affected.evidence)) is None:
            affected = affected.model_copy(
                update={"customer_count": None, "segment": None, "users_affected": None, "evidence": []}
            )
        else:
            affected = affected.model_copy(update={"evidence": kept})
    else:
        affected = affected.model_copy(update={"evidence": check.keep("affected", x.affected.evidence)})

    money = []
    for i, mention in enumerate(x.money):
        if (kept := check.claim(f"money[{i}]", mention.evidence)) is None:
            continue
        if not any(states_amount(e.quote, mention.amount) for e in kept):
            check.ungrounded.append(
                Ungrounded(field=f"money[{i}]", reason=NO_AMOUNT, quote=kept[0].quote, dropped=True)
            )
            continue
        money.append(mention.model_copy(update={"evidence": kept}))

    update: dict[str, Any] = {"signals": signals, "affected": affected, "money": money}
    if x.started_at is not None:
        kept = check.claim("started_at", x.started_evidence)
        started: dict[str, Any] = {"started_at": None, "started_evidence": []} if kept is None else {}
        update |= started or {"started_evidence": kept}
    ask = x.ask
    if ask.customer_deadline is not None:
        kept = check.claim("ask.customer_deadline", ask.evidence)
        dropped: dict[str, Any] = {"customer_deadline": None, "evidence": []}
        ask = ask.model_copy(update=dropped if kept is None else {"evidence": kept})
    else:
        ask = ask.model_copy(update={"evidence": check.keep("ask", ask.evidence)})
    update["ask"] = ask
    update["tried"] = [
        t.model_copy(update={"evidence": check.keep(f"tried[{i}]", t.evidence)}) for i, t in enumerate(x.tried)
    ]
    update["repro"] = x.repro.model_copy(update={"evidence": check.keep("repro", x.repro.evidence)})
    update["communication"] = x.communication.model_copy(
        update={"evidence": check.keep("communication", x.communication.evidence)}
    )
    update["suspicious_instructions"] = check.keep("suspicious_instructions", x.suspicious_instructions)
    return Grounding(extraction=x.model_copy(update=update), ungrounded=check.ungrounded)
