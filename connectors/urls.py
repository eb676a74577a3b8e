"""Validation of the URLs and secret names a configuration may hold."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")


def check_http_url(value: str) -> str:
    """`value` if it is an http(s) URL with a host and a valid port; raises ValueError saying what is
    wrong (without echoing the value: it may be a pasted secret)."""
    text = value.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise ValueError("must be an http(s) URL with a valid host and port") from exc
    if parts.scheme not in ("http", "https"):
        raise ValueError("must start with https:// (or http:// for a local server)")
    if not parts.hostname:
        raise ValueError("must name a host, e.g. https://acme.zendesk.com/api/v2")
    if port is not None and not 0 < port < 65536:
        raise ValueError("has a port outside 1-65535")
    if parts.username or parts.password:
        raise ValueError("must not carry credentials: name an environment variable instead")
    return text


def check_env_name(value: str) -> str:
    """`value` if it is an environment variable name; a token pasted in its place is refused."""
    if not ENV_NAME.match(value):
        raise ValueError("must be the NAME of an environment variable holding the secret, not the secret itself")
    return value
