"""Matching customer names the way people write them: case, punctuation and partial names aside."""

from __future__ import annotations


def normalize_name(name: str) -> str:
    """'Acme, Corp.' -> 'acme corp'."""
    return " ".join(name.lower().replace(",", " ").replace(".", " ").split())


def same_name(a: str | None, b: str | None) -> bool:
    """True when two names refer to the same organization: equal, one a prefix of the other
    ('Acme' ~ 'Acme Corp'), or the same first word."""
    x, y = normalize_name(a or ""), normalize_name(b or "")
    if not x or not y:
        return False
    return x == y or x.startswith(y) or y.startswith(x) or x.split()[0] == y.split()[0]
