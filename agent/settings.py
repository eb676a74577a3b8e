"""Every environment variable the agent reads, in one place (pydantic-settings), with its default.

Connector secrets are the exception by design: `escalation.toml` names the variable that holds each
vendor token, and `connectors/` reads that variable when it builds the connector.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """The environment as the agent reads it."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    anthropic_api_key: SecretStr | None = Field(default=None, validation_alias="ANTHROPIC_API_KEY")
    """Claude's API key; `--model auto` uses Claude when it is set."""
    anthropic_base_url: str | None = Field(default=None, validation_alias="ANTHROPIC_BASE_URL")
    """Another Messages API endpoint (a proxy, or a local Anthropic-compatible server)."""
    ollama_base_url: str | None = Field(default=None, validation_alias="OLLAMA_BASE_URL")
    """A local Anthropic-compatible server for `--model ollama:MODEL` (default http://localhost:11434)."""
    mcp_token: SecretStr | None = Field(default=None, validation_alias="ESCALATE_MCP_TOKEN")
    """The bearer token MCP clients must send when `escalate mcp --http` listens beyond loopback."""
    ledger: Path | None = Field(default=None, validation_alias="ESCALATE_LEDGER")
    """The escalation ledger file, when `--ledger` is not given."""
    state_dir: Path | None = Field(default=None, validation_alias="ESCALATE_STATE_DIR")
    """Where local state (write claims) lives; default `$XDG_STATE_HOME/escalate`."""
    xdg_data_home: Path | None = Field(default=None, validation_alias=AliasChoices("XDG_DATA_HOME"))
    xdg_state_home: Path | None = Field(default=None, validation_alias=AliasChoices("XDG_STATE_HOME"))

    def api_key(self) -> str:
        """The API key, stripped ('' when unset)."""
        return self.anthropic_api_key.get_secret_value().strip() if self.anthropic_api_key else ""

    def bearer_token(self) -> str | None:
        """The MCP bearer token, stripped (None when unset)."""
        value = self.mcp_token.get_secret_value().strip() if self.mcp_token else ""
        return value or None

    def data_dir(self) -> Path:
        """`$XDG_DATA_HOME/escalate`, or `~/.local/share/escalate`."""
        base = self.xdg_data_home if self.xdg_data_home and self.xdg_data_home.is_absolute() else None
        return (base or Path.home() / ".local" / "share") / "escalate"

    def local_state_dir(self) -> Path:
        """`ESCALATE_STATE_DIR`, else `$XDG_STATE_HOME/escalate`, else `~/.local/state/escalate`."""
        if self.state_dir:
            return self.state_dir.expanduser()
        base = self.xdg_state_home if self.xdg_state_home and self.xdg_state_home.is_absolute() else None
        return (base or Path.home() / ".local" / "state") / "escalate"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """The settings from the process environment, or from `env` when given (tests, subprocesses).
    Empty values count as unset."""
    if env is None:
        return Settings()
    return Settings.model_validate({k: v for k, v in env.items() if v != ""})
