"""Claude through the Messages API: the only module that imports the `anthropic` SDK.

Import it lazily (the factory does): `import anthropic` costs about a second, and the offline path
must not pay it. Transport retries belong to the SDK (429, 408, 409, 5xx and 529, honouring
`retry-after`); nothing here retries on top of them. SDK errors become `ModelError`s with one short,
sanitized line; a bad key becomes `ModelAuthError`, which the CLI turns into exit status 2.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import anthropic
import httpx2

from agent.models import anthropic_quirks as quirks
from agent.models.anthropic_errors import BatchCreateError, ModelAuthError, ModelConfigError
from agent.models.anthropic_wire import (
    DEFAULT_MODEL,
    build_params,
    has_strict_tools,
    needs_echo,
    parse_message,
    strict_overflow,
    strict_specs,
)
from agent.models.base import ModelCapabilities, ModelError, ModelRequest, ModelTurn
from agent.settings import load_settings

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 120.0
"""Seconds per attempt. The SDK default (10 minutes) is far too long for one tool-calling turn."""
DEFAULT_MAX_RETRIES = 2
_ECHO_LIMIT = 256
_KEY_PATTERN = re.compile(r"sk-ant-[A-Za-z0-9_\-]+")
_FIX_KEY = "set a valid ANTHROPIC_API_KEY, or use --model offline"
_DOWNGRADE_NOTICE = {
    "strict_tools": "The API would not compile the strict extraction schema; it is sent without strict for {model}.",
    "forced_tool_choice": "{model} rejects a forced tool choice; extraction is asked for with tool_choice auto.",
    "synthetic_tool_turns": "{model} wants its own thinking before tool results; prefetched results go as data.",
}


class AnthropicModel:
    """A `Model` backed by the Messages API (Claude, or an Anthropic-compatible local server when
    given its capability `profile`). One SDK client per instance, built once."""

    def __init__(
        self,
        api_key: str | None = None,
        model: str = DEFAULT_MODEL,
        base_url: str | None = None,
        http_client: httpx2.Client | None = None,
        timeout: float | httpx2.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        *,
        profile: ModelCapabilities | None = None,
        provider: str = "anthropic",
    ) -> None:
        key = (api_key or load_settings().api_key()).strip()
        if not key:
            raise ModelAuthError(f"ANTHROPIC_API_KEY is not set: {_FIX_KEY}")
        self._key = key
        self._model = model
        self._max_retries = max_retries
        self._profile = profile
        self._provider = provider
        self._base_url = base_url or load_settings().anthropic_base_url or None
        if isinstance(timeout, (int, float)):
            timeout = httpx2.Timeout(float(timeout), connect=min(5.0, float(timeout)))
        self._client = anthropic.Anthropic(
            api_key=key, base_url=self._base_url, http_client=http_client, timeout=timeout, max_retries=max_retries
        )
        # Raw content of assistant turns that carried thinking blocks, by their tool-call ids: the
        # API wants such a turn sent back exactly as received together with its tool results.
        self._echo: OrderedDict[tuple[str, ...], list[dict[str, Any]]] = OrderedDict()
        self._echo_lock = threading.Lock()  # batch triage may share one model across threads

    @property
    def name(self) -> str:
        """`anthropic:<model id>` (or `<provider>:<model>`), shown in the brief's footer."""
        return f"{self._provider}:{self._model}"

    @property
    def model_id(self) -> str:
        """The model id requests are sent to."""
        return self._model

    @property
    def capabilities(self) -> ModelCapabilities:
        """The profile given, or Claude's documented capabilities minus what the API refused this run."""
        if self._profile is not None:
            return quirks.without(self._profile, quirks.learnt(self._model))
        return quirks.claude_capabilities(self._model)

    def complete(self, request: ModelRequest) -> ModelTurn:
        """One Messages API call. Raises `ModelError` (or `ModelAuthError`) when no answer can be had.

        A strict schema over the documented limits goes out non-strict (preflight); a 400 whose text
        says the schema or a forced tool choice cannot be used is remembered for the model id and the
        call is made once more without it. Either way the turn carries a notice.
        """
        notices: list[str] = []
        overflow = strict_overflow(request, self.capabilities)
        if overflow:
            self._downgrade("strict_tools", notices, f" ({overflow})")
        for _attempt in range(4):  # at most one retry per kind of downgrade
            params = build_params(request, self._model, self.capabilities, echo=self._echoed)
            try:
                message = self._create(params)
                break
            except anthropic.BadRequestError as exc:
                what = quirks.recognise(exc.api_message or str(exc))
                forced = params.get("tool_choice", {}).get("type") in ("tool", "any")
                usable = (
                    (what == "strict_tools" and has_strict_tools(params))
                    or (what == "forced_tool_choice" and forced)
                    or (what == "synthetic_tool_turns" and any(m.synthetic for m in request.messages))
                )
                if what is None or not usable:
                    raise self._status_error(exc) from None
                log.warning("the API refused %s for %s; retrying without it", what, self._model)
                self._downgrade(what, notices)
        else:
            raise ModelError(f"the API kept rejecting the request for {self._model}")
        data = _as_dict(message)
        log.debug(
            "anthropic request %s: stop_reason=%s", getattr(message, "_request_id", None), data.get("stop_reason")
        )
        try:
            turn = parse_message(data, strict_specs(request, params))
        except ModelError as exc:
            raise ModelError(f"{exc} ({self._host()})") from None
        if needs_echo(data):
            self._remember(tuple(c.id for c in turn.tool_calls), list(data.get("content") or []))
        return turn.model_copy(update={"notices": notices}) if notices else turn

    def _downgrade(self, what: quirks.Downgrade, notices: list[str], detail: str = "") -> None:
        quirks.remember(self._model, what)
        notices.append(_DOWNGRADE_NOTICE[what].format(model=self.name).rstrip(".") + detail + ".")

    def close(self) -> None:
        """Close the SDK client (and the injected HTTP client, which it then owns)."""
        self._client.close()

    # --- plumbing --------------------------------------------------------------------------

    def _create(self, params: dict[str, Any]) -> Any:
        try:
            return self._client.messages.create(**params)
        except anthropic.BadRequestError:
            raise
        except anthropic.APIStatusError as exc:
            raise self._status_error(exc) from None
        except anthropic.APITimeoutError:
            raise ModelError(f"Anthropic API timed out after {self._retries_text()} ({self._host()})") from None
        except anthropic.APIConnectionError:
            raise ModelError(f"Anthropic API unreachable after {self._retries_text()} ({self._host()})") from None
        except anthropic.AnthropicError as exc:
            raise ModelError(f"Anthropic client error: {self._clean(str(exc))}") from None

    def _status_error(self, exc: anthropic.APIStatusError) -> ModelError:
        status = exc.status_code
        kind = exc.type or "error"
        detail = self._clean(exc.api_message or "")
        ref = f"; request {exc.request_id}" if exc.request_id else ""
        if status == 401:
            return ModelAuthError(f"Anthropic rejected the API key (401 {kind}{ref}): {_FIX_KEY}")
        if status == 403:
            return ModelAuthError(f"The API key may not use this model or feature (403 {kind}{ref}): {_FIX_KEY}")
        if status == 404:
            return ModelConfigError(
                f"Anthropic does not know model {self._model!r} (404 {kind}{ref}): "
                f"choose another with --model anthropic:MODEL_ID"
            )
        if status in (408, 409, 429) or status >= 500:
            retried = exc.response.headers.get("x-should-retry") != "false"
            when = f"after {self._retries_text()}" if retried else "(not retryable)"
            return ModelError(
                f"Anthropic API unavailable {when} (status {status} {kind}{ref})",
                status=status,
                retry_after=retry_after_seconds(exc.response.headers.get("retry-after")),
            )
        return ModelError(
            f"Anthropic API rejected the request (status {status} {kind}{ref}): {detail}".rstrip(": "), status=status
        )

    def _retries_text(self) -> str:
        return f"{self._max_retries} retr{'y' if self._max_retries == 1 else 'ies'}"

    def _host(self) -> str:
        url = httpx2.URL(str(self._client.base_url))
        return f"{url.host}:{url.port}" if url.port else url.host

    def _clean(self, text: str, limit: int = 200) -> str:
        """One line, short, and never the key (error bodies can echo request data)."""
        text = " ".join(text.split()).replace(self._key, "***")
        text = _KEY_PATTERN.sub("***", text)
        return text if len(text) <= limit else text[: limit - 3] + "..."

    def _remember(self, ids: tuple[str, ...], content: list[dict[str, Any]]) -> None:
        with self._echo_lock:
            self._echo[ids] = content
            while len(self._echo) > _ECHO_LIMIT:
                self._echo.popitem(last=False)

    def _echoed(self, ids: Sequence[str]) -> list[dict[str, Any]] | None:
        with self._echo_lock:
            return self._echo.get(tuple(ids))


