"""Which customers a request names: known account names first, else capitalized organization
names after 'for', 'at', 'from', 'by' ('... reported by Pinewood Labs, Marlow Books and Sable Foods')."""

from __future__ import annotations

import re

from connectors.records import Account

NOT_NAMES = frozenset(
    "API SSO SAML CSV PDF UI URL SDK Enterprise Business Starter Okta Azure Google Chrome Firefox Safari "
    "Slack Jira The This That Our We It Data Export HTTP REST JSON Customer Customers Account All Users "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Since Today Yesterday January February "
    "March April May June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep "
    "Sept Oct Nov Dec Settings Setting Admin Unit Reports Report Dashboard Console Menu Page Users Schedules "
    "Recipients Spaces Metering Security Authentication Accommodations Integrations Billing Profile Home".split()
)
"""Capitalized words that are products, weekdays or sentence openers, never customer names."""
TITLE_WORDS = frozenset(
    [
        "VP",
        "CEO",
        "CTO",
        "CFO",
        "COO",
        "CISO",
        "CIO",
        "SVP",
        "EVP",
        "Head",
        "Director",
        "Manager",
        "Engineering",
        "Product",
        "Support",
        "Sales",
        "Finance",
        "Legal",
        "Team",
        "Admin",
        "Security",
        "Marketing",
        "IT",
        "Ops",
        "DPO",
        "CSM",
        "AM",
    ]
)
"""Job titles that follow a name ("Acme's VP Engineering") and end it."""
_NAME = r"[A-Z][\w&'’.-]*(?:\s+(?:[A-Z][\w&'’.-]*|&))*"
NAMES_AFTER = re.compile(rf"\b(?:for|at|from|by|customer|account|client)\s+({_NAME}(?:\s*(?:,|\band\b)\s*{_NAME})*)")
_SUBJECT = r"[A-Z][\w&'’.-]+(?:\s+[A-Z][\w&'’.-]+)+"
OPENERS = frozenset(
    "Do Does Did Anyway So But And Also Then Can Could Should Would Is Are Was Were Has Have Please Hi Hello Dear "
    "Thanks OK Ok Right Well Hey If When What Why How Where Who Which After Before Until While Because Last Next "
    "These Those Their My Your His Her Its We They He She It A An Not No Yes Just".split()
)
"""Capitalized words that open a sentence without naming anyone ("Do I need to escalate?")."""
NAMES_AS_SUBJECT = re.compile(
    rf"(?:^|(?<=[.!?:]\s)|(?<=\n))(?:Heads-up from\s+|Flagging\s+)?(?:the\s+)?({_SUBJECT}(?:,\s+{_SUBJECT})*"
    rf"(?:,?\s+and\s+{_SUBJECT})?)(?:\s+both|\s+all)?(?=\s*\(|\s*:\s|['’]s?\s|\s+(?:says?|said|"
    r"told|tells|reports?|reported|wants?|wanted|asked|asks|is|are|has|have|had|was|were|can(?:no|')?t|noticed|wrote|"
    r"emailed|called|phoned|needs?|admins?|authors?|users?|staff|learners?|students?|CSM|IT|team)\b)"
)
"""A multi-word organization name that opens a sentence as its subject ("Harbor Realty ($410k ARR) told us")."""
_WORD_NAME = r"[A-Z][\w&'’.-]+"
LIST_AS_SUBJECT = re.compile(
    rf"(?:^|(?<=[.!?:]\s)|(?<=\n))({_WORD_NAME}(?:,\s+{_WORD_NAME})+,?\s+and\s+(?:now\s+)?{_WORD_NAME})(?=\s+(?:have|has|all|both|"
    r"each|are|were|reported|complained|asked|said|say)\b)"
)
"""Three or more one-word names listed as a sentence's subject ("Glenmoor, Pellworth and Haverleigh have all complained")."""


def _clean(raw: str) -> str | None:
    words: list[str] = []
    for word in raw.split():
        if word in NOT_NAMES or word in TITLE_WORDS:
            break
        possessive = re.match(r"^(.+?)['’]s?$", word)
        words.append(possessive.group(1) if possessive else word)
        if possessive or (word.endswith(".") and len(word) > 4):
            break  # a possessive ends the name, and so does a full stop after a word ('Foods.'; not 'St.')
    name = " ".join(words).strip(" .,;&")
    if not name or not name[0].isupper() or any(ch.isdigit() for ch in name):
        return None  # 'KB-1187', 'Unit 7': references, not organizations
    if len(name.split()) > 1 and name.isupper():
        return None  # a shouted phrase ('IMPORTANT INSTRUCTION'), not a name
    return name


