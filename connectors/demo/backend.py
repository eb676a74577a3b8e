"""The five connector protocols over one workspace database (the demo or a workspace file).

Text search uses FTS5 with bm25 ranking when the database has the FTS tables, else LIKE
matching that counts matched tokens. Either way, results with text come best first (ties newest
first) and hits scoring under `RELEVANCE_FLOOR` of the best hit are dropped: tokens are OR-ed for
recall, so without the floor one shared word ("api") would drag in most of the workspace.
Listings without text come newest first.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any, TypeVar

from connectors.demo.rows import KINDS, Kind, row_to_record, utc_text
from connectors.demo.search import fts_query, like_pattern, like_score
from connectors.demo.store import Store
from connectors.records import Account, Article, ChatMessage, Comment, Record, Ticket, TrackerIssue

R = TypeVar("R", bound=Record)

RELEVANCE_FLOOR = 0.4

_CHAT_REPLIES = "(SELECT count(*) FROM chat_messages r WHERE r.thread_id = m.id AND r.id != m.id) AS replies"


class _Connector:
    """Shared plumbing: the store, the record kind, and turning rows into records."""

    kind: Kind

    def __init__(self, store: Store) -> None:
        self.store = store
        self.name = store.source

    def _records(self, rows: list[sqlite3.Row], cls: type[R]) -> list[R]:
        out: list[R] = []
        for row in rows:
            record = row_to_record(self.kind, dict(row), self.store.source)
            assert isinstance(record, cls)
            out.append(record)
        return out

    def _text_search(
        self, cls: type[R], query: str, weights: str, columns: list[str], limit: int, select: str = "m.*"
    ) -> list[R]:
        """Best-first matches of `query` in this kind's table (aliased `m`)."""
        if limit <= 0:
            return []
        table = self.kind.table
        if self.store.has_fts:
            match = fts_query(query)
            if match is None:
                return []
            sql = (
                f"SELECT {select}, bm25({table}_fts, {weights}) AS score FROM {table}_fts "
                f"JOIN {table} m ON m.rowid = {table}_fts.rowid WHERE {table}_fts MATCH ? "
                f"ORDER BY score, m.rowid DESC LIMIT ?"
            )
            return self._records(_relevant(self.store.query(sql, (match, limit)), "score"), cls)
        scored = like_score([f"m.{c}" for c in columns], query)
        if scored is None:
            return []
        expr, params = scored
        sql = (
            f"SELECT * FROM (SELECT {select}, m.rowid AS row_order, ({expr}) AS hits FROM {table} m) "
            f"WHERE hits > 0 ORDER BY hits DESC, row_order DESC LIMIT ?"
        )
        return self._records(_relevant(self.store.query(sql, (*params, limit)), "hits"), cls)


def _relevant(rows: list[sqlite3.Row], column: str) -> list[sqlite3.Row]:
    """Rows (best first) whose score is at least RELEVANCE_FLOOR of the best one.

    Works for bm25 (negative, lower is better) and LIKE hit counts (positive, higher is better).
    """
    if not rows:
        return rows
    best = float(rows[0][column])
    return [row for row in rows if abs(float(row[column])) >= RELEVANCE_FLOOR * abs(best)]


def _since_text(since: datetime | None) -> str | None:
    return utc_text(since) if since is not None else None


