"""Renders a `BriefResult` as markdown with jinja2 (StrictUndefined).

Ticket, chat and KB text only ever enters templates as variables, and is escaped for markdown so
that it cannot forge links, headings, mentions or HTML.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from agent.brief import BriefResult
from agent.extract.evidence import clip
from agent.extract.schema import Evidence
from agent.models.offline.injection import INJECTION
from connectors.records import Account

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_MENTION = re.compile(r"@(channel|here|everyone)\b", re.I)


REMOVED = "[instruction removed]"
MIN_REMOVED_CHARS = 12
"""Shorter pieces of an ignored instruction are left alone (they may be ordinary words)."""
_IGNORED: ContextVar[tuple[str, ...]] = ContextVar("ignored_instructions", default=())
"""The instructions listed as ignored in the brief being rendered: quoted nowhere else in it."""


def _without(text: str, span: str) -> str:
    """`text` with `span`, or its longest leading part of at least `MIN_REMOVED_CHARS` (a clipped
    quote), replaced by `REMOVED` wherever it occurs."""
    least = min(len(span), MIN_REMOVED_CHARS)
    while span[:least] and span[:least] in text:
        low, high = least, len(span)  # the longest prefix still present (presence shrinks with length)
        while low < high:
            mid = (low + high + 1) // 2
            low, high = (mid, high) if span[:mid] in text else (low, mid - 1)
        start = text.index(span[:low])
        text = text[:start] + REMOVED + text[start + low :]
    return text


def _inert(flat: str) -> str:
    return _MENTION.sub(lambda m: "@\u200b" + m.group(1), _MD_SPECIAL.sub(r"\\\1", flat))


def md(text: object) -> str:
    """Untrusted text as one inert markdown line, with any instruction the brief lists as ignored
    cut out of it."""
    flat = " ".join(str(text).split())
    for span in _IGNORED.get():
        flat = _without(flat, span)
    return _inert(flat)


def md_ignored(text: object) -> str:
    """An ignored instruction itself, quoted inert in the brief's list of them."""
    return _inert(" ".join(str(text).split()))


def code(text: object) -> str:
    return str(text).replace("`", "'")


def url(value: object) -> str:
    """Only http(s) links survive; anything else becomes '#'."""
    text = str(value or "")
    return text.replace(")", "%29").replace(" ", "%20") if text.startswith(("https://", "http://")) else "#"


def when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "unknown"


def cite_links(evidence: list[Evidence] | tuple[Evidence, ...]) -> str:
    """' ([demo:1042](url) "quote")' for up to three pieces of evidence."""
    parts = []
    for item in list(evidence)[:3]:
        label = f"{item.source}:{item.id}"
        link = f"[{md(label)}]({url(item.url)})" if item.url else md(label)
        parts.append(f'{link} "{md(clip(item.quote, 120))}"')
    return f" — {'; '.join(parts)}" if parts else ""


def source_links(evidence: list[Evidence] | tuple[Evidence, ...]) -> str:
    """' — [demo:1042](url)' for up to three pieces of evidence, without their quotes."""
    labels = [f"{e.source}:{e.id}" for e in list(evidence)[:3]]
    parts = [
        f"[{md_ignored(label)}]({url(e.url)})" if e.url else md_ignored(label)
        for label, e in zip(labels, evidence, strict=False)
    ]
    return f" — {'; '.join(parts)}" if parts else ""


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("agent.render", "templates"),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=md, md_ignored=md_ignored, source_links=source_links, code=code, url=url, when=when, cite_links=cite_links
    )
    return env


def context_lines(result: BriefResult) -> list[str]:
    """Supporting Context: tickets, internal threads, tracker issues, documentation, CRM, as links."""
    f = result.facts
    lines = []
    for t in f.tickets[:8]:
        lines.append(
            f"Ticket [#{md(t.source_id)} {md(clip(t.subject, 90))}]({url(t.url)}) ({md(t.account or 'no account')}, {md(t.status)}, opened {t.created_at:%Y-%m-%d})"
        )
    for m in f.chats[:4]:
        lines.append(f'Internal discussion [#{md(m.channel)} {md(m.author)}]({url(m.url)}): "{md(clip(m.text, 120))}"')
    for i in f.tracker[:4]:
        extra = f", regression of {md(i.regression_of)}" if i.regression_of else ""
        lines.append(
            f"Tracker [{md(i.key)} {md(clip(i.title, 80))}]({url(i.url)}) ({md(i.status)}{', ' + md(i.assignee) if i.assignee else ''}{extra})"
        )
    for a in f.articles[:3]:
        lines.append(
            f"Documentation [{md(a.source_id)} {md(a.title)}]({url(a.url)}) ({md(a.article_type.replace('_', ' '))}{', ' + md(a.status.replace('_', ' ')) if a.status else ''})"
        )
    for acc in f.accounts:
        if acc.record is not None:
            lines.append(_account_line(acc.record))
    return lines


