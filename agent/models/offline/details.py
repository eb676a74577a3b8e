"""Offline readings of the brief's detail sections: counts, money, what was tried, repro steps,
customer communication and the ask. Each reading keeps the sentence it came from as evidence."""

from __future__ import annotations

import re
from datetime import datetime

from agent.extract.evidence import clip
from agent.extract.schema import Ask, Communication, Evidence, MoneyMention, Repro, TriedStep
from agent.models.offline.signals import Passage
from agent.models.offline.text import find_dates, is_negated, parse_amount, parse_count, sentences
from connectors.records import Comment

COUNT_WORD = (
    r"(\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|multiple|a few|a couple of)"
)
CUSTOMERS = re.compile(
    COUNT_WORD
    + r"\s+(?:of\s+)?(?:\w+\s+){0,2}?(?:customers|clients|accounts|tenants|organi[sz]ations|orgs|companies)\b",
    re.I,
)
NOT_AFFECTED_BEFORE = re.compile(
    r"(?:[$€£]\s?|\b(?:they|it|she|he|which)\s+(?:has|have|had|manages?|serves?|hosts?)\s+(?:about\s+|over\s+|some\s+|~)?)$",
    re.I,
)
"""Before a count, what makes it an amount ('$4,100 of my tenants' rent') or a size ('they have 6,000 tenants'),
not a number of customers affected."""
ONE_CUSTOMER_AFTER = re.compile(r"\s+(?:at|in|from)\s+(?:one|a single|the same)\s+\w+", re.I)
"""After a count, what places the people at one customer ('several tenants at one property')."""
REPORTS_FROM = re.compile(
    r"\b(?:tickets?|reports?|requests?|complaints?|cases?)\b[^.;]{0,30}?\bfrom\s+"
    + COUNT_WORD
    + r"\s+(?:different\s+|distinct\s+|separate\s+)?(?:\w+\s+)?[a-z]+s\b",
    re.I,
)
"""'9 tickets this month from 6 districts': the count is of the customers that sent them."""
ORDINAL = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
    "6th": 6,
}
NTH_CUSTOMER = re.compile(
    r"\b(" + "|".join(ORDINAL) + r")\s+(?:\w+\s+)?(?:customers?|clients?|accounts?|tenants?|organi[sz]ations?|schools?|"
    r"universit(?:y|ies)|colleges?|hospitals?|clinics?|sites?|instructors?|admins?)\s+(?:this|in the last|in a|in one)\s+"
    r"(?:week|month|quarter|fortnight)",
    re.I,
)
"""'Third customer this week with the same problem': the count is the ordinal."""
USERS = re.compile(
    r"(\d[\d,]*\+?|hundreds of|thousands of)\s+(?:of\s+(?:our|their)\s+)?(?:\w+\s+)?(?:users|seats|employees|people|agents|members)\b",
    re.I,
)
SEGMENT = re.compile(
    r"\b(?:all|every|every one of)\s+(?:of\s+)?(?:our\s+)?(enterprise|business|starter|premium|pro|free|eu|us|paying)?\s*(customers|accounts|tenants|users|orgs)\b",
    re.I,
)
MONEY = re.compile(
    r"\$\s?(\d[\d,]*(?:\.\d+)?)\s?(k|m|mm|million|thousand)?\b|(\d[\d,]*(?:\.\d+)?)\s?(k|m|million|thousand)?\s?(?:usd|dollars)\b",
    re.I,
)
MONEY_KIND = (
    ("refund", "refund"),
    ("credit", "credit"),
    ("arr", "arr"),
    ("annual", "arr"),
    ("per year", "arr"),
    ("a year", "arr"),
    ("contract", "contract"),
    ("deal", "deal"),
    ("renewal", "contract"),
)
TRIED = re.compile(
    r"\b(?:(?:we|i|they|customer|support)\s+(?:have\s+|'ve\s+|already\s+|also\s+)*(?:tried|tested|checked|cleared|"
    r"rotated|restarted|re-?uploaded|reinstalled|updated|upgraded|retried|disabled|enabled|verified|confirmed|switched|"
    r"reproduced|followed|ran|regenerated|reset|removed|added)|tried\s|(?:retries|retrying) with|already (?:tried|checked))",
    re.I,
)
RESULT_CUE = re.compile(
    r"\b(?:but|still|no change|didn't|did not|doesn't|does not|same (?:result|error|behaviou?r)|without (?:luck|success)|which|and it|reduces|helps?|works?)\b",
    re.I,
)
STEP = re.compile(
    r"^(?:\d+[.)]\s*)?(?:go to|open|click|navigate|log ?in|sign in|select|run|call|send|post|get|export|upload|create|set|choose|enter|configure)\b",
    re.I,
)
EXPECTED = re.compile(r"\b(?:expected|should (?:be|return|show|see|contain|include|get)|supposed to)\b(.*)", re.I)
ACTUAL = re.compile(
    r"\b(?:actual(?:ly)?|instead|but (?:we |it |the export |the api )?(?:get|got|gets|returns?|shows?|see|only)|returns?|response is|"
    r"fails? with|failing with|errors? with|shows?|says|gets?)\b(.*)",
    re.I,
)
FREQUENCY = re.compile(
    r"\b(?:intermittent\w*|sporadic\w*|~?\d+(?:\.\d+)?\s?% of (?:requests|calls|exports|logins|users|the time)|every (?:time|login|export|request)|always|sometimes|occasionally|only (?:when|for|on|during|at|after)\b[^.,;]*|at peak[^.,;]*|consistently reproducible|reproducible)",
    re.I,
)
ENVIRONMENT = re.compile(
    r"\b(?:(?:python|node|java|go|ruby|\.net)\s+sdk\s+v?[\d.]+|sdk\s+v?[\d.]+|v\d+\.\d+(?:\.\d+)?|chrome|firefox|safari|edge|windows|macos|linux|ubuntu|ios|android|okta|azure ad|entra id|google workspace|onelogin|us-east-\d|eu-west-\d|eu region|us region|region [\w-]+)\b",
    re.I,
)
RULED_OUT = re.compile(
    r"\b(?:not account[- ]specific|same (?:in|on|with|behaviou?r)|also (?:in|on) (?:chrome|firefox|safari)|reproduced (?:on|with|from) (?:a |our |two |multiple )?\w+|ruled out|not (?:a|an) (?:network|browser|client)[- ]\w+|(?:rotated|regenerated) [^.,;]*(?:no change|same)|status page (?:was |is )?(?:green|all green|operational))",
    re.I,
)
EXPECTATION = re.compile(
    r"\b(?:need (?:this|a fix|an? (?:update|answer|eta)|it)(?: fixed| resolved)?\s+(?:by|before)|expect(?:ing)?|by (?:monday|tuesday|wednesday|thursday|friday|eod|end of (?:day|week|month|quarter))|before (?:our|the) (?:renewal|launch|audit|go-live|board)|(?:deadline|due date) (?:is|of))\b",
    re.I,
)
ASK = re.compile(
    r"\b(?:please|we need (?:you|engineering|someone) to|can (?:you|engineering) (?:please )?)\s*(investigate|look into|fix|prioriti[sz]e|decide|approve|escalate|confirm|patch)\b[^.]*",
    re.I,
)
ERROR_CODE = re.compile(
    r"\b(?:HTTP\s?)?([45]\d\d)\b(?=\s*(?:error|errors|status|response|responses|s\b|internal|bad|service|gateway|forbidden|unauthori|not found|too many))|\"error\"\s*:\s*\"([a-z_]+)\"|(?-i:\b([A-Z][A-Z0-9]+(?:_[A-Z0-9]+)+)\b)|\b((?:invalid|missing|expired)_[a-z_]+)\b",
    re.I,
)


