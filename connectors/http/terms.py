"""Searching vendors whose search needs every word to match (Slack's `search.messages`, Linear's
`searchIssues`, Notion's title search): the issue's key terms together first, and when that finds
too little, each term alone, merged and ranked by how many terms a hit matches.

A request worded differently from the record it should find ("ingest keeps failing with 500s"
against "Ingest API 500 errors") misses an AND of all its words; one term at a time does not.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from connectors.http.client import concurrently
from connectors.vendors.parse import term_hits

T = TypeVar("T")
ENOUGH = 3
"""Fewer hits than this (or than the limit) for all terms together, and each term is searched alone."""


def search_by_terms(
    terms: list[str],
    search: Callable[[list[str]], list[T]],
    ident: Callable[[T], Hashable],
    text: Callable[[T], str],
    limit: int,
) -> list[T]:
    """Hits of `search(terms)`, topped up with `search([term])` for each term when too few, at most
    `limit`, those matching the most terms first (the vendor's own order breaks ties)."""
    if not terms:
        return []
    found = search(terms)
    if len(terms) > 1 and len(found) < min(limit, ENOUGH):
        merged = {ident(hit): hit for hit in found}
        for hits in concurrently(*(lambda t=t: search([t]) for t in terms)):
            for hit in hits:
                merged.setdefault(ident(hit), hit)
        found = list(merged.values())
    return sorted(found, key=lambda hit: -term_hits(terms, text(hit)))[:limit]
