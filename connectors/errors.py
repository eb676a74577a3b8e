"""Every error the connectors raise, in one leaf module that imports nothing else of the package.

```
Exception
 +-- ConnectorError          a backend could not answer (the source is marked unavailable)
 +-- ConfigError             escalation.toml is wrong or incomplete
 +-- WorkspaceNotFound       a --workspace value names nothing usable
 |    +-- WorkspaceFileError a path is not a usable workspace file (also a ValueError)
 +-- ImportFileError         a file to import cannot be read at all (a ValueError)
```

Messages are safe to show: one line, no secrets, no tracebacks.
"""

from __future__ import annotations


class ConnectorError(Exception):
    """A backend could not answer. The message is safe to show: no secrets, no tracebacks."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message


class ConfigError(Exception):
    """The configuration is wrong or incomplete. One line, names the fix, never holds a secret."""


class WorkspaceNotFound(Exception):
    """The workspace value names neither a built-in workspace nor a readable workspace file (or
    the connector configuration is unusable)."""


class WorkspaceFileError(WorkspaceNotFound, ValueError):
    """A path is not a usable workspace file (not SQLite, not a workspace, or from a newer version).

    Also a ValueError, so callers treating bad input generically (the CLI) report it as such.
    """


class ImportFileError(ValueError):
    """The file to import cannot be read at all (missing, not UTF-8, unknown kind or format)."""
