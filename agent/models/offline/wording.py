"""Plain-language summary, description and "why now" composed from records, never invented."""

from __future__ import annotations

from datetime import datetime

from agent.extract.evidence import clip
from agent.extract.schema import Evidence
from agent.models.offline.signals import Scan
from agent.models.offline.text import sentences
from connectors.records import Article, Ticket, TrackerIssue


def summarize(problem: str, accounts: list[str], count: int | None, segment: str | None) -> str:
    """One line: what is broken or needed, for whom (at most ~100 characters)."""
    line = problem.strip().rstrip(".")
    line = line[0].upper() + line[1:] if line else "Support issue"
    lowered = line.lower()
    if segment and segment.lower() not in lowered:
        line += f" ({segment})"
    elif len(accounts) == 1 and accounts[0].split()[0].lower() not in lowered:
        line += f" for {accounts[0]}"
    elif len(accounts) > 1 and not count and not segment:
        line += f" ({len(accounts)} customers)"
    return clip(line, 100)


def describe(
    problem: str,
    tickets: list[Ticket],
    tracker: list[TrackerIssue],
    articles: list[Article],
    found: Scan,
    now: datetime,
) -> str:
    """Three to five sentences an engineer can read cold: symptom, who and since when, tracker, KB."""
    parts: list[str] = []
    accounts = list(dict.fromkeys(t.account for t in tickets if t.account))
    if tickets:
        first = min(tickets, key=lambda t: t.created_at)
        who = ", ".join(accounts[:4]) + (f" and {len(accounts) - 4} more" if len(accounts) > 4 else "")
        parts.append(
            f"{len(tickets)} open or recent ticket(s) from {who or 'unnamed customers'} report: {first.subject.rstrip('.')}."
        )
        detail = next((s for s in sentences(first.description) if len(s.split()) >= 6), None)
        if detail:
            parts.append(f'Customer\'s words: "{clip(detail, 220)}"')
        parts.append(f"First reported {first.created_at:%Y-%m-%d} ({(now - first.created_at).days} days ago).")
    else:
        parts.append(f"Reported issue: {problem.rstrip('.')}. No matching ticket was found in the connected sources.")
    for issue in tracker[:2]:
        status = "resolved" if issue.resolved else issue.status
        owner = f", assigned to {issue.assignee}" if issue.assignee else ""
        regression = f", a regression of {issue.regression_of}" if issue.regression_of else ""
        parts.append(f'Tracked as {issue.key} "{issue.title}" ({status}{owner}{regression}).')
    for article in articles[:1]:
        parts.append(
            f'Knowledge base: "{article.title}" ({article.article_type.replace("_", " ")}{", " + article.status.replace("_", " ") if article.status else ""}).'
        )
    if not tickets and "infrastructure_issue" in found.found:
        parts.append("The request describes server-side errors.")
    return " ".join(parts[:6])


WHY_NOW_ORDER = (
    ("security_concern", "Potential security exposure"),
    ("production_down", "Production is down for the customer"),
    ("data_loss", "Data integrity is at risk"),
    ("churn_threat", "The customer is threatening to churn"),
    ("sla_breached", "The SLA has been breached"),
    ("executive_involvement", "Executives are involved"),
    ("regression", "A previously fixed issue is back"),
    ("blocked", "Users are blocked"),
    ("pr_legal_risk", "Public or legal exposure"),
    ("policy_exception", "A policy exception is requested"),
)


def why_now(found: dict[str, list[Evidence]]) -> str | None:
    """The strongest reasons in the text, with the quote that states the first one."""
    reasons = [label for key, label in WHY_NOW_ORDER if key in found]
    if not reasons:
        return None
    first_key = next(key for key, _ in WHY_NOW_ORDER if key in found)
    return "; ".join(reasons[:3]) + f' ("{clip(found[first_key][0].quote, 120)}").'
