"""An in-memory workspace built from a case's inline records (`evals.case.Fixture`).

It implements the five connector protocols of `connectors.base` with the same search semantics
as the demo backend, in miniature: the query is split into the demo's search tokens (stop words
dropped), a record scores one point per token found in its text (with a crude suffix strip, so
"intermittently" finds "intermittent"), and records scoring zero are not returned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from connectors.base import Workspace
from connectors.demo.search import search_stem, tokens
from connectors.records import Account, Article, ChatMessage, Comment, Deal, Ticket, TrackerIssue
from evals.case import Fixture

SOURCE = "fixture"
BASE_URL = "https://fixture.example"
R = TypeVar("R")


def _rank(items: Sequence[R], text_of: Callable[[R], str], query: str | None, limit: int) -> list[R]:
    """Items matching `query` best first (stable order on ties); all items when query is None."""
    if query is None:
        return list(items)[:limit]
    words = [search_stem(w) for w in tokens(query)]
    if not words:
        return []
    scored = [(sum(w in text_of(item).lower() for w in words), n, item) for n, item in enumerate(items)]
    return [item for score, _, item in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0][:limit]


def _same_name(have: str | None, wanted: str) -> bool:
    if not have:
        return False
    a, b = have.lower().strip(), wanted.lower().strip()
    return bool(b) and (a == b or a.startswith(b) or b.startswith(a) or b in a)


class FixtureWorkspace:
    """Typed records from a `Fixture`, and the five read-only connectors over them."""

    def __init__(self, fixture: Fixture) -> None:
        # Like a real support platform's adapter (Zendesk organization_id -> name), a ticket that names
        # its account by id is shown with the account's name.
        names = {a.id: a.name for a in fixture.accounts}
        self.tickets = [
            Ticket(
                source=SOURCE,
                source_id=t.id,
                url=f"{BASE_URL}/tickets/{t.id}",
                subject=t.subject,
                description=t.description,
                status=t.status,
                priority=t.priority,
                requester=t.requester,
                account=names.get(t.account or "", t.account),
                created_at=t.created_at,
                updated_at=t.updated_at,
                sla_due_at=t.sla_due_at,
                tags=tuple(t.tags),
                product_area=t.product_area,
                tracker_keys=tuple(t.tracker_keys),
            )
            for t in fixture.tickets
        ]
        self.comments: dict[str, list[Comment]] = {
            t.id: [
                Comment(
                    source=SOURCE,
                    source_id=f"{t.id}-c{n}",
                    url=f"{BASE_URL}/tickets/{t.id}#c{n}",
                    ticket_id=t.id,
                    author=c.author,
                    author_role=c.role,
                    public=c.public,
                    created_at=c.at,
                    body=c.body,
                )
                for n, c in enumerate(sorted(t.comments, key=lambda c: c.at), start=1)
            ]
            for t in fixture.tickets
        }
        self.accounts = [
            Account(
                source=SOURCE,
                source_id=a.id,
                url=f"{BASE_URL}/accounts/{a.id}",
                name=a.name,
                domain=a.domain,
                plan=a.plan,
                segment=a.segment,
                arr=a.arr,
                renewal_date=a.renewal_date,
                csm=a.csm,
                contacts=tuple(a.contacts),
                reference_customer=a.reference_customer,
                open_deals=tuple(Deal(**d.model_dump()) for d in a.deals),
                past_escalations=tuple(a.past_escalations),
                health=a.health,
            )
            for a in fixture.accounts
        ]
        self.chat = [
            ChatMessage(
                source=SOURCE,
                source_id=m.id,
                url=f"{BASE_URL}/chat/{m.id}",
                channel=m.channel,
                author=m.author,
                posted_at=m.at,
                text=m.text,
                thread_id=m.thread_id,
            )
            for m in fixture.chat
        ]
        self.issues = [
            TrackerIssue(
                source=SOURCE,
                source_id=i.key,
                url=f"{BASE_URL}/issues/{i.key}",
                key=i.key,
                title=i.title,
                issue_type=i.type,
                status=i.status,
                resolved=i.resolved,
                assignee=i.assignee,
                team=i.team,
                priority=i.priority,
                labels=tuple(i.labels),
                linked_tickets=tuple(i.linked_tickets),
                created_at=i.created_at,
                resolved_at=i.resolved_at,
                description=i.description,
                regression_of=i.regression_of,
            )
            for i in fixture.tracker
        ]
        self.articles = [
            Article(
                source=SOURCE,
                source_id=a.id,
                url=f"{BASE_URL}/kb/{a.id}",
                title=a.title,
                article_type=a.type,
                status=a.status,
                body=a.body,
                tags=tuple(a.tags),
                updated_at=a.updated_at,
            )
            for a in fixture.articles
        ]
        self.name = SOURCE

    # --- support platform ---------------------------------------------------------------

    def get_ticket(self, ticket_id: str) -> Ticket | None:
        wanted = ticket_id.strip().lstrip("#")
        return next((t for t in self.tickets if t.source_id == wanted), None)

    def ticket_comments(self, ticket_id: str) -> list[Comment]:
        return list(self.comments.get(ticket_id.strip().lstrip("#"), []))

    def search_tickets(
        self,
        text: str | None = None,
        customer: str | None = None,
        since: datetime | None = None,
        limit: int = 20,
    ) -> list[Ticket]:
        pool = [
            t
            for t in sorted(self.tickets, key=lambda t: t.created_at, reverse=True)
            if (not customer or not customer.strip() or _same_name(t.account, customer))
            and (since is None or t.created_at >= since)
        ]

        def text_of(t: Ticket) -> str:
            return " ".join([t.source_id, t.subject, t.description, *(c.body for c in self.comments[t.source_id])])

        return _rank(pool, text_of, text if text and text.strip() else None, max(0, limit))

    # --- CRM ------------------------------------------------------------------------------

    def find_account(self, name_or_domain: str) -> Account | None:
        wanted = name_or_domain.strip().lower()
        if not wanted:
            return None
        for a in self.accounts:
            if a.name.lower() == wanted or (a.domain or "").lower() == wanted or a.source_id == wanted:
                return a
        return next((a for a in self.accounts if _same_name(a.name, wanted)), None)

    def list_accounts(self, plan: str | None = None, limit: int = 100) -> list[Account]:
        pool = [a for a in self.accounts if plan is None or (a.plan or "").lower() == plan.strip().lower()]
        return sorted(pool, key=lambda a: -(a.arr or 0.0))[: max(0, limit)]

    # --- chat, tracker, knowledge base ----------------------------------------------------

    def search_messages(self, query: str, limit: int = 20) -> list[ChatMessage]:
        pool = sorted(self.chat, key=lambda m: m.posted_at, reverse=True)
        return _rank(pool, lambda m: f"{m.channel} {m.author} {m.text}", query, limit)

    def search_issues(self, query: str, limit: int = 20) -> list[TrackerIssue]:
        return _rank(
            self.issues,
            lambda i: " ".join([i.key, i.title, i.description, *i.labels, *i.linked_tickets]),
            query,
            limit,
        )

    def get_issue(self, key: str) -> TrackerIssue | None:
        return next((i for i in self.issues if i.key.lower() == key.strip().lower()), None)

    def search_articles(self, query: str, limit: int = 10) -> list[Article]:
        return _rank(self.articles, lambda a: " ".join([a.title, a.body, *a.tags]), query, limit)


def fixture_workspace(fixture: Fixture, name: str = SOURCE) -> Workspace:
    """A `Workspace` whose five categories are served by one `FixtureWorkspace`."""
    backend = FixtureWorkspace(fixture)
    return Workspace(name=name, support=backend, crm=backend, chat=backend, tracker=backend, kb=backend)