class SupportBackend(_Connector):
    """SupportPlatform: tickets and their timelines."""

    kind = KINDS["tickets"]

    def get_ticket(self, ticket_id: str) -> Ticket | None:
        """The ticket with this id (a leading `#` is ignored), or None."""
        rows = self.store.query("SELECT * FROM tickets WHERE id = ?", (ticket_id.strip().lstrip("#"),))
        found = self._records(rows, Ticket)
        return found[0] if found else None

    def ticket_comments(self, ticket_id: str) -> list[Comment]:
        """The ticket's timeline, oldest first; empty for an unknown ticket."""
        rows = self.store.query(
            "SELECT * FROM comments WHERE ticket_id = ? ORDER BY created_at, rowid",
            (ticket_id.strip().lstrip("#"),),
        )
        out: list[Comment] = []
        for row in rows:
            record = row_to_record(KINDS["comments"], dict(row), self.store.source)
            assert isinstance(record, Comment)
            out.append(record)
        return out

    def search_tickets(
        self,
        text: str | None = None,
        customer: str | None = None,
        since: datetime | None = None,
        limit: int = 20,
    ) -> list[Ticket]:
        """Tickets matching `text` (best first) and/or a customer name (newest first).

        `customer` matches the account name case-insensitively, also partially ("acme"), or the
        account's domain. `since` keeps tickets created at or after it. Text with no searchable
        words (only stop words or punctuation) matches nothing.
        """
        if limit <= 0:
            return []
        where: list[str] = []
        params: list[Any] = []
        if customer is not None and customer.strip():
            names = matching_account_names(self.store, customer)
            if not names:
                return []
            where.append(f"lower(t.account) IN ({', '.join('?' for _ in names)})")
            params.extend(names)
        if since is not None:
            where.append("t.created_at >= ?")
            params.append(_since_text(since))
        filters = " AND ".join(where) or "1"
        if text is None or not text.strip():
            sql = f"SELECT t.* FROM tickets t WHERE {filters} ORDER BY t.created_at DESC, t.rowid DESC LIMIT ?"
            return self._records(self.store.query(sql, (*params, limit)), Ticket)
        if self.store.has_fts:
            return self._fts_tickets(text, filters, params, limit)
        return self._like_tickets(text, filters, params, limit)

    def _fts_tickets(self, text: str, filters: str, params: list[Any], limit: int) -> list[Ticket]:
        match = fts_query(text)
        if match is None:
            return []
        # A hit in the timeline counts, at half weight, so a request id quoted in a reply is found.
        sql = f"""
            WITH ticket_hits AS MATERIALIZED (
                SELECT t.id AS id, bm25(tickets_fts, 8.0, 3.0, 2.0, 2.0, 2.0, 4.0) AS score
                FROM tickets_fts JOIN tickets t ON t.rowid = tickets_fts.rowid
                WHERE tickets_fts MATCH ?
            ), comment_hits AS MATERIALIZED (
                SELECT c.ticket_id AS id, bm25(comments_fts) AS score
                FROM comments_fts JOIN comments c ON c.rowid = comments_fts.rowid
                WHERE comments_fts MATCH ?
            ), hits AS (
                SELECT id, score FROM ticket_hits
                UNION ALL
                SELECT id, 0.5 * min(score) FROM comment_hits GROUP BY id
            )
            SELECT t.*, sum(h.score) AS score FROM hits h JOIN tickets t ON t.id = h.id
            WHERE {filters} GROUP BY t.id ORDER BY score, t.created_at DESC LIMIT ?
        """
        return self._records(_relevant(self.store.query(sql, (match, match, *params, limit)), "score"), Ticket)

    def _like_tickets(self, text: str, filters: str, params: list[Any], limit: int) -> list[Ticket]:
        timeline = "(SELECT group_concat(c.body, ' ') FROM comments c WHERE c.ticket_id = t.id)"
        columns = ["t.subject", "t.description", "t.tags", "t.product_area", "t.account", "t.tracker_keys", timeline]
        scored = like_score(columns, text)
        if scored is None:
            return []
        expr, like_params = scored
        sql = (
            f"SELECT * FROM (SELECT t.*, ({expr}) AS hits FROM tickets t WHERE {filters}) "
            "WHERE hits > 0 ORDER BY hits DESC, created_at DESC LIMIT ?"
        )
        return self._records(_relevant(self.store.query(sql, (*like_params, *params, limit)), "hits"), Ticket)


def _normalize_customer(value: str) -> str:
    text = value.strip().lower()
    if "@" in text:
        text = text.rsplit("@", 1)[1]
    for prefix in ("https://", "http://", "www."):
        text = text.removeprefix(prefix)
    return text.split("/", 1)[0] if "." in text.split("/", 1)[0] else text


def _account_rank_sql(column: str = "name", by_domain: bool = True) -> str:
    """How well `column` matches :q (lower is better, 9 means no match)."""
    exact_key = "lower(coalesce(domain, '')) = :q OR lower(id) = :q" if by_domain else "0"
    return f"""
        CASE
            WHEN lower({column}) = :q THEN 0
            WHEN {exact_key} THEN 1
            WHEN lower({column}) LIKE :prefix ESCAPE '\\' THEN 2
            WHEN lower({column}) LIKE :contains ESCAPE '\\' THEN 3
            WHEN length({column}) >= 3 AND instr(:q, lower({column})) > 0 THEN 4
            ELSE 9
        END
    """


