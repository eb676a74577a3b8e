"""How the offline reader's readings meet: the word lists' phrase-by-phrase signals, the issue-kind
classifier's reading of the whole text, and the whole-text severity reading. The classifiers never decide;
the kind reading only sets aside the reader's own phrase readings where it is near certain they mislead,
places an issue no phrase placed, adds a security concern no phrase read, and lets an anchored sentence
stand as a handle condition; the severity reading is handed to the severity rules as it is. What they did
is said in the brief."""

from __future__ import annotations

from agent.extract.evidence import clip, says_written_down
from agent.extract.schema import SeverityReading
from agent.models.offline.anchors import anchored
from agent.models.offline.kinds import Reading, read_kind, telling
from agent.models.offline.severity_reading import read_severity
from agent.models.offline.signals import HANDLE_CONDITIONS, QUOTED_ALARMS, Passage, Scan

KIND_CATEGORY = {"engineering": "bug", "security": "security", "product": "feature", "leadership": "business"}
"""The category an issue gets when no word list placed it and the classifier reads it as this kind."""
KIND_MIN_PROBABILITY = 0.5
"""Below this the classifier's reading is too uncertain to place the issue."""
CONFLICT_MIN_PROBABILITY = 0.85
"""At or above this, a reading of an escalation kind outweighs handle-in-support phrases alone."""
ESCALATION_KINDS = frozenset({"engineering", "security", "product", "leadership"})
HANDLE_READINGS: dict[str, frozenset[str]] = {
    "documented_solution": ESCALATION_KINDS,
    "workaround_available": ESCALATION_KINDS,
    "configuration_issue": ESCALATION_KINDS,
    "guidance_request": ESCALATION_KINDS,
    "known_limitation": ESCALATION_KINDS,
    "previously_solved_in_support": ESCALATION_KINDS,
    # A wish, or a text that says nothing is broken, is not outweighed by a reading of a defect.
    "feature_request": frozenset({"security", "product", "leadership"}),
    "routine_request": frozenset({"security", "product", "leadership"}),
    "no_fault": frozenset({"security", "product", "leadership"}),
}
"""What the word lists read that can let support handle an issue, and the kinds of reading that outweigh it."""


SUPPORT_MIN_PROBABILITY = 0.95
"""At or above this, a reading of support's own work lets an anchored sentence stand as the handle condition."""
CUSTOMER_SIDE = ("request", "ticket", "customer")


def said_by_customer_side(passages: list[Passage]) -> str:
    """What the customer side wrote (the request, tickets, customer comments), as one text."""
    return "\n".join(p.text for p in passages if p.role in CUSTOMER_SIDE)


def passage_saying(passages: list[Passage], sentence: str, roles: tuple[str, ...] = CUSTOMER_SIDE) -> Passage | None:
    """The first passage of one of `roles` that holds `sentence` (a sentence a classifier picked from their
    joined text), so that the sentence can be cited from its record."""
    return next((p for p in passages if p.role in roles and sentence in " ".join(p.text.split())), None)


def kind_reading(passages: list[Passage]) -> Reading | None:
    """The classifier's reading of what the customer side wrote, when it is sure enough to place the issue."""
    said = said_by_customer_side(passages)
    reading = read_kind(said) if said.strip() else None
    if reading is None or reading.probability < KIND_MIN_PROBABILITY:
        return None
    return reading


def escalation_kind(reading: Reading | None) -> Reading | None:
    return reading if reading is not None and reading.kind in ESCALATION_KINDS else None


def anchored_support(found: Scan, reading: Reading | None, passages: list[Passage]) -> str | None:
    """When the word lists read nothing at all and the text reads, with high confidence, as support's own
    work, the most telling sentence that holds a handle condition's anchor words is that condition's
    evidence (so a documented fix worded in a way no list has still counts). Returns the signal added."""
    if found.found or reading is None or reading.kind != "support" or reading.probability < SUPPORT_MIN_PROBABILITY:
        return None
    for sentence in telling(said_by_customer_side(passages), "support")[:3]:
        signal = anchored(sentence)
        passage = passage_saying(passages, sentence)
        if signal is not None and passage is not None:
            found.add(signal, passage.evidence(clip(sentence)))
            return signal
    return None


