"""The `none` workspace: no connectors at all; a brief is built from the request text alone."""

from __future__ import annotations

from connectors.base import Workspace


def empty_workspace() -> Workspace:
    """A workspace with no sources."""
    return Workspace(name="none")