def count_customers(passages: list[Passage]) -> tuple[int | None, str | None, int | None, list[Evidence]]:
    """(customer count, segment, users affected, evidence) stated in the request or tickets."""
    count = segment = users = None
    evidence: list[Evidence] = []
    for p in passages:
        if p.role not in ("request", "ticket", "customer", "agent", "internal"):
            continue
        for sentence in sentences(p.text):
            counted = [(parse_count(m.group(1)), m) for m in CUSTOMERS.finditer(sentence) if _affected(sentence, m)]
            counted += [(ORDINAL[m.group(1).lower()], m) for m in NTH_CUSTOMER.finditer(sentence)]
            counted += [(parse_count(m.group(1)), m) for m in REPORTS_FROM.finditer(sentence) if _affected(sentence, m)]
            for n, m in counted:
                if n and not is_negated(sentence, m.start()) and (count is None or (p.role == "request" and n > count)):
                    count = n
                    evidence.append(p.evidence(sentence))
            seg = SEGMENT.search(sentence)
            if seg and segment is None and not is_negated(sentence, seg.start()):
                segment = " ".join(seg.group(0).split()).replace("all of our", "all").replace("all our", "all")
                segment = segment[0].lower() + segment[1:]
                segment = re.sub(
                    r"\b(enterprise|business|starter|premium|pro)\b", lambda x: x.group(1).capitalize(), segment
                )
                evidence.append(p.evidence(sentence))
            many = USERS.search(sentence)
            if many and many.group(1)[0].isdigit() and not is_negated(sentence, many.start()):
                if users is not None and int(many.group(1).rstrip("+").replace(",", "")) <= users:
                    continue
                users = int(many.group(1).rstrip("+").replace(",", ""))
                evidence.append(p.evidence(sentence))
    return count, segment, users, evidence