def _account_line(a: Account) -> str:
    bits = [a.plan or "plan unknown", f"ARR ${a.arr:,.0f}" if a.arr is not None else "ARR unknown"]
    if a.renewal_date:
        bits.append(f"renewal {a.renewal_date:%Y-%m-%d}")
    if a.csm:
        bits.append(f"CSM {a.csm}")
    if a.reference_customer:
        bits.append("reference customer")
    if a.past_escalations:
        bits.append(f"{len(a.past_escalations)} past escalation(s)")
    return f"CRM [{md(a.name)}]({url(a.url)}): {md(', '.join(bits))}"


def missing_texts(result: BriefResult) -> dict[str, str]:
    """What each empty section lacks, and who could supply it."""
    csm = next((a.record.csm for a in result.facts.accounts if a.record and a.record.csm), None)
    owner = f"the account's CSM ({csm})" if csm else "the ticket owner"
    return {
        "tried": f"Ask {owner} or the reporting agent what troubleshooting was done and with what result.",
        "steps": "The reporting agent should reproduce it on a test account and list the exact steps and inputs.",
        "expected": "Missing: the customer or reporting agent can state what should happen.",
        "actual": "Missing: the exact error text or screenshot from the customer.",
        "environment": "Missing: plan, SDK/browser/OS and region, from the customer or the CRM.",
        "frequency": "Missing: always, intermittent, or under which conditions (ask the customer).",
        "last_update": f"No public reply found in the gathered tickets: {owner} should confirm what the customer was last told.",
        "expectation": "Not stated: ask the customer what they expect and by when.",
        "solution": "Link the documentation you used so the next agent can find it.",
    }


def escalation_risk(result: BriefResult) -> str:
    s = result.extraction.signals
    risks = [
        label
        for present, label in (
            (s.churn_threat.present, "churn threatened"),
            (s.executive_involvement.present, "executives involved"),
            (s.pr_legal_risk.present, "public or legal exposure"),
            (bool(result.facts.sla and any(x.breached for x in result.facts.sla)), "SLA already breached"),
        )
        if present
    ]
    stated = result.extraction.communication.escalation_risk
    renewals = result.facts.renewals_within(result.policy.thresholds.renewal_window_days)
    if renewals:
        risks.append("renewal " + ", ".join(f"{n} on {d:%Y-%m-%d}" for n, d in renewals))
    text = "; ".join(risks) if risks else "No churn, executive or public-exposure signal found"
    return f"{text}. {stated}" if stated else text


def solutions(result: BriefResult) -> list[dict[str, str]]:
    return [
        {
            "id": a.source_id,
            "title": a.title,
            "url": a.url or "",
            "kind": a.article_type.replace("_", " "),
            "excerpt": clip(a.body, 240),
        }
        for a in result.facts.articles
    ]


def _next_step_without_article(result: BriefResult) -> str:
    """What the reply offers when no article documents the answer; never a placeholder."""
    fired = {f.id for f in result.decision.fired}
    if "HS-CONFIG" in fired:
        return (
            "This looks like a setting on your side rather than a fault in Lumen; we'll walk you through checking it."
        )
    if "HS-FEATURE-REQUEST" in fired:
        return (
            "This isn't something the product does today. We've logged it as a feature request with our product team."
        )
    if "HS-GUIDANCE" in fired:
        return "Happy to walk you through it step by step; reply with a good time and we'll set up a short call."
    return "We can help with this directly in support and will follow up with the exact steps."


def safe_title(title: str, limit: int = 80) -> str | None:
    """A knowledge-base title fit to show a customer: one short line of plain words, or None when
    it looks like anything but a title (instructions, markup, links)."""
    flat = " ".join(title.split())
    if not flat or len(flat) > limit or not _PLAIN_TITLE.fullmatch(flat) or INJECTION.search(flat):
        return None
    return flat


_PLAIN_TITLE = re.compile(r"[\w .,:;()'&/+%#-]+")


def customer_reply(result: BriefResult) -> str:
    """A suggested reply for a handle-in-support result, from our own wording and vetted facts: it
    quotes no ticket, chat or KB text beyond a short, plain article title, and never echoes the
    engineer's request."""
    articles = result.facts.articles
    lines = ["Hi there,", "", "Thanks for reaching out."]
    article = articles[0] if articles else None
    title = safe_title(article.title) if article else None
    if article is not None and title is not None:
        lines.append(f'This is covered in our guide "{title}": {article.url or ""}'.rstrip(": "))
        lines.append("It walks through the steps; reply here if anything in it doesn't match what you see.")
    elif article is not None and article.url:
        lines.append(f"This is covered in our help center: {article.url}")
    else:
        lines.append(_next_step_without_article(result))
    lines += [
        "",
        "If this doesn't solve it, reply here and we'll dig in right away.",
        "",
        f"Best, {result.request.reported_by or 'Support'}",
    ]
    return "\n".join(lines)


