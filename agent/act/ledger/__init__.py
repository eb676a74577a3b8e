"""The escalation ledger: what was escalated, what is owed next and when, and the whole history.

An embedded SQLite file (WAL, ordered migrations, one transaction per command, an append-only
event history). Every entry point records the same object: the brief's JSON output contract.
"""

from __future__ import annotations

from agent.act.ledger.brief_data import Observed, observed_from
from agent.act.ledger.mcp import ledger_followups, ledger_list, ledger_record
from agent.act.ledger.paths import ledger_path
from agent.act.ledger.patterns import IssueQuery, RecurringMatch, recurring_matches
from agent.act.ledger.record import Recorded, record_brief
from agent.act.ledger.store import Ledger, format_id, parse_id

__all__ = [
    "IssueQuery",
    "Ledger",
    "Observed",
    "Recorded",
    "RecurringMatch",
    "format_id",
    "ledger_followups",
    "ledger_list",
    "ledger_path",
    "ledger_record",
    "observed_from",
    "parse_id",
    "record_brief",
    "recurring_matches",
]
