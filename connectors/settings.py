"""What every category's table in `escalation.toml` has; vendors and MCP sources extend it.

Settings hold only non-secret values: a token is referred to by the NAME of the environment
variable that holds it (`token_env`), and read from the environment when a connector is built.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from connectors.errors import ConfigError

__all__ = ["ConfigError", "SourceSettings"]


class SourceSettings(BaseModel):
    """One category's table in `escalation.toml`; vendors extend it with their own keys."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    backend: str
    """`demo`, `none`, a vendor name such as `zendesk`, or `mcp`."""
