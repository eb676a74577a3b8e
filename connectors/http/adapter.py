"""What every REST adapter shares: its HTTP source, its settings, a safe repr and `close`."""

from __future__ import annotations

from typing import Any

from connectors.http.client import HttpSource


class HttpAdapter:
    """Base of the vendor adapters. The repr names only the base URL: never a credential."""

    http: HttpSource
    settings: Any

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.settings.base_url!r})"

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()