def _affected(sentence: str, match: re.Match[str]) -> bool:
    """Whether a counted mention of customers is a number of customers affected."""
    before = sentence[max(0, match.start() - 24) : match.start()]
    # "six of their schools" are one customer's; "$4,100 of my tenants' rent" is an amount.
    owned = re.search(r"\b(?:their|our|its|his|her|my)\b", match.group(0), re.I)
    return not (owned or NOT_AFFECTED_BEFORE.search(before) or ONE_CUSTOMER_AFTER.match(sentence, match.end()))


CLAIM_WORDS = re.compile(r"\b(?:claims?|claimed|says?|said|according to (?:them|the customer)|they state)\b", re.I)


def money_mentions(passages: list[Passage]) -> list[MoneyMention]:
    """Amounts stated in text. None of them is CRM data, so all are marked as claims."""
    found: list[MoneyMention] = []
    for p in passages:
        if p.role == "chat":
            continue
        for sentence in sentences(p.text):
            for m in MONEY.finditer(sentence):
                amount = parse_amount(m.group(1) or m.group(3), m.group(2) or m.group(4))
                lowered = sentence.lower()
                kind = next((k for word, k in MONEY_KIND if word in lowered), "other")
                # The engineer's own request states facts ("ARR is $640k per the CRM") unless it reports
                # what the customer says; everything else is the customer's (or a colleague's) claim.
                start = max(sentence.rfind(";", 0, m.start()), sentence.rfind(",", 0, m.start())) + 1
                end = min(i for i in (sentence.find(";", m.end()), len(sentence)) if i >= 0)
                opened = sentence.rfind("(", 0, m.start())
                if opened > sentence.rfind(")", 0, m.start()):
                    # A parenthetical figure ("Acme ($480k ARR) says ...") is the writer's note on the name.
                    closed = sentence.find(")", m.end())
                    start, end = opened, closed if closed >= 0 else len(sentence)
                claim = p.role != "request" or bool(CLAIM_WORDS.search(sentence[start:end]))
                mention = MoneyMention(amount=amount, kind=kind, customer_claim=claim, evidence=[p.evidence(sentence)])
                if all(x.amount != amount for x in found):
                    found.append(mention)
    return found


FAILURE_TEXT = re.compile(
    r"\b(?:http\s?[45]\d\d|[45]\d\d|errors?|exceptions?|crash\w*|fail\w*|timeouts?|timed out)\b", re.I
)
"""What an 'actual' sentence must mention: the failure itself."""


LIST_STEP = re.compile(
    r"^(?:rotated|checked|retried|retries|restarted|cleared|reinstalled|updated|upgraded|reproduced|tested|tried|disabled|"
    r"enabled|switched|verified|confirmed|re-?uploaded|regenerated|reset|removed|added|downgraded|ran|followed)\b",
    re.I,
)
"""A list item that starts with what was done ("Rotated the API key: no change") is a tried step."""
LIST_RESULT = re.compile(r"\s*(?::|—|->|→|\s-\s)\s*")


def tried_steps(passages: list[Passage]) -> list[TriedStep]:
    """Troubleshooting already done, with its result when the text states one."""
    steps: list[TriedStep] = []
    seen: set[str] = set()
    for p in passages:
        if p.role not in ("ticket", "customer", "agent", "internal", "request"):
            continue
        for sentence in sentences(p.text):
            if sentence.rstrip().endswith((":", "?")):
                continue  # a lead-in ("What we have tried:") or a question, not a step
            m = TRIED.search(sentence)
            if LIST_STEP.match(sentence):
                parts = LIST_RESULT.split(sentence, maxsplit=1)
                step, result = parts[0], (parts[1] if len(parts) > 1 else "")
                cue = RESULT_CUE.search(step)
                if not result and cue:
                    step, result = step[: cue.start()], step[cue.start() :]
            elif m and not is_negated(sentence, m.start()):
                cue = RESULT_CUE.search(sentence, m.end())
                step = sentence[: cue.start()] if cue else sentence
                result = sentence[cue.start() :] if cue else ""
            else:
                continue
            step, result = step.rstrip(" ,;-."), result.strip(" ,;-.") or "result not stated"
            key = step.lower()[:60]
            if key and key not in seen:
                seen.add(key)
                steps.append(TriedStep(step=clip(step, 160), result=clip(result, 160), evidence=[p.evidence(sentence)]))
    return steps[:6]