def named_customers(text: str) -> list[str]:
    """Organization names after 'for/at/from/by', a list of them included, in order."""
    found: list[str] = []
    for match in NAMES_AFTER.finditer(text):
        for raw in re.split(r"\s*,\s*|\s+and\s+", match.group(1)):
            name = _clean(raw)
            if name and name not in found:
                found.append(name)
    for match in LIST_AS_SUBJECT.finditer(text):
        for raw in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+(?:now\s+)?", match.group(1)):
            name = _clean(raw)
            if name and name not in OPENERS and name not in found:
                found.append(name)
    for match in NAMES_AS_SUBJECT.finditer(text):
        parts = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", match.group(1))
        for raw in parts:
            name = _clean(raw)
            # One capitalized word alone may open any sentence; in a list of organizations it is one of them.
            if not name or (" " not in name and len(parts) == 1):
                continue
            if name.split()[0] not in OPENERS and name not in found:
                found.append(name)
    return found


_POSSESSIVE = re.compile(r"\b([A-Za-z][\w&-]{3,})['’]s\b")
_SUBJECT_WORD = re.compile(
    r"(?:^|(?<=[.!?]\s))([A-Z][a-z][\w&-]{2,})(?=\s+(?:says?|said|reports?|reported|wants?|asked|asks|is|are|has|"
    r"have|can(?:no|')?t|noticed|needs?|claims?|complain(?:s|ed)?)\b)"
)
_COMMON = frozenset(
    "customer client user team today yesterday tomorrow everyone someone somebody anyone nobody company account "
    "vendor partner system platform product week month year there here what that this who it let he she one "
    "driver admin agent manager owner rider tenant patient member caller".split()
)
"""Words that take a possessive or open a sentence as its subject without naming a customer."""


def name_candidates(text: str) -> list[str]:
    """One-word names a request may use for a customer: a possessive ("harbor's tracking", "Kestrel's 214s")
    or a capitalized subject ("Tollgate says ..."), to look up in the CRM (which matches partial names)."""
    found: list[str] = []
    for word in [*_POSSESSIVE.findall(text), *_SUBJECT_WORD.findall(text)]:
        if word.lower() in _COMMON or word in OPENERS or word in NOT_NAMES or word in TITLE_WORDS:
            continue
        if word.lower() not in (f.lower() for f in found):
            found.append(word)
    return found


def customers_in(text: str, accounts: list[Account]) -> list[str]:
    """Every customer the text names: CRM accounts it mentions (longest names first), also by a shortened
    first word ("Harbor's" for Harborline Produce), then any other capitalized organization name it introduces."""
    lowered = f" {text.lower()} "
    short = [c.lower() for c in name_candidates(text) if len(c) >= 5]
    found: list[str] = []
    for account in sorted(accounts, key=lambda a: -len(a.name)):
        first = account.name.split()[0].lower()
        mentioned = len(first) >= 4 and re.search(rf"\b{re.escape(first)}\b", lowered)
        if account.name.lower() in lowered or mentioned or any(first.startswith(c) for c in short):
            found.append(account.name)
    for name in named_customers(text):
        first = name.split()[0].lower()
        if any(f.lower().startswith(first) or first.startswith(f.split()[0].lower()) for f in found):
            continue
        if accounts:
            continue  # with a CRM that answered, a name it does not know is a person ("from Sabine Gruber")
        if name in HOLIDAYS or name.split()[0] in HOLIDAYS:
            continue
        found.append(name)
    return found


HOLIDAYS = frozenset(
    [
        "New Year",
        "New Year's",
        "Christmas",
        "Easter",
        "Thanksgiving",
        "Halloween",
        "Black Friday",
        "Cyber Monday",
        "Valentine",
        "Hanukkah",
        "Diwali",
        "Ramadan",
        "Eid",
        "Boxing Day",
        "Labor Day",
        "Labour Day",
        "Memorial Day",
        "Independence Day",
    ]
)
"""Names of days people plan around ("a 3-night minimum for New Year's Eve"), never customers."""


ORG_NAME = re.compile(r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2})\b")


def organizations_mentioned(text: str, limit: int = 3) -> list[str]:
    """Multi-word capitalized names in a text ('Nakatomi Trading'): candidate accounts to look up."""
    found: list[str] = []
    for match in ORG_NAME.finditer(text):
        words = match.group(1).split()
        if words[0] in NOT_NAMES or words[0] in TITLE_WORDS or any(w in TITLE_WORDS for w in words):
            continue
        if match.group(1) not in found:
            found.append(match.group(1))
    return found[:limit]
