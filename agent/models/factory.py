"""Picks the model for a run from `--model` and the environment.

Neither the `anthropic` SDK nor the offline model is imported until it is chosen: `import
anthropic` costs about a second, and the offline path must start fast.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from agent.errors import UsageError
from agent.models.anthropic_wire import DEFAULT_MODEL
from agent.models.base import Model
from agent.settings import Settings, load_settings

if TYPE_CHECKING:  # httpx2 costs ~60 ms to import; the offline path never needs it
    import httpx2

MODEL_SPECS = ("auto", "offline", "anthropic", "anthropic:MODEL_ID", "ollama:MODEL")
"""The values `--model` accepts."""

_MODEL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@:\[\]-]*$")
_LOCAL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@:/-]*$")
LOCAL_TIMEOUT = 600.0
"""Seconds per attempt for a local model, which may take minutes on a laptop."""


def make_model(
    spec: str = "auto", env: Mapping[str, str] | None = None, *, http_client: httpx2.Client | None = None
) -> Model:
    """The model for `spec`: `auto` (Claude when ANTHROPIC_API_KEY is set, else offline), `offline`,
    `anthropic` (the default Claude model), `anthropic:MODEL_ID`, or `ollama:MODEL` (a local
    Anthropic-compatible server at `OLLAMA_BASE_URL`, default http://localhost:11434).

    Raises `UsageError` with a one-line fix for an unknown spec or a missing key. `env` stands in for
    the process environment (tests, subprocesses); `http_client` is handed to the Anthropic SDK (tests
    inject a mock transport through it).
    """
    spec = spec.strip()
    settings = load_settings(env)
    key = settings.api_key()
    if spec == "auto":
        spec = "anthropic" if key else "offline"
    if spec == "offline":
        from agent.models.offline.model import OfflineModel

        return OfflineModel()
    if spec == "anthropic" or spec.startswith("anthropic:"):
        model_id = spec.partition(":")[2].strip() or DEFAULT_MODEL
        if not _MODEL_ID.match(model_id):
            raise UsageError(
                f"invalid model id {model_id!r}: use --model anthropic:MODEL_ID, e.g. anthropic:{DEFAULT_MODEL}"
            )
        if not key:
            raise UsageError("--model anthropic needs an API key: set ANTHROPIC_API_KEY, or use --model offline")
        from agent.models.anthropic import AnthropicModel

        return AnthropicModel(
            api_key=key, model=model_id, base_url=settings.anthropic_base_url, http_client=http_client
        )
    if spec.startswith("ollama:"):
        return _local_model(spec.partition(":")[2].strip(), settings, http_client)
    raise UsageError(f"unknown model {spec!r}: use one of {', '.join(MODEL_SPECS)}")


def _local_model(name: str, settings: Settings, http_client: httpx2.Client | None) -> Model:
    from agent.models.local import LOCAL_PROFILE, LOCAL_TOKEN, OLLAMA_DEFAULT_URL, OLLAMA_URL_VARIABLE

    if not name or not _LOCAL_NAME.match(name):
        raise UsageError(f"invalid local model {name!r}: use --model ollama:MODEL, e.g. ollama:qwen3-coder")
    base_url = (settings.ollama_base_url or "").strip() or OLLAMA_DEFAULT_URL
    if not base_url.startswith(("http://", "https://")):
        raise UsageError(f"{OLLAMA_URL_VARIABLE}={base_url!r} is not a URL: use e.g. {OLLAMA_DEFAULT_URL}")
    from agent.models.anthropic import AnthropicModel

    return AnthropicModel(
        api_key=LOCAL_TOKEN,
        model=name,
        base_url=base_url,
        http_client=http_client,
        timeout=LOCAL_TIMEOUT,
        profile=LOCAL_PROFILE,
        provider="ollama",
    )
