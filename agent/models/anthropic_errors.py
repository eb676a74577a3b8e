"""Model errors the CLI turns into exit status 2, importable without importing the `anthropic` SDK.

`agent.models.anthropic` raises these; the CLI catches `ModelConfigError` (or the narrower
`ModelAuthError`) and prints the one-line message. Loops that catch `ModelError` still catch them.
"""

from __future__ import annotations

from agent.models.base import ModelError


class ModelConfigError(ModelError):
    """The model cannot work as configured (bad key, unknown model id): retrying will not help.

    The message is one line, says how to fix it, and never contains the key.
    """


class ModelAuthError(ModelConfigError):
    """The API key is missing, invalid or lacks permission."""


class BatchCreateError(ModelError):
    """Creating a message batch failed. `status` is None when no answer came back, in which case
    the batch may exist on the server anyway."""
