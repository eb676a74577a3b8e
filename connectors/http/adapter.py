"""What every REST adapter shares: its HTTP source, its settings, a safe repr, `close`, and the rule
for secondary lookups (names, owners, links): a record can do without them, so their failure is a
warning and a record without that detail, never a failed read."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from connectors.errors import ConnectorError
from connectors.http.client import HttpSource

log = logging.getLogger(__name__)
T = TypeVar("T")


class HttpAdapter:
    """Base of the vendor adapters. The repr names only the base URL: never a credential."""

    name: str
    http: HttpSource
    settings: Any
    api_version: str = ""
    """The vendor API version the requests follow, shown by `escalate connectors check`."""
    scopes: tuple[str, ...] = ()
    """Scopes (or permissions) the token needs for everything this adapter reads."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.settings.base_url!r})"

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def granted_scopes(self) -> tuple[str, ...] | None:
        """The token's scopes as the vendor reported them (after `check`), or None when it does not."""
        return self.http.granted_scopes

    def unreported_scopes(self) -> str:
        """Why `granted_scopes` is None: the vendor does not report them (adapters whose API tokens
        carry no scopes say so)."""
        return "scopes not reported by the vendor"

    def scope_status(self) -> str:
        """One line for `escalate connectors check`: the needed scopes against those granted, when
        the vendor reports them (call after `check`)."""
        try:
            granted = self.granted_scopes()
        except ConnectorError as exc:
            return f"not checked ({exc.message}); needs {', '.join(self.scopes)}"
        if granted is None:
            return f"{self.unreported_scopes()}; needs {', '.join(self.scopes)}" if self.scopes else "-"
        missing = [s for s in self.scopes if s.split(" ")[0] not in granted]
        return f"missing {', '.join(missing)}" if missing else f"granted: {', '.join(self.scopes)}"

    def secondary(self, what: str, call: Callable[[], T], fallback: T) -> T:
        """`call()`, or `fallback` with a warning naming `what` failed (e.g. "requester names")."""
        try:
            return call()
        except ConnectorError as exc:
            log.warning("%s: %s unavailable (%s); records come without them", self.name, what, exc.message)
            return fallback
