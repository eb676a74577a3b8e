"""Salesforce Account rows (with subqueries) as an `Account`, and SOQL building with safe literals."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Protocol

from connectors.records import Account, Deal
from connectors.vendors.parse import day, dig, number, text

_ESCAPES = {"\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


class AccountFields(Protocol):
    """Which Account fields hold ARR, plan, renewal and the CSM, and where record links live."""

    @property
    def base_url(self) -> str: ...
    @property
    def web_url(self) -> str | None: ...
    @property
    def arr_field(self) -> str | None: ...
    @property
    def plan_field(self) -> str | None: ...
    @property
    def renewal_field(self) -> str | None: ...
    @property
    def csm_field(self) -> str: ...


def soql_literal(value: str, like: bool = False) -> str:
    """`value` as a quoted SOQL string literal; with `like`, `%` and `_` match literally."""
    # Control characters other than the escapable ones have no place in a name; SOQL rejects them.
    cleaned = "".join(ch for ch in value if ch in _ESCAPES or ch >= " ")
    escaped = "".join(_ESCAPES.get(ch, ch) for ch in cleaned)
    if like:
        escaped = escaped.replace("%", "\\%").replace("_", "\\_")
    return f"'{escaped}'"


def instance_root(settings: AccountFields) -> str:
    """`https://{my-domain}.my.salesforce.com`, where record links live."""
    return (settings.web_url or re.sub(r"/services/data/.*$", "", settings.base_url)).rstrip("/")


def account_soql(settings: AccountFields, query: str) -> str:
    """The Account lookup with Opportunity, Case and Contact subqueries."""
    value = query.strip()
    pattern = soql_literal(value, like=True)[1:-1]
    if "." in value and " " not in value:
        where = f"Website LIKE '%{pattern}%'"
    else:
        where = f"Name = {soql_literal(value)} OR Name LIKE '{pattern}%'"
    return (
        f"SELECT {', '.join(account_fields(settings))}, "
        "(SELECT Id, Name, StageName, Amount, CloseDate FROM Opportunities WHERE IsClosed = false "
        "ORDER BY CloseDate LIMIT 20), "
        "(SELECT Id, CaseNumber, Subject FROM Cases WHERE IsEscalated = true ORDER BY CreatedDate DESC LIMIT 5), "
        "(SELECT Name, Email FROM Contacts LIMIT 10) "
        f"FROM Account WHERE {where} LIMIT 10"
    )


def account_fields(settings: AccountFields) -> list[str]:
    extra = [settings.arr_field, settings.plan_field, settings.renewal_field, settings.csm_field]
    fields = ["Id", "Name", "Website", "Type", "Industry"]
    return fields + [f for f in dict.fromkeys(extra) if f and f not in fields]


def _get(record: Mapping[str, Any], field: str | None) -> Any:
    return dig(record, *field.split(".")) if field else None


def _children(record: Mapping[str, Any], relation: str) -> list[Mapping[str, Any]]:
    return list(dig(record, relation, "records") or [])


def account_record(raw: Mapping[str, Any], settings: AccountFields) -> Account:
    """An Account row (with subquery results, when present) as an `Account`."""
    website = text(raw.get("Website"))
    domain = re.sub(r"^https?://(www\.)?", "", website).rstrip("/") if website else None
    contacts = [
        f"{c.get('Name')} <{c.get('Email')}>" if c.get("Email") else str(c.get("Name"))
        for c in _children(raw, "Contacts")
    ]
    return Account(
        source="salesforce",
        source_id=str(raw["Id"]),
        url=f"{instance_root(settings)}/lightning/r/Account/{raw['Id']}/view",
        name=text(raw.get("Name")) or str(raw["Id"]),
        domain=domain,
        plan=text(_get(raw, settings.plan_field)),
        segment=text(raw.get("Type")),
        arr=number(_get(raw, settings.arr_field)),
        renewal_date=day(_get(raw, settings.renewal_field)),
        csm=text(_get(raw, settings.csm_field)),
        contacts=tuple(contacts),
        open_deals=tuple(
            Deal(
                name=text(o.get("Name")) or str(o.get("Id")),
                amount=number(o.get("Amount")),
                stage=text(o.get("StageName")),
                close_date=day(o.get("CloseDate")),
            )
            for o in _children(raw, "Opportunities")
        ),
        past_escalations=tuple(f"Case {c.get('CaseNumber')}: {c.get('Subject')}" for c in _children(raw, "Cases")),
    )