def repro_details(passages: list[Passage]) -> Repro:
    """Steps, expected/actual, environment, frequency and what was ruled out, as the text states them."""
    repro = Repro()
    evidence: list[Evidence] = []
    envs: list[str] = []
    for p in passages:
        if p.role == "chat":
            continue
        for sentence in sentences(p.text):
            hit = False
            if STEP.search(sentence) and len(repro.steps) < 6 and not sentence.endswith("?"):
                repro.steps.append(clip(sentence, 160))
                hit = True
            if repro.expected is None and EXPECTED.search(sentence):
                repro.expected, hit = clip(sentence, 160), True
            if repro.actual is None and ACTUAL.search(sentence) and FAILURE_TEXT.search(sentence):
                repro.actual, hit = clip(sentence, 200), True
            if repro.frequency is None and (m := FREQUENCY.search(sentence)):
                repro.frequency, hit = clip(m.group(0), 80), True
            for m in ENVIRONMENT.finditer(sentence):
                if m.group(0).lower() not in (e.lower() for e in envs):
                    envs.append(m.group(0))
                    hit = True
            if (m := RULED_OUT.search(sentence)) and len(repro.ruled_out) < 4:
                repro.ruled_out.append(clip(sentence, 140))
                hit = True
            if hit and len(evidence) < 6:
                evidence.append(p.evidence(sentence))
    repro.environment = ", ".join(envs[:6]) or None
    repro.evidence = evidence
    return repro


def error_codes(passages: list[Passage]) -> list[str]:
    """Exact HTTP statuses and error codes seen in tickets and the request."""
    codes: list[str] = []
    for p in passages:
        for m in ERROR_CODE.finditer(p.text):
            code = next(g for g in m.groups() if g)
            code = f"HTTP {code}" if code.isdigit() else code
            if code not in codes:
                codes.append(code)
    return codes[:8]


def communication(comments: list[Comment], passages: list[Passage], now: datetime) -> Communication:
    """Last update to the customer, what they expect, and what they say they will do."""
    comms = Communication()
    public = sorted((c for c in comments if c.author_role == "agent" and c.public), key=lambda c: c.created_at)
    evidence: list[Evidence] = []
    if public:
        last = public[-1]
        comms.last_update_at = last.created_at
        comms.last_update = clip(last.body, 200)
        evidence.append(Evidence(source=last.source, id=last.source_id, url=last.url, quote=clip(last.body)))
    dated: tuple[str, Passage] | None = None
    for p in passages:
        if p.role not in ("customer", "ticket", "request"):
            continue
        for sentence in sentences(p.text):
            if comms.expectation is None and EXPECTATION.search(sentence):
                comms.expectation = clip(sentence, 200)
                evidence.append(p.evidence(sentence))
            elif dated is None and any(d > now for d, _ in find_dates(sentence, now)):
                dated = (sentence, p)
    if comms.expectation is None and dated is not None:
        # A customer sentence that names a future date is the deadline they hold us to.
        comms.expectation = clip(dated[0], 200)
        evidence.append(dated[1].evidence(dated[0]))
    comms.evidence = evidence
    return comms


def ask_details(passages: list[Passage], now: datetime) -> Ask:
    """The requester's own ask and any deadline they state."""
    ask = Ask()
    for p in passages:
        if p.role not in ("request", "customer", "ticket", "internal"):
            continue
        for sentence in sentences(p.text):
            m = ASK.search(sentence)
            if m and ask.detail is None:
                ask.detail = clip(m.group(0), 160)
                ask.evidence.append(p.evidence(sentence))
            if ask.customer_deadline is None and EXPECTATION.search(sentence):
                future = [d for d, _ in find_dates(sentence, now) if d > now]
                if future:
                    ask.customer_deadline = min(future)
                    ask.evidence.append(p.evidence(sentence))
    return ask