def known_so_far(result: BriefResult) -> list[str]:
    """What an interim update can tell the customer, from the decision and the signals only: no
    ticket, chat or model text is quoted, and no other customer is named."""
    d, s, f = result.decision, result.extraction.signals, result.facts
    known = [f"We've raised it with our {d.target_team} team as a {str(d.severity).lower()}-priority issue."]
    if s.confirmed_bug.present or s.regression.present:
        known.append("We have confirmed the problem on our side.")
    if f.tracker:
        known.append("It is logged in our issue tracker, and we're following its progress.")
    if s.workaround_available.present and not s.workaround_failed.present:
        known.append("A workaround is available in the meantime; reply if you'd like us to walk you through it.")
    if f.distinct_customers >= 2:
        known.append("It is not specific to your account, so a fix will cover every affected account.")
    return known


def next_customer_update(result: BriefResult) -> str:
    """When the next update comes, per the customer cadence for the severity."""
    cadence = result.decision.cadence
    if cadence is None:
        return "soon"
    if "business day" in cadence.customer.lower():
        hours = cadence.customer_hours
        days = f"{hours / 24:g} business day{'s' if hours != 24 else ''}"
        return f"within {days}"
    return f"by {when(result.request.now + timedelta(hours=cadence.customer_hours))}"


def interim_update(result: BriefResult, next_update: datetime | None = None) -> str:
    """The customer update for an open escalation: what we know so far and when the next update
    comes (`next_update`, e.g. the ledger's due time; default: the policy's customer cadence)."""
    lines = ["Hi there,", "", "We're still investigating; here is what we know so far:", ""]
    lines += [f"- {line}" for line in known_so_far(result)]
    coming = f"by {when(next_update)}" if next_update else next_customer_update(result)
    lines += [
        "",
        f"We'll send you our next update {coming}, even if there's no news yet.",
        "",
        f"Best, {result.request.reported_by or 'Support'}",
    ]
    return "\n".join(lines)


def render_markdown(result: BriefResult) -> str:
    """The brief (escalation) or the recommendation (handle in support) as markdown. Instructions
    found in the records are listed once, under "Untrusted instructions ignored", and cut out of
    every other quote of untrusted text."""
    ignored = tuple(" ".join(e.quote.split()) for e in result.extraction.suspicious_instructions)
    token = _IGNORED.set(tuple(q for q in ignored if q))
    try:
        return _render(result)
    finally:
        _IGNORED.reset(token)


def _render(result: BriefResult) -> str:
    d = result.decision
    consulted = ", ".join(sorted({c.split("(")[0] for c in result.gathered.calls})) or "none"
    variables: dict[str, Any] = dict(
        summary=result.extraction.summary,
        d=d,
        e=result.extraction,
        impact=result.impact,
        reported_by=result.request.reported_by or "Support team",
        date=f"{result.request.now:%Y-%m-%d}",
        rules=[f for f in d.fired],
        context=context_lines(result),
        missing=missing_texts(result),
        notices=result.notices,
        model=result.model,
        read_offline=result.read_offline,
        fallback=result.extraction_fallback,
        workspace=result.workspace,
        policy_version=result.policy.version,
        consulted=consulted,
        escalation_risk=escalation_risk(result),
    )
    if not d.escalate:
        precedents = [f"#{e.id}" for f in d.fired if f.id == "HS-PRECEDENT" for e in f.evidence]
        variables.update(
            solutions=solutions(result),
            reply=customer_reply(result),
            precedents=precedents,
            pattern_threshold=result.policy.thresholds.pattern_customers,
        )
        return _environment().get_template("support.md.j2").render(**variables)
    category = result.extraction.category
    is_bug = (
        category in ("bug", "data", "performance", "integration", "security", "other")
        or result.extraction.signals.confirmed_bug.present
    )
    assert d.cadence is not None
    variables.update(
        is_bug=is_bug,
        category_label={
            "feature": "a feature gap",
            "billing": "a billing matter",
            "account": "an account matter",
            "how_to": "a how-to question",
            "configuration": "a configuration matter",
        }.get(category, category),
        next_internal=result.request.now + timedelta(hours=d.cadence.internal_hours),
        next_customer=result.request.now + timedelta(hours=d.cadence.customer_hours),
    )
    return _environment().get_template("brief.md.j2").render(**variables)
