"""The one place HTTP clients are built, and the one boundary where HTTP outcomes become records
or `ConnectorError`s.

`HttpSource` wraps a client for one vendor: it retries reads (408, 429, 5xx, connection errors,
timeouts) on the shared policy, retries writes only when the request was certainly not processed
(connection refused, 408, 429), reads vendor errors hidden in HTTP 200 through an `inspect` hook,
and turns everything else into a short message with every secret removed. A client is safe to use
from several threads at once, which is how the agent's tools call it.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from threading import Lock
from typing import Any

import httpx2

from connectors.errors import ConnectorError
from connectors.http.envelope import headroom, sanitize, secrets_in_headers, vendor_message
from connectors.http.retry import RETRYABLE_STATUS, Retryable, RetryPolicy, WaitBudget, call_with_retry, wait_hint

USER_AGENT = "escalate/0.1 (+connectors)"
JSON_UTF8 = "application/json; charset=utf-8"

Inspector = Callable[[httpx2.Response, Any], None]
"""Vendor hook run on every parsed response; raises `Retryable` (its wait is read from the
headers when the hook gives none), `VendorError` or `NotFound`."""

_INVALID = object()


class VendorError(Exception):
    """A final failure the vendor reported; the message is sanitized before anyone sees it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(VendorError):
    """The object does not exist (for APIs that say so inside a 200, like GraphQL)."""


def build_client(
    base_url: str,
    auth_headers: Mapping[str, str],
    timeout: float,
    transport: httpx2.BaseTransport | None = None,
) -> httpx2.Client:
    """An HTTP client for one vendor: base URL, auth headers, timeouts, no redirects.

    `transport` is for tests (`httpx2.MockTransport`) and is otherwise left to httpx2's default.
    """
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **auth_headers}
    return httpx2.Client(
        base_url=base_url,
        headers=headers,
        timeout=httpx2.Timeout(timeout, connect=min(timeout, 10.0)),
        transport=transport,
        follow_redirects=False,
    )


def concurrently(*calls: Callable[[], Any]) -> list[Any]:
    """Run independent requests of one lookup at the same time; results in call order, and the
    first failure re-raised. Keeps a lookup's latency at its longest dependency chain."""
    if len(calls) <= 1:
        return [call() for call in calls]
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(call) for call in calls]
        return [future.result() for future in futures]


def bearer(token: str) -> dict[str, str]:
    """`Authorization: Bearer <token>`."""
    return {"Authorization": f"Bearer {token}"}


def basic(user: str, secret: str) -> dict[str, str]:
    """`Authorization: Basic base64(user:secret)`."""
    pair = base64.b64encode(f"{user}:{secret}".encode()).decode("ascii")
    return {"Authorization": f"Basic {pair}"}