def _as_dict(message: Any) -> dict[str, Any]:
    """The response as a dict; a body that is not a message (a proxy's HTML page, a bare string)
    is a `ModelError`, never an AttributeError."""
    to_dict = getattr(message, "to_dict", None)
    data = to_dict() if callable(to_dict) else message
    if not isinstance(data, dict):
        raise ModelError("the API answered with a body that is not a message")
    return data


def retry_after_seconds(value: str | None) -> float | None:
    """A `retry-after` header in seconds (the API sends a number of seconds)."""
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


# --- Message Batches ---------------------------------------------------------------------------


def batches_client(api_key: str, base_url: str | None = None, http_client: httpx2.Client | None = None) -> Any:
    """An SDK client for the Message Batches API (`.messages.batches`), built here so that this stays
    the only module that imports the SDK."""
    return anthropic.Anthropic(api_key=api_key, base_url=base_url, http_client=http_client)


def create_batch(client: Any, requests: list[dict[str, Any]]) -> str:
    """Create a batch and return its id. `create` is not idempotent, so the SDK's automatic retry is
    off for this one call; failures raise `BatchCreateError` with the HTTP status (None: no answer,
    so the batch may or may not exist)."""
    try:
        return str(client.with_options(max_retries=0).messages.batches.create(requests=requests).id)
    except anthropic.APIStatusError as exc:
        raise BatchCreateError(f"batch create failed (status {exc.status_code})", status=exc.status_code) from None
    except anthropic.APIError as exc:
        raise BatchCreateError(f"batch create got no answer ({type(exc).__name__})") from None
