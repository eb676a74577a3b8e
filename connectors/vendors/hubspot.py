"""HubSpot CRM objects (companies, deals, contacts) as an `Account`, and company-search bodies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from connectors.records import Account, Deal
from connectors.vendors.parse import day, dig, keywords, number, text


class CompanyProperties(Protocol):
    """Which company properties hold ARR, plan, renewal and health (they differ per portal)."""

    @property
    def arr_property(self) -> str: ...
    @property
    def plan_property(self) -> str | None: ...
    @property
    def renewal_property(self) -> str | None: ...
    @property
    def health_property(self) -> str | None: ...


def company_url(web_url: str, portal_id: str, company_id: object) -> str:
    """The UI link of a company record."""
    return f"{web_url.rstrip('/')}/contacts/{portal_id}/record/0-2/{company_id}"


def deal_record(raw: Mapping[str, Any]) -> Deal:
    """A deal object as a `Deal`."""
    props = raw.get("properties") or {}
    return Deal(
        name=text(props.get("dealname")) or f"deal {raw.get('id')}",
        amount=number(props.get("amount")),
        stage=text(props.get("dealstage")),
        close_date=day(props.get("closedate")),
    )


def contact_label(raw: Mapping[str, Any]) -> str | None:
    """`First Last <email>` from a contact object."""
    props = raw.get("properties") or {}
    name = " ".join(p for p in (text(props.get("firstname")), text(props.get("lastname"))) if p)
    email = text(props.get("email"))
    return f"{name} <{email}>" if name and email else (name or email)


def account_record(
    raw: Mapping[str, Any],
    settings: CompanyProperties,
    url: str | None,
    deals: Sequence[Mapping[str, Any]] = (),
    contacts: Sequence[Mapping[str, Any]] = (),
    csm: str | None = None,
) -> Account:
    """A company object (with its deals, contacts and owner) as an `Account`."""
    props = raw.get("properties") or {}

    def prop(name: str | None) -> Any:
        return props.get(name) if name else None

    open_deals = [d for d in deals if str(dig(d, "properties", "hs_is_closed")).lower() != "true"]
    return Account(
        source="hubspot",
        source_id=str(raw["id"]),
        url=url,
        name=text(props.get("name")) or f"company {raw['id']}",
        domain=text(props.get("domain")),
        plan=text(prop(settings.plan_property)),
        arr=number(prop(settings.arr_property)),
        renewal_date=day(prop(settings.renewal_property)),
        csm=csm,
        contacts=tuple(c for c in (contact_label(x) for x in contacts) if c),
        open_deals=tuple(deal_record(d) for d in open_deals),
        health=text(prop(settings.health_property)),
    )


def company_search(query: str, properties: list[str], limit: int) -> dict[str, Any]:
    """Search body: by domain when the query looks like one, else exact name OR a name token."""
    value = query.strip()
    if "." in value and " " not in value:
        groups = [[{"propertyName": "domain", "operator": "EQ", "value": value.lower()}]]
    else:
        groups = [[{"propertyName": "name", "operator": "EQ", "value": value}]]
        words = keywords(value, limit=1)
        if words:
            groups.append([{"propertyName": "name", "operator": "CONTAINS_TOKEN", "value": f"{words[0]}*"}])
    return {"filterGroups": [{"filters": g} for g in groups], "properties": properties, "limit": limit}


def best_match(results: Sequence[Mapping[str, Any]], query: str) -> Mapping[str, Any] | None:
    """Exact name or domain first, then a name starting with the query, then HubSpot's order."""
    wanted = query.strip().lower()

    def rank(item: Mapping[str, Any]) -> int:
        props = item.get("properties") or {}
        name, domain = str(props.get("name") or "").lower(), str(props.get("domain") or "").lower()
        return 0 if wanted in (name, domain) else 1 if name.startswith(wanted) else 2

    return min(results, key=rank) if results else None
