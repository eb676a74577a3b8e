"""Errors the user can fix. The CLI prints their message on one line and exits with status 2."""

from __future__ import annotations


class UsageError(Exception):
    """Bad input or configuration: an empty request, an unknown ticket, an unreadable workspace.

    The message must be one line, say what is wrong and how to fix it, and never contain a secret.
    """
