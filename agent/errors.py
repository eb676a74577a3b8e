"""Errors the user can fix. The CLI prints their message on one line and exits with status 2."""

from __future__ import annotations


class UsageError(Exception):
    """Bad input or configuration: an empty request, an unknown ticket, an unreadable workspace.

    The message must be one line, say what is wrong and how to fix it, and never contain a secret.
    """


def clip(text: str, limit: int = 80) -> str:
    """`text` on one line and at most `limit` characters, for error messages that name user input
    (a path, an id, a value) without echoing it at length."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
