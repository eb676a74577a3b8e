"""Pattern detection over the ledger: is a new issue one that was closed as fixed before?"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.act.ledger.brief_data import normalized
from agent.act.ledger.store import Ledger, format_id
from agent.decide.facts import PastFix
from agent.errors import UsageError
from agent.extract.schema import Extraction

SIMILARITY = 0.5
"""Share of the two summaries' distinct words (Jaccard) above which two issues count as the same."""
_STOP = frozenset("a an and are as at be by for from in is it of on or our the their to was we with".split())


@dataclass(frozen=True)
class IssueQuery:
    """The issue of a new brief, as the matcher reads it."""

    summary: str
    product_area: str | None = None
    tracker_keys: Sequence[str] = ()
    tickets: Sequence[str] = ()

    @classmethod
    def from_extraction(cls, extraction: Extraction) -> IssueQuery:
        """From a brief's `Extraction` (what the rules see)."""
        return cls(extraction.summary, extraction.product_area, tuple(extraction.tracker_keys),
                   tuple(extraction.ticket_ids))  # fmt: skip

    @classmethod
    def from_contract(cls, brief: Mapping[str, Any]) -> IssueQuery:
        """From a `to_json` contract dict (its `summary` and `extraction`)."""
        e = brief.get("extraction") or {}
        return cls(
            summary=str(brief.get("summary") or e.get("summary") or ""),
            product_area=e.get("product_area"),
            tracker_keys=tuple(e.get("tracker_keys") or ()),
            tickets=tuple(e.get("ticket_ids") or ()),
        )


@dataclass(frozen=True)
class RecurringMatch:
    """A closed, fixed escalation the new issue matches, and why."""

    escalation_id: str
    summary: str
    closed_at: str | None
    learnings: str | None
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "escalation_id": self.escalation_id,
            "summary": self.summary,
            "closed_at": self.closed_at,
            "learnings": self.learnings,
            "reasons": self.reasons,
        }


def _words(text: str) -> set[str]:
    return {w for w in normalized(text).split() if w not in _STOP and len(w) > 1}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of two summaries' significant words (0..1)."""
    left, right = _words(a), _words(b)
    return len(left & right) / len(left | right) if left and right else 0.0


def recurring_matches(ledger: Ledger, issue: IssueQuery) -> list[RecurringMatch]:
    """Closed escalations marked fixed (`escalate ledger close --fixed`) that `issue` repeats,
    most recently closed first; empty when none.

    A closed escalation matches when it shares a project-tracker key with the issue, or when both
    have the same product area (or either lacks one) and their summaries' significant words overlap
    by at least `SIMILARITY`. Tickets alone never match: a recurrence arrives on new tickets, and
    the old ones are the evidence of the earlier fix. Each match says why (`reasons`).

    Briefs reach it through `past_fixes`; the rule `PAT-REGRESSION` ("recurring issue that was
    supposedly fixed") cites each match's `escalation_id`. Read-only; needs no transaction of its own.
    """
    keys = set(issue.tracker_keys)
    rows = ledger.conn.execute(
        "SELECT id, summary, product_area, tracker_keys, closed_at, learnings FROM escalations "
        "WHERE status = 'closed' AND fixed = 1 ORDER BY closed_at DESC, id DESC"
    ).fetchall()
    found = []
    for r in rows:
        reasons = []
        shared = sorted(keys & set(json.loads(r["tracker_keys"])))
        if shared:
            reasons.append(f"same tracker issue {', '.join(shared)}")
        same_area = not issue.product_area or not r["product_area"] or issue.product_area == r["product_area"]
        score = similarity(issue.summary, r["summary"])
        if same_area and score >= SIMILARITY:
            reasons.append(f"same issue ({score:.0%} of the summary's words)")
        if reasons:
            found.append(RecurringMatch(format_id(r["id"]), r["summary"], r["closed_at"], r["learnings"], reasons))
    return found


def past_fixes(path: Path, extraction: Extraction) -> list[PastFix]:
    """The closed, fixed escalations in the ledger at `path` that this extraction's issue repeats,
    as the rules read them; none when there is no ledger there (or it cannot be read: the ledger's
    own commands report that)."""
    if not path.is_file():
        return []
    try:
        with Ledger(path) as ledger:
            found = recurring_matches(ledger, IssueQuery.from_extraction(extraction))
    except (UsageError, sqlite3.Error):
        return []
    return [PastFix(m.escalation_id, m.summary, m.closed_at, tuple(m.reasons)) for m in found]