def _account_params(value: str) -> dict[str, str]:
    q = _normalize_customer(value)
    escaped = like_pattern(q)[1:-1]
    return {"q": q, "prefix": f"{escaped}%", "contains": f"%{escaped}%"}


def matching_account_names(store: Store, customer: str) -> list[str]:
    """Lower-cased account names (from the CRM and from tickets) that `customer` designates."""
    params = _account_params(customer)
    if not params["q"]:
        return []
    rank = _account_rank_sql()
    names = {str(row[0]) for row in store.query(f"SELECT lower(name) FROM accounts WHERE ({rank}) < 9", params)}
    ticket_rank = _account_rank_sql("account", by_domain=False)
    names.update(
        str(row[0])
        for row in store.query(
            f"SELECT DISTINCT lower(account) FROM tickets WHERE account IS NOT NULL AND ({ticket_rank}) < 9",
            params,
        )
    )
    return sorted(names)


class CRMBackend(_Connector):
    """CRM: customer accounts."""

    kind = KINDS["accounts"]

    def find_account(self, name_or_domain: str) -> Account | None:
        """Best account for a name (case-insensitive, partial ok), domain, email or id; else None.

        Preference: exact name, then domain/id, then name prefix, then substring, then a name
        contained in the query ("Acme Corp team"); ties go to the shortest name.
        """
        params = _account_params(name_or_domain)
        if not params["q"]:
            return None
        sql = (
            f"SELECT * FROM (SELECT *, {_account_rank_sql()} AS rank FROM accounts) "
            "WHERE rank < 9 ORDER BY rank, length(name), name LIMIT 1"
        )
        found = self._records(self.store.query(sql, params), Account)
        return found[0] if found else None

    def list_accounts(self, plan: str | None = None, limit: int = 100) -> list[Account]:
        """Accounts (optionally on one plan, case-insensitive), highest ARR first."""
        if limit <= 0:
            return []
        if plan is None:
            rows = self.store.query("SELECT * FROM accounts ORDER BY arr DESC, name LIMIT ?", (limit,))
        else:
            rows = self.store.query(
                "SELECT * FROM accounts WHERE lower(plan) = lower(?) ORDER BY arr DESC, name LIMIT ?",
                (plan.strip(), limit),
            )
        return self._records(rows, Account)


class ChatBackend(_Connector):
    """Chat: team messages; a thread root reports how many replies it has."""

    kind = KINDS["chat"]

    def search_messages(self, query: str, limit: int = 20) -> list[ChatMessage]:
        """Messages matching the query, best first (ties newest first)."""
        return self._text_search(
            ChatMessage, query, "4.0, 1.0, 1.0", ["text", "channel", "author"], limit, f"m.*, {_CHAT_REPLIES}"
        )


class TrackerBackend(_Connector):
    """Tracker: bugs, features and incidents, with linked tickets."""

    kind = KINDS["tracker"]

    def search_issues(self, query: str, limit: int = 20) -> list[TrackerIssue]:
        """Issues matching the query (also by key or linked ticket id), best first."""
        return self._text_search(
            TrackerIssue,
            query,
            "10.0, 6.0, 2.0, 2.0, 3.0",
            ["key", "title", "description", "labels", "linked_tickets"],
            limit,
        )

    def get_issue(self, key: str) -> TrackerIssue | None:
        """The issue with this key (case-insensitive), or None."""
        rows = self.store.query("SELECT * FROM tracker_issues WHERE key = ? COLLATE NOCASE", (key.strip(),))
        found = self._records(rows, TrackerIssue)
        return found[0] if found else None


class KnowledgeBaseBackend(_Connector):
    """Knowledge base: help-center articles (known issues, how-tos, limitations)."""

    kind = KINDS["articles"]

    def search_articles(self, query: str, limit: int = 10) -> list[Article]:
        """Articles matching the query, best first."""
        return self._text_search(Article, query, "6.0, 1.0, 3.0", ["title", "body", "tags"], limit)