SECURITY_MIN_PROBABILITY = 0.95
"""At or above this, a reading of a security matter adds the concern the word lists did not read."""


def security_read(found: Scan, reading: Reading | None, passages: list[Passage]) -> bool:
    """When the word lists read an escalation criterion but no security concern, and the text reads, with
    near certainty, as a security matter (a role seeing what only admins may, told in words no list has),
    the concern is read from the classifier's most telling sentence. Returns whether it was added."""
    if reading is None or reading.kind != "security" or reading.probability < SECURITY_MIN_PROBABILITY:
        return False
    if "security_concern" in found.found or no_criterion(found):
        return False
    passage = passage_saying(passages, reading.sentence)
    if passage is None:
        return False
    found.add("security_concern", passage.evidence(clip(reading.sentence)))
    return True


SEVERITY_MIN_WORDS = 20
"""A request shorter than this is not read for severity: the records, not the request, tell the issue."""


def severity_reading(passages: list[Passage]) -> SeverityReading | None:
    """How severe the request reads as a whole, with the sentence that reads most so (the severity rules
    weigh it only where their own criteria are weak)."""
    said = "\n".join(p.text for p in passages if p.role == "request")
    # A pointer ("can you look at ticket 4821 for Acme?") says nothing about how severe the issue is.
    read = read_severity(said) if len(said.split()) >= SEVERITY_MIN_WORDS else None
    if read is None:
        return None
    passage = passage_saying(passages, read.sentence, ("request",))
    evidence = [passage.evidence(clip(read.sentence))] if passage is not None else []
    return SeverityReading(level=read.level, probability=round(read.probability, 3), evidence=evidence)


def no_criterion(found: Scan) -> bool:
    """True when the word lists read nothing but handle-in-support phrases (or nothing at all). Being
    blocked ("I can't approve this") is pain, not a criterion: it escalates only beside a high-value
    account or a feature gap."""
    return all(name in HANDLE_READINGS or name in NOT_CRITERIA for name in found.found)


NOT_CRITERIA = ("isolated", "resolved", "blocked")
"""Readings that describe the issue's state or the customer's pain without being an escalation criterion."""


ROUTINE = ("account", "billing")
"""Categories the rules treat as support's routine requests when nothing is reported broken."""


def routine_outweighed(category: str, found: Scan, reading: Reading | None) -> bool:
    """A request that looks routine (a credit, a plan change) but that reads, with high confidence, as a
    security, product or business matter is not routine; nor is one that looks routine by its amounts alone
    (a refund mentioned) and reads as an engineering problem (refunds that never reach the processor)."""
    if reading is None or category not in ROUTINE or reading.probability < CONFLICT_MIN_PROBABILITY:
        return False
    asked = "routine_request" in found.found  # a stated wish is not outweighed by a reading of a defect
    kinds = HANDLE_READINGS["routine_request"] if asked else ESCALATION_KINDS
    return reading.kind in kinds and no_criterion(found)


ALARM_MIN_PROBABILITY = 0.97
"""At or above this, a reading of support's own work outweighs alarming phrases in a text that also states a
handle-in-support condition."""
ALARMS = (
    "production_down",
    "infrastructure_issue",
    "blocked",
    "worsening",
    "recurring",
    "sla_at_risk",
    "pr_legal_risk",
)
"""Phrase readings that alarming words produce ("URGENT, everything is down", "they'll call their lawyer")
and that a sure reading can set aside beside a stated handle condition. Never data at risk, a security
concern, a churn threat or an executive's involvement (the CRM may make either decisive), a bug or
regression staff confirmed, a breached SLA, a policy exception, or a workaround that failed: those stand
whatever the rest of the text reads like (a reading that calls a privileged-data leak routine must not
silence it)."""


