"""The offline extractor: fills `Extraction` from the request and gathered records with transparent
heuristics. Every finding carries the sentence or record it came from."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from agent.extract.evidence import cite, clip, dedupe, from_request
from agent.extract.schema import Affected, AffectedAccount, Evidence, Extraction, Signal, Signals
from agent.gather.names import same_name
from agent.models.offline.details import (
    ask_details,
    communication,
    count_customers,
    error_codes,
    money_mentions,
    repro_details,
    tried_steps,
)
from agent.models.offline.lexicon import READINGS
from agent.models.offline.planner import asked_ticket, request_customers
from agent.models.offline.reconcile import (
    ALARMS,
    HANDLE_READINGS,
    KIND_CATEGORY,
    NOT_CRITERIA,
    alarms_outweighed,
    alarms_set_aside,
    anchored_support,
    claims_outweighed,
    claims_set_aside,
    escalation_kind,
    kind_reading,
    no_criterion,
    outweighed_handles,
    read_as,
    routine_outweighed,
    security_read,
    severity_reading,
)
from agent.models.offline.relevance import Scorer, error_tokens, issue_terms, names_terms, title_coverage, top
from agent.models.offline.signals import HANDLE_CONDITIONS, Passage, Scan, sanitize, scan
from agent.models.offline.text import bound_tokens, duration_before, find_dates, sentences
from agent.models.offline.wording import describe, summarize, why_now
from connectors.records import Account, Article, ChatMessage, Comment, Record, Ticket, TrackerIssue

OPEN = {"new", "open", "pending", "hold", "on-hold"}
CURRENT_DAYS = 21
OTHER_CUSTOMER_SCORE = 0.75
"""Another customer's ticket must cover this share of the symptom's weighted terms to count as the same issue."""


def _passages(
    request_text: str, tickets: list[Ticket], comments: list[Comment], chats: list[ChatMessage]
) -> list[Passage]:
    passages = [Passage(request_text, "request")]
    role_of = {"customer": "customer", "agent": "agent", "internal": "internal", "system": "internal"}
    for ticket in tickets:
        passages.append(Passage(f"{ticket.subject}. {ticket.description}", "ticket", ticket))
        for comment in sorted((c for c in comments if c.ticket_id == ticket.source_id), key=lambda c: c.created_at):
            role = "internal" if not comment.public and comment.author_role == "agent" else role_of[comment.author_role]
            passages.append(Passage(comment.body, role, comment))  # type: ignore[arg-type]
    passages.extend(Passage(m.text, "chat", m) for m in chats)
    return passages


def _signal(evidence: list[Evidence]) -> Signal:
    return Signal(present=bool(evidence), evidence=evidence[:4])


NO_ALTERNATIVE = re.compile(
    r"[^.]*\b(?:no|not any|without an?) (?:supported |documented |known )?(?:alternative|workaround)s?\b[^.]*|"
    r"[^.]*\bno (?:way|option) to (?:work around|get around)\b[^.]*",
    re.I,
)
"""In a limitation article: the sentence that says there is no alternative."""
NOT_IN_KB = re.compile(
    r"\b(?:not|nothing) (?:\S+ )?(?:in|on) (?:the |our )?(?:kb|knowledge ?base|docs|documentation|help cent(?:er|re))\b|"
    r"\bno (?:kb|knowledge ?base|help(?: center| centre)?) (?:article|entry|match)\b|"
    r"\b(?:kb|knowledge ?base|docs) (?:has|have|had|shows?) nothing\b",
    re.I,
)
"""Text saying the knowledge base has nothing on the issue: then no article found by search is its answer."""
WORKAROUND_GIVEN = re.compile(
    r"\b(?:workarounds?|work around it|alternatives?)\s*:|\bas a workaround\b|\bthe workaround is\b", re.I
)
"""In a known-issue article: the words that introduce the workaround it gives."""


def _structural(
    found: Scan, issues: list[TrackerIssue], articles: list[tuple[Article, float]], precedents: list[Ticket]
) -> None:
    """Signals that records state by their structure (tracker state, article type), not by wording."""
    for issue in issues:
        if issue.issue_type == "bug" and not issue.resolved:
            found.add("confirmed_bug", cite(issue))
        if issue.regression_of:
            found.add("regression", cite(issue, f"{issue.key} is a regression of {issue.regression_of}"))
        if issue.issue_type == "feature":
            found.add("feature_request", cite(issue))
    technical = any(
        k in found.found
        # An article that states a policy does not resolve a request for an exception to it.
        for k in (
            "infrastructure_issue",
            "data_loss",
            "production_down",
            "security_concern",
            "confirmed_bug",
            "policy_exception",
        )
    )
    for article, _score in articles:
        kind, status = article.article_type, (article.status or "").lower()
        if kind == "known_issue" and (
            status in ("workaround_available", "workaround available")
            or (WORKAROUND_GIVEN.search(article.body) and not NO_ALTERNATIVE.search(article.body))
        ):
            found.add("workaround_available", cite(article))
        elif kind in ("limitation", "known_limitation"):
            # The seed's handle condition is a limitation *with* an alternative; one without is a feature gap.
            gap = NO_ALTERNATIVE.search(article.body)
            found.add(
                "feature_request" if gap else "known_limitation", cite(article, clip(gap.group(0)) if gap else None)
            )
        # An article saying there is no way round it answers nothing.
        elif (
            kind in ("how_to", "troubleshooting", "faq", "reference")
            and not technical
            and not NO_ALTERNATIVE.search(article.body)
        ):
            found.add("documented_solution", cite(article))
    for ticket in precedents:
        found.add(
            "previously_solved_in_support", cite(ticket, f"#{ticket.source_id} {ticket.subject} ({ticket.status})")
        )


FAULTS = (
    "production_down",
    "data_loss",
    "security_concern",
    "confirmed_bug",
    "regression",
    "infrastructure_issue",
    "blocked",
    "recurring",
    "worsening",
)


def _isolated_is_not_an_outage(found: Scan) -> None:
    """'Everyone else logs in fine; the status page is green': the breadth a customer claimed ('the system is
    down') is contradicted by what support checked, so no outage is read."""
    if "isolated" in found.found:
        found.found.pop("production_down", None)


CONTRADICTS = re.compile(
    r"\b(?:isn't|is not|not) (?:expected|intended|what (?:it|the \S+) says|how it should (?:work|behave))\b|\bcontradicts?\b|"
    r"\b(?:all|still|they|it|both|each) (?:\S+ )?fail(?:s|ed|ing)?\b",
    re.I,
)
"""In a sentence that cites documentation: the words that say what happens is not what it documents."""


def _documentation_that_settles(found: Scan) -> None:
    """A documented solution read from a sentence that asks ("Following KB-155, are you using ...?"), says
    the steps failed ("resent per KB-152; all fail") or that what happens contradicts the article ("per
    KB-150 ... this isn't expected") settles nothing: that evidence is dropped, and the signal with it."""
    said = found.found.get("documented_solution")
    if not said:
        return
    # The engineer's own question ("can I just send her the article?") still names the answer; an agent's
    # troubleshooting question in the ticket does not.
    asked = [e for e in said if e.source != "request" and e.quote.rstrip().endswith("?")]
    kept = [e for e in said if e not in asked and not (CONTRADICTS.search(e.quote) or FAILED_STEPS.search(e.quote))]
    if kept:
        found.found["documented_solution"] = kept
    else:
        found.found.pop("documented_solution")


def _intact_data_is_no_loss(found: Scan, intact: list[Evidence] | None) -> None:
    """'Gone from the portal' beside 'the filter showed all 3,412 entries' (`intact`) and a documented step:
    what support checked contradicts the loss, so none is read. Only when a handle condition is stated and
    nothing but alarms stands beside it (a bug, a breach or anything else keeps the loss)."""
    if not intact or "data_loss" not in found.found:
        return
    if not any(name in found.found for name in HANDLE_CONDITIONS):
        return
    alongside = {*HANDLE_READINGS, *ALARMS, *NOT_CRITERIA, "data_loss"}
    if all(name in alongside for name in found.found):
        found.found.pop("data_loss")


def _no_fault_is_guidance(found: Scan) -> None:
    """A request that says nothing is wrong, and reports no fault, asks for guidance rather than a fix."""
    quiet = "no_fault" in found.found and not any(k in found.found for k in FAULTS)
    if quiet and "feature_request" not in found.found and "guidance_request" not in found.found:
        for evidence in found.found["no_fault"]:
            found.add("guidance_request", evidence)


def _category(s: dict[str, list[Evidence]], money: list[Any]) -> str:
    order = (
        ("security_concern", "security"),
        ("data_loss", "data"),
        ("feature_request", "feature"),
        ("configuration_issue", "configuration"),
        ("guidance_request", "how_to"),
    )
    defect = any(k in s for k in ("confirmed_bug", "regression", "infrastructure_issue", "production_down"))
    if "routine_request" in s and not defect and not any(k in s for k in ("data_loss", "security_concern", "blocked")):
        return "account"
    for key, category in order:
        if key in s and not (defect and category in ("feature", "how_to", "configuration")):
            return category
    if defect:
        return "bug"
    if any(m.kind in ("refund", "credit") for m in money):
        return "billing"
    return "other"


def extract_offline(request: dict[str, Any], records: Sequence[Record], now: datetime) -> Extraction:
    """Fill `Extraction` from the request data (`request`, optional `customer`, `ticket_id`) and records."""
    text: str = bound_tokens(request.get("request", ""))
    records = list({f"{r.kind}:{r.ref}": r for r in records}.values())  # type: ignore[attr-defined]
    tickets = [r for r in records if isinstance(r, Ticket)]
    comments = [r for r in records if isinstance(r, Comment)]
    accounts = [r for r in records if isinstance(r, Account)]
    chats = [r for r in records if isinstance(r, ChatMessage)]
    issues = [r for r in records if isinstance(r, TrackerIssue)]
    articles = [r for r in records if isinstance(r, Article)]
    # Ids and names are read from the request without its injected text ("IMPORTANT INSTRUCTION ...").
    readable = {**request, "request": sanitize([Passage(text, "request")])[0][0].text}
    primary = asked_ticket(request, tickets, readable["request"])
    customers = request_customers(readable, accounts) or ([primary.account] if primary and primary.account else [])

    query_text = text if not primary or primary.subject in text else f"{text} {primary.subject}"
    scorer = Scorer.build(query_text, [*tickets, *issues, *articles, *chats], exclude=names_terms(customers))
    empty_query = not scorer.query

    def current(ticket: Ticket) -> bool:
        return ticket.status.lower() in OPEN or now - ticket.created_at <= timedelta(days=CURRENT_DAYS)

    codes = error_tokens(query_text + (f" {primary.description}" if primary else ""))
    relevant: list[Ticket] = [primary] if primary else []
    for ticket in tickets:
        if ticket in relevant:
            continue
        mine = any(same_name(ticket.account, c) for c in customers)
        score = scorer.score(ticket)
        shared = scorer.shared(ticket)
        same_code = bool(codes & error_tokens(f"{ticket.subject} {ticket.description}"))
        if (
            # The same customer's other tickets are read only when they share the symptom, so that an
            # unrelated outage ticket does not make a how-to question Critical.
            (mine and ((empty_query and current(ticket)) or (score >= 0.3 and (shared >= 2 or len(scorer.query) <= 2))))
            or (
                scorer.shared(ticket) >= 2
                and (score >= 0.9 or (score >= OTHER_CUSTOMER_SCORE and scorer.names_key_terms(ticket.subject)))
            )
            or (same_code and scorer.shared(ticket) >= 1)
        ):
            relevant.append(ticket)
    keys = {k for t in relevant for k in t.tracker_keys}
    linked_issues = [i for i in issues if i.key in keys]
    matched_issues = [
        i for i in top(issues, scorer, OTHER_CUSTOMER_SCORE, 3) if isinstance(i, TrackerIssue) and scorer.shared(i) >= 2
    ]
    tracker = list(dict.fromkeys([*linked_issues, *matched_issues]))
    reopened = {i.regression_of for i in tracker if i.regression_of}
    tracker += [i for i in issues if i.key in reopened and i not in tracker]
    linked_ids = {tid for i in tracker for tid in i.linked_tickets}
    relevant += [
        t
        for t in tickets
        if t not in relevant
        and (t.source_id in linked_ids or set(t.tracker_keys) & {i.key for i in tracker if not i.resolved})
    ]

    # A solved ticket about the same symptom is a precedent (if support solved it), not a new report.
    current_tickets = [t for t in relevant if t is primary or t.status.lower() in OPEN]
    precedents = [
        t
        for t in relevant
        if t not in current_tickets and not t.tracker_keys and t.status.lower() in ("solved", "closed")
    ]
    customer_words = issue_terms(query_text + (f" {primary.description}" if primary else ""))
    article_hits = [(a, max(scorer.score(a), title_coverage(a.title, customer_words))) for a in articles]
    said = [text, *(f"{t.subject}. {t.description}" for t in current_tickets)]
    said += [c.body for c in comments if c.ticket_id in {t.source_id for t in current_tickets}]
    kb = [
        (a, s)
        for a, s in sorted(article_hits, key=lambda p: -p[1])
        if s >= 0.4
        and (scorer.shared(a) >= 2 or title_coverage(a.title, customer_words) > 0)
        and not _already_failed(a, said)
    ][:3]
    named_text = " ".join(said).lower()
    if any(NOT_IN_KB.search(t) for t in said):  # the engineer or agent looked and found nothing that fits
        kb = [(a, s) for a, s in kb if a.source_id.lower() in named_text]
    talk = [m for m in top(chats, scorer, 0.35, 4) if isinstance(m, ChatMessage)]
    talk += [m for m in chats if m not in talk and any(i.key in m.text for i in tracker)][: max(0, 4 - len(talk))]

    passages, injections = sanitize(_passages(text, current_tickets, comments, talk))
    # Knowledge-base and tracker text is never read for findings, but instructions hidden in it are
    # reported all the same (and so kept out of every quote in the brief).
    issues = [r for r in records if isinstance(r, TrackerIssue)]
    references = [Passage(f"{a.title}. {a.body}", "reference", a) for a in articles]
    references += [Passage(f"{i.title}. {i.description}", "reference", i) for i in issues]
    injections += sanitize(references)[1]
    found = scan(passages)
    intact = found.found.pop("data_intact", None)  # weighed only against a loss, once the rest is read
    # The classifier is consulted only where it can change something: no criterion read, a handle
    # condition stated, no security concern read, or no category.
    stated = any(name in found.found for name in HANDLE_CONDITIONS)
    unsafe = "security_concern" in found.found
    reading = kind_reading(passages) if stated or no_criterion(found) or not unsafe else None
    secure = security_read(found, reading, passages)
    alarms = alarms_outweighed(found, reading)
    claims = claims_outweighed(found)
    outweighed = outweighed_handles(found, escalation_kind(reading))
    anchored_support(found, reading, passages)
    # An engineer who says the issue is beyond them has been through what a search finds: only an article
    # the text itself names can still be the answer.
    answers = (
        kb if "beyond_support" not in found.found else [(a, s) for a, s in kb if a.source_id.lower() in named_text]
    )
    _documentation_that_settles(found)
    _structural(found, tracker, answers, precedents)
    _no_fault_is_guidance(found)
    _isolated_is_not_an_outage(found)
    _intact_data_is_no_loss(found, intact)
    detailed = _detail_passages(passages)
    money = money_mentions(detailed)
    signals = Signals(**{name: _signal(ev) for name, ev in found.found.items() if name not in READINGS})
    signals.security_kind = _security_kind(found) if signals.security_concern.present else None  # type: ignore[assignment]

    count, segment, users, count_evidence = count_customers(detailed)
    affected_names: list[tuple[str, list[Evidence]]] = []
    for ticket in current_tickets:
        if ticket.account and not any(same_name(ticket.account, n) for n, _ in affected_names):
            affected_names.append((ticket.account, [cite(ticket)]))
    for position, customer in enumerate(c for c in customers if not any(same_name(c, n) for n, _ in affected_names)):
        affected_names.insert(position, (customer, [from_request(text)]))

    if found.security_kind == "data_exposure":
        _add_exposed(affected_names, passages, accounts)
    started, started_evidence = _started(text[:DETAIL_LIMIT], current_tickets, now)
    problem = text.strip() if len(text.split()) >= 4 or not relevant else relevant[0].subject
    category = _category(found.found, money)
    description = describe(problem, current_tickets, tracker, [a for a, _ in kb], found, now)
    if alarms and reading is not None:
        description = f"{description} {alarms_set_aside(reading, alarms)}"
    if claims:
        description = f"{description} {claims_set_aside(claims)}"
    if secure and reading is not None:
        description = f"{description} {read_as(reading, [])}"
    if reading is None and category == "other":
        reading = kind_reading(passages)
    reading = escalation_kind(reading)
    if reading is not None and (category == "other" or outweighed or routine_outweighed(category, found, reading)):
        category = KIND_CATEGORY[reading.kind]
        description = f"{description} {read_as(reading, outweighed)}"
    extraction = Extraction(
        summary=summarize(problem, [n for n, _ in affected_names], count, segment),
        problem=problem,
        description=description,
        category=category,
        product_area=next((t.product_area for t in current_tickets if t.product_area), None),
        affected=Affected(
            accounts=[AffectedAccount(name=n, evidence=e) for n, e in affected_names],
            customer_count=count,
            segment=segment,
            users_affected=users,
            evidence=count_evidence[:4],
        ),
        started_at=started,
        started_evidence=started_evidence,
        tried=tried_steps(detailed),
        signals=signals,
        error_codes=error_codes(detailed),
        money=money,
        repro=repro_details(detailed),
        communication=communication(
            [c for c in comments if c.ticket_id in {t.source_id for t in current_tickets}], detailed, now
        ),
        ask=ask_details(detailed, now),
        ticket_ids=[t.source_id for t in current_tickets],
        tracker_keys=[i.key for i in tracker],
        article_ids=[a.source_id for a, _ in kb],
        chat_ids=[m.source_id for m in talk],
        suspicious_instructions=dedupe(injections)[:8],
        severity_reading=severity_reading(passages),
    )
    extraction.why_now = why_now(found.found)
    return extraction


FAILED_STEPS = re.compile(
    r"\b(?:didn't|did not|doesn't|does not|no longer|won't|will not) (?:help|work|fix|solve|change)|no luck|no change|"
    r"made no difference|still (?:fail\w*|broken|happen\w*|missing|not|the same|stuck|there|occurs)|(?:tried|followed|applied)\b"
    r"[^.]{0,80}\b(?:but|and) (?:it |they |that )?(?:failed|didn't|did not|still)|\b(?:problem|issue|error|it) (?:still )?"
    r"(?:persists|remains|continues|keeps happening)|\bto no avail\b|\bwithout (?:success|luck)\b|"
    r"\b(?:is|are|got|were|was) (?:\S+ )?stuck\b[^.]{0,40}\b(?:as well|too|again)\b|\bsame (?:result|error|problem|issue|behaviou?r)\b",
    re.I,
)
"""A sentence that says steps were tried and did not solve it."""


def _already_failed(article: Article, texts: list[str]) -> bool:
    """True when the request or the ticket says this article's steps were tried and failed: then it is
    not the documented solution."""
    title = " ".join(article.title.lower().split())
    for text in texts:
        said = sentences(text)
        for at, sentence in enumerate(said):
            lowered = sentence.lower()
            names_it = article.source_id.lower() in lowered or (len(title) > 12 and title in lowered)
            # "Went through the KB-104 checklist: all fine. Problem persists." tells it in the next sentence.
            if names_it and any(FAILED_STEPS.search(s) for s in said[at : at + 2]):
                return True
    return False


DISCLOSURE = re.compile(r"researcher|responsibl\w* disclos|bug bounty|pen(?:etration )?test", re.I)
EXPOSED = re.compile(r"\bexpos(?:es|ed|ing)\b|\bleak(?:s|ed|ing)\b|\bprinted\b|\bpublicly visible\b", re.I)
"""Words that say data or secrets are already out, not merely reachable."""


def _security_kind(found: Scan) -> str | None:
    """A researcher's disclosure is a vulnerability report, even when it describes what an attacker
    could do, unless it says data or secrets are already exposed; customers seeing others' data is an
    exposure."""
    quotes = [e.quote for e in found.found.get("security_concern", [])]
    exposed = any(EXPOSED.search(q) for q in quotes)
    if any(DISCLOSURE.search(q) for q in quotes) and not exposed:
        return "vulnerability"
    return found.security_kind


def _add_exposed(affected: list[tuple[str, list[Evidence]]], passages: list[Passage], accounts: list[Account]) -> None:
    """CRM accounts named in the text of a data-exposure report are affected too: their data was shown."""
    for passage in passages:
        for account in accounts:
            if account.name in passage.text and not any(same_name(account.name, n) for n, _ in affected):
                quote = next(s for s in sentences(passage.text) if account.name in s)
                affected.append((account.name, [passage.evidence(quote)]))


DETAIL_LIMIT = 20_000
"""Characters of each passage read for the brief's details (counts, amounts, steps tried, repro, the ask):
they sit near a text's start, and a megabyte pasted into a comment is read for signals alone."""


def _detail_passages(passages: list[Passage]) -> list[Passage]:
    return [p if len(p.text) <= DETAIL_LIMIT else Passage(p.text[:DETAIL_LIMIT], p.role, p.record) for p in passages]


def _started(text: str, tickets: list[Ticket], now: datetime) -> tuple[datetime | None, list[Evidence]]:
    candidates: list[tuple[datetime, Evidence]] = []
    span = duration_before(text, now)
    if span:
        candidates.append((span[0], from_request(span[1])))
    for sentence in sentences(text):
        if "since" in sentence.lower() or "started" in sentence.lower():
            candidates += [(d, from_request(sentence)) for d, _ in find_dates(sentence, now) if d <= now]
    for ticket in tickets:
        candidates.append((ticket.created_at, cite(ticket, f"opened {ticket.created_at:%Y-%m-%d %H:%M} UTC")))
    if not candidates:
        return None, []
    moment, evidence = min(candidates, key=lambda c: c[0])
    return moment, [evidence]