class HttpSource:
    """One vendor's client plus the retry policy, wait budget and error mapping it runs under."""

    def __init__(
        self,
        name: str,
        client: httpx2.Client,
        policy: RetryPolicy | None = None,
        inspect: Inspector | None = None,
        auth_hint: str = "",
    ) -> None:
        self.name = name
        self.client = client
        self.timeout = float(client.timeout.read or 20.0)
        """Seconds one call may take in all, its retries included (waits for rate limits aside)."""
        self.policy = policy or RetryPolicy()
        self.budget = WaitBudget(self.policy.max_total_wait)
        self.inspect = inspect
        self.auth_hint = auth_hint
        """Appended to auth failures, e.g. `check ZENDESK_API_TOKEN` (a variable name, never a value)."""
        self._secrets = secrets_in_headers(client.headers)
        self._lock = Lock()
        self._headroom: str | None = None
        self._scopes: tuple[str, ...] | None = None

    def __repr__(self) -> str:
        return f"HttpSource({self.name!r}, {str(self.client.base_url)!r})"

    @property
    def headroom(self) -> str | None:
        """Rate-limit headroom from the latest successful response that reported it (a 429's
        `0/100` says nothing about the budget once the window has passed)."""
        with self._lock:
            return self._headroom

    @property
    def granted_scopes(self) -> tuple[str, ...] | None:
        """The token's scopes from the latest successful response that listed them in an
        `X-OAuth-Scopes` header (Slack does on every call), or None."""
        with self._lock:
            return self._scopes

    def close(self) -> None:
        """Close the underlying connections."""
        self.client.close()

    def safe(self, text: str) -> str:
        """`text` as one short line without secrets."""
        return sanitize(text, self._secrets)

    def url(self, link: str) -> str:
        """A pagination link made absolute, refusing links to another host (they would get our
        credentials)."""
        base = self.client.base_url
        target = httpx2.URL(link)
        if target.is_relative_url:
            if not link.startswith("/"):
                return link
            return str(base.copy_with(raw_path=link.encode("ascii"), fragment=None))
        if (target.scheme, target.host, target.port) != (base.scheme, base.host, base.port):
            raise ConnectorError(self.name, "a pagination link pointed to another host; stopped")
        return link

    def get(self, url: str, params: Mapping[str, Any] | None = None, missing_ok: bool = False) -> Any:
        """GET JSON (a read: retried)."""
        return self.request("GET", url, params=params, missing_ok=missing_ok)

    def post(self, url: str, json: Any, read: bool = True, missing_ok: bool = False) -> Any:
        """POST JSON. `read=True` for search/query endpoints that only read (retried); `False`
        for creates (not retried blindly)."""
        return self.request("POST", url, json=json, idempotent=read, missing_ok=missing_ok)

    def request(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool = True,
        missing_ok: bool = False,
    ) -> Any:
        """Send one request under the retry policy; the parsed JSON body (None if empty, or for a
        missing object when `missing_ok`). Raises `ConnectorError` with a safe message."""

        # The configured timeout bounds the whole call, retries included: the time spent in attempts
        # adds up against it. Waits between attempts are charged to the source's wait budget instead,
        # so a call lasts at most timeout + wait cap.
        spent = [0.0]

        def attempt() -> Any:
            left = self.timeout - spent[0]
            if left <= 0.01:
                raise VendorError(f"no answer within {self.timeout:g} s (timeout_seconds)")
            try:
                # Slack warns on JSON without a charset; every vendor accepts it spelled out.
                headers = {"Content-Type": JSON_UTF8} if json is not None else None
                began = time.monotonic()
                try:
                    response = self.client.request(
                        method,
                        url,
                        params=params,
                        json=json,
                        headers=headers,
                        timeout=httpx2.Timeout(left, connect=min(left, 10.0)),
                    )
                finally:
                    spent[0] += time.monotonic() - began
            except (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout):
                raise Retryable("could not connect") from None  # never sent: safe even for writes
            except httpx2.TimeoutException:
                if idempotent:
                    raise Retryable("timed out") from None
                raise VendorError("timed out during a write; re-run to check whether it happened") from None
            except httpx2.TransportError as exc:
                if idempotent:
                    raise Retryable(f"connection error ({type(exc).__name__})") from None
                raise VendorError(f"connection lost during a write ({type(exc).__name__})") from None
            except httpx2.HTTPError as exc:
                raise VendorError(f"request failed ({type(exc).__name__})") from None
            return self._interpret(response, idempotent, missing_ok)

        try:
            return call_with_retry(self.name, attempt, self.policy, self.budget)
        except VendorError as exc:
            message = exc.message
        # Raised outside the handler so the unsanitized VendorError is not kept as __context__.
        raise ConnectorError(self.name, self.safe(message))

    def _interpret(self, response: httpx2.Response, idempotent: bool, missing_ok: bool) -> Any:
        status = response.status_code
        if 200 <= status < 300:
            self._note_limits(response.headers)
        body = _json(response)
        if self.inspect is not None:
            try:
                self.inspect(response, None if body is _INVALID else body)
            except NotFound:
                if missing_ok:
                    return None
                raise
            except Retryable as exc:
                if exc.hint is None:  # the hook saw the signal; the headers say how long to wait
                    exc.hint = wait_hint(response.headers, self.policy.clock())
                raise
        if 200 <= status < 300:
            if body is _INVALID:
                raise VendorError(f"malformed response (HTTP {status}, not JSON)")
            return body
        if status == 404 and missing_ok:
            return None
        retry = status in RETRYABLE_STATUS if idempotent else status in (408, 429)
        if retry:
            hint = wait_hint(response.headers, self.policy.clock())
            if status == 429:
                raise Retryable("rate-limited", hint, rate_limited=True)
            raise Retryable(f"server error (HTTP {status})" if status >= 500 else "request timeout (HTTP 408)", hint)
        detail = vendor_message(None if body is _INVALID else body)
        raise VendorError(_status_message(status, idempotent, self.auth_hint) + (f": {detail}" if detail else ""))

    def _note_limits(self, headers: httpx2.Headers) -> None:
        seen = headroom(headers)
        scopes = headers.get("x-oauth-scopes")
        with self._lock:
            if seen:
                self._headroom = seen
            if scopes is not None:
                self._scopes = tuple(s.strip() for s in scopes.split(",") if s.strip())


def _json(response: httpx2.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return _INVALID


def _status_message(status: int, idempotent: bool, auth_hint: str) -> str:
    hint = f" ({auth_hint})" if auth_hint else ""
    if status == 401:
        return f"authentication failed (HTTP 401){hint}"
    if status == 403:
        return f"access denied (HTTP 403){hint}"
    if status == 404:
        return "not found (HTTP 404)"
    if status >= 500 and not idempotent:
        return f"server error (HTTP {status}) during a write; not retried, re-run to check"
    if status >= 500:
        return f"server error (HTTP {status})"
    return f"request rejected (HTTP {status})"
