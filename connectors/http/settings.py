"""Keys every REST adapter understands, and the context used to build one (environment, test
transports, sleep and clock)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx2
from pydantic import Field, field_validator

from connectors.errors import ConfigError
from connectors.http.client import HttpSource, Inspector, build_client
from connectors.http.retry import RetryPolicy
from connectors.settings import SourceSettings
from connectors.urls import check_env_name, check_http_url


class HttpSettings(SourceSettings):
    """Keys every HTTP connector understands."""

    base_url: str
    """The API root, e.g. `https://acme.zendesk.com/api/v2` (configurable for proxies and fakes)."""
    token_env: str
    """Name of the environment variable holding the API token."""
    timeout_seconds: float = Field(20.0, gt=0, le=300, allow_inf_nan=False)
    max_pages: int = Field(5, ge=1, le=100)
    """Pagination is followed at most this many pages per call."""
    max_attempts: int = Field(4, ge=1, le=10)
    max_wait_seconds: float = Field(30.0, ge=0, le=3600, allow_inf_nan=False)
    """Total seconds this source may spend waiting on rate limits in one run."""

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return check_http_url(value)

    @field_validator("token_env")
    @classmethod
    def _env_name(cls, value: str) -> str:
        return check_env_name(value)


@dataclass
class BuildContext:
    """What building a configured connector needs besides its settings."""

    env: Mapping[str, str]
    """Where `token_env` names are looked up (normally `os.environ`)."""
    transports: Mapping[str, httpx2.BaseTransport] = field(default_factory=dict)
    """Per-backend transports for tests (`httpx2.MockTransport`); real network otherwise."""
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    section: str = ""
    """The table being built, e.g. `support`, used in error messages."""

    def secret(self, var: str) -> str:
        """The value of environment variable `var`; a missing one is a one-line `ConfigError`."""
        value = self.env.get(var, "").strip()
        if not value:
            where = f" (needed by [{self.section}])" if self.section else ""
            raise ConfigError(f"environment variable {var} is not set{where}")
        return value

    def policy(self, settings: HttpSettings) -> RetryPolicy:
        """The retry policy for one source."""
        return RetryPolicy(
            max_attempts=settings.max_attempts,
            max_total_wait=settings.max_wait_seconds,
            sleep=self.sleep,
            clock=self.clock,
        )

    def source(
        self,
        settings: HttpSettings,
        auth_headers: Mapping[str, str],
        extra_headers: Mapping[str, str] | None = None,
        inspect: Inspector | None = None,
        base_url: str | None = None,
    ) -> HttpSource:
        """An `HttpSource` for a vendor, over the test transport when one is registered."""
        client = build_client(
            base_url or settings.base_url,
            {**(extra_headers or {}), **auth_headers},
            settings.timeout_seconds,
            transport=self.transports.get(settings.backend),
        )
        return HttpSource(
            settings.backend,
            client,
            self.policy(settings),
            inspect=inspect,
            auth_hint=f"check {settings.token_env}",
        )
