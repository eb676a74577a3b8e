"""Reading what vendors say about a response: error envelopes, rate-limit headroom, and making
any of it safe to show (one line, short, no secrets)."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping
from typing import Any

SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key", "cookie"})
REDACTED = "<redacted>"

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_SPACE = re.compile(r"\s+")


def _join(*parts: object) -> str:
    return ": ".join(str(p) for p in parts if p not in (None, "", [], {}))


def vendor_message(body: Any) -> str | None:
    """The message inside any supported vendor's error envelope, or None.

    Shapes: Salesforce `[{errorCode, message}]`; Jira `{errorMessages, errors{field: msg}}`;
    Intercom/Linear `{errors: [{code?, message}]}`; Zendesk `{error, description}` or
    `{error: {title, message}}`; Slack `{ok: false, error}`; HubSpot/Notion/Confluence `{message}`.
    """
    if isinstance(body, list):
        first = body[0] if body else None
        if not isinstance(first, dict):
            return None
        return _join(first.get("errorCode"), first.get("message")) or None
    if not isinstance(body, dict):
        return None
    errors = body.get("errors")
    if "errorMessages" in body or isinstance(errors, dict):
        texts = [str(m) for m in body.get("errorMessages") or []]
        if isinstance(errors, dict):
            texts += [f"{field}: {msg}" for field, msg in errors.items()]
        return "; ".join(texts) or None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return _join(errors[0].get("code"), errors[0].get("message")) or None
    error = body.get("error")
    if isinstance(error, dict):
        return _join(error.get("title"), error.get("message"), error.get("code")) or None
    if isinstance(error, str):
        return _join(error, body.get("description") if isinstance(body.get("description"), str) else None)
    message = body.get("message")
    return message if isinstance(message, str) and message else None


def sanitize(text: str, secrets: Iterable[str] = (), limit: int = 160) -> str:
    """One short line with every known secret value replaced."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    text = _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def secrets_in_headers(headers: Mapping[str, str]) -> list[str]:
    """Every secret value carried by sensitive headers: the whole value, the token after the
    scheme, and for Basic auth the decoded pair and its password part."""
    found: list[str] = []
    for name, value in headers.items():
        if name.lower() not in SENSITIVE_HEADERS or not value:
            continue
        found.append(value)
        scheme, _, token = value.partition(" ")
        if token:
            found.append(token)
        if scheme.lower() == "basic" and token:
            try:
                decoded = base64.b64decode(token, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                continue
            found += [decoded, decoded.partition(":")[2]]
    return [s for s in found if s]


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers as they may be shown: sensitive values replaced, the scheme kept."""
    shown: dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() in SENSITIVE_HEADERS:
            scheme, _, token = value.partition(" ")
            shown[name] = f"{scheme} {REDACTED}" if token else REDACTED
        else:
            shown[name] = value
    return shown


_HEADROOM_PAIRS = (
    ("x-rate-limit-remaining", "x-rate-limit", "per minute"),  # Zendesk account limit
    ("ratelimit-remaining", "ratelimit-limit", "in window"),  # Zendesk list endpoints
    ("x-hubspot-ratelimit-remaining", "x-hubspot-ratelimit-max", "per 10 s"),
    ("x-hubspot-ratelimit-daily-remaining", "x-hubspot-ratelimit-daily", "per day"),
    ("x-ratelimit-requests-remaining", "x-ratelimit-requests-limit", "per hour"),  # Linear
    ("x-ratelimit-remaining", "x-ratelimit-limit", "in window"),  # Intercom, Jira, Confluence
)
_SFORCE_USAGE = re.compile(r"api-usage=(\d+)/(\d+)")


def headroom(headers: Mapping[str, str]) -> str | None:
    """Remaining rate-limit budget as the vendor reports it, e.g. `398/400 per minute`."""
    lowered = {k.lower(): v for k, v in headers.items()}
    for remaining, limit, unit in _HEADROOM_PAIRS:
        if remaining in lowered:
            total = lowered.get(limit, "?").split(",")[0].strip()
            return f"{lowered[remaining].strip()}/{total} {unit}"
    usage = _SFORCE_USAGE.search(lowered.get("sforce-limit-info", ""))
    if usage:
        used, allowed = int(usage.group(1)), int(usage.group(2))
        return f"{allowed - used}/{allowed} per 24 h"
    return None