def alarms_outweighed(found: Scan, reading: Reading | None) -> list[str]:
    """Alarming phrases set aside, removed from `found`, when the text states a handle-in-support condition
    and reads as a whole, with near certainty, as support's own work ("URGENT: the dashboard is down!" over
    a documented re-pairing step). Nothing is set aside when any other criterion was read."""
    if reading is None or reading.kind != "support" or reading.probability < ALARM_MIN_PROBABILITY:
        return []
    if not any(name in found.found for name in HANDLE_CONDITIONS):
        return []
    allowed = {*HANDLE_READINGS, *ALARMS, *NOT_CRITERIA}
    if any(name not in allowed for name in found.found):
        return []
    return [name for name in ALARMS if found.found.pop(name, None) is not None]


def claims_outweighed(found: Scan) -> list[str]:
    """Alarming words the writer only quotes, removed from `found`, when the writer's own words state a
    handle-in-support condition and nothing else is read ("she says the portal is 'completely down'; she is
    on a retired app version, KB-2291 says reinstall"). Never when something the writer tried has failed."""
    claimed = [name for name in QUOTED_ALARMS if found.only_quoted(name)]
    if not claimed or any(name in found.found and not found.only_quoted(name) for name in QUOTED_ALARMS):
        return []
    if not any(name in found.found and name in found.own_words for name in HANDLE_CONDITIONS):
        return []
    allowed = {*HANDLE_READINGS, *QUOTED_ALARMS, *NOT_CRITERIA}
    if any(name not in allowed for name in found.found):
        return []
    return [name for name in claimed if found.found.pop(name, None) is not None]


def claims_set_aside(claims: list[str]) -> str:
    names = ", ".join(name.replace("_", " ") for name in claims)
    return (
        f"Alarming words ({names}) appear only inside quotation marks, as the customer's claim, and were set "
        "aside: the writer's own findings state a handle-in-support condition."
    )


def outweighed_handles(found: Scan, reading: Reading | None) -> list[str]:
    """Handle-in-support phrases that a confident reading of an escalation kind outweighs, removed from
    `found` (recall first: a phrase such as "the KB covers it" in a text that reads as data disappearing is
    not enough to send it back to support). Only when the word lists read no escalation criterion."""
    if reading is None or reading.probability < CONFLICT_MIN_PROBABILITY or not no_criterion(found):
        return []
    # A workaround nobody says is written down sends nothing back to support; it only tells the severity
    # rules that the issue has one, so it stays.
    ad_hoc = "workaround_available" in found.found and not says_written_down(found.found["workaround_available"])
    return [
        name
        for name, outweighed_by in HANDLE_READINGS.items()
        if reading.kind in outweighed_by
        and not (ad_hoc and name == "workaround_available")
        and found.found.pop(name, None) is not None
    ]


def alarms_set_aside(reading: Reading, alarms: list[str]) -> str:
    names = ", ".join(name.replace("_", " ") for name in alarms)
    return (
        f"Alarming phrases ({names}) were set aside: the text states a handle-in-support condition and, read "
        f"as a whole, is most like support's own work ({reading.probability:.0%})."
    )


def read_as(reading: Reading, outweighed: list[str]) -> str:
    words = ", ".join(f"'{w}'" for w in reading.words[:3])
    kind = "an engineering" if reading.kind == "engineering" else f"a {reading.kind}"
    set_aside = ", ".join(name.replace("_", " ") for name in outweighed)
    prefix = f"Phrases read as handle-in-support conditions ({set_aside}) were set aside: " if outweighed else ""
    return prefix + (
        f"Read as a whole, the text is most like {kind} matter ({reading.probability:.0%}, from {words}), "
        f'most clearly in: "{clip(reading.sentence, 160)}".'
    )
