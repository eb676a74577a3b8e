"""A synchronous handle on one MCP server: the async client session lives on its own thread.

Connectors are called from the gather loop's worker threads, while the MCP SDK is async. Each
server gets one background thread running an asyncio loop; a single owner task opens the client
(so the SDK's cancel scopes are entered and left by the same task) and keeps it open until
`close()`. Calls from any thread are scheduled on that loop and waited for with a timeout.
The connection opens lazily on first use, so a configured but unused server costs nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import IO, Any, TypeVar

from connectors.errors import ConnectorError
from connectors.mcp.wire import CallOutcome, HttpTarget, InProcessTarget, StdioTarget, ToolInfo, outcome_of

log = logging.getLogger(__name__)
T = TypeVar("T")
CLOSE_TIMEOUT = 10.0
"""The SDK's stdio shutdown (close stdin, SIGTERM, SIGKILL) takes at most ~6 s."""


class McpConnection:
    """One server's client session, usable from any thread."""

    def __init__(
        self,
        name: str,
        target: StdioTarget | HttpTarget | InProcessTarget,
        timeout: float = 30.0,
        connect_timeout: float = 30.0,
    ) -> None:
        self.name = name
        self.target = target
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._client: Any = None
        self._stop: asyncio.Event | None = None
        self._done: Future[None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._failure: str | None = None
        self._tools: list[ToolInfo] | None = None
        self._errlog: IO[str] | None = None
        self._closed = False
        self._http_status: int | None = None

    def __repr__(self) -> str:
        return f"McpConnection({self.name!r})"

    # --- public, thread-safe ----------------------------------------------------------------

    def list_tools(self) -> list[ToolInfo]:
        """The server's tools (listed once per connection)."""
        if self._tools is None:
            self._ensure_open()
            result = self._run(self._list_all(), self.timeout)
            self._tools = result
        return list(self._tools)

    def call(self, tool: str, arguments: dict[str, Any]) -> CallOutcome:
        """Call one tool; raises `ConnectorError` on transport failures and timeouts (not on isError)."""
        self._ensure_open()
        return self._run(self._call(tool, arguments), self.timeout + 1.0)

    def close(self) -> None:
        """End the session (and the subprocess) and stop the thread; safe to call twice."""
        with self._lock:
            self._closed = True
            self._shutdown(cancel=False)

    # --- plumbing ---------------------------------------------------------------------------

    def _ensure_open(self) -> None:
        with self._lock:
            if self._client is not None:
                return
            if self._closed:
                raise ConnectorError(f"mcp:{self.name}", "connection is closed")
            if self._failure is not None:
                raise ConnectorError(f"mcp:{self.name}", self._failure)
            try:
                self._open()
            except ConnectorError as exc:
                self._failure = exc.message  # do not respawn a broken server for every call
                raise

    def _open(self) -> None:
        try:
            import mcp  # noqa: F401  (fail early, with an install hint)
        except ModuleNotFoundError:
            raise ConnectorError(
                f"mcp:{self.name}", "the mcp package is not installed: pip install 'escalate[mcp]'"
            ) from None
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name=f"mcp-{self.name}", daemon=True)
        thread.start()
        ready: Future[None] = Future()
        done: Future[None] = Future()
        self._loop, self._thread, self._done = loop, thread, done

        def finished(_: object) -> None:
            if not done.done():
                done.set_result(None)

        def start() -> None:
            self._task = loop.create_task(self._main(ready))
            self._task.add_done_callback(finished)

        loop.call_soon_threadsafe(start)
        try:
            ready.result(timeout=self.connect_timeout)
        except FutureTimeout:
            self._shutdown(cancel=True)
            raise ConnectorError(
                f"mcp:{self.name}", f"no answer within {self.connect_timeout:g}s while connecting"
            ) from None
        except Exception as exc:
            tail = self._stderr_tail()
            self._shutdown(cancel=True)
            log.warning("MCP server %s failed to start: %s", self.name, tail or _describe(exc))
            raise ConnectorError(f"mcp:{self.name}", f"cannot connect ({self._explain(exc)})") from None

    def _shutdown(self, cancel: bool) -> None:
        """Stop the owner task (politely, or by cancelling it), then the loop and its thread."""
        loop, thread, done = self._loop, self._thread, self._done
        self._loop = self._thread = self._client = self._done = None
        if loop is None:
            return
        if cancel:
            loop.call_soon_threadsafe(lambda: self._task.cancel() if self._task else None)
        elif self._stop is not None:
            loop.call_soon_threadsafe(self._stop.set)
        if done is not None:
            with contextlib.suppress(Exception):
                done.result(timeout=CLOSE_TIMEOUT)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(timeout=CLOSE_TIMEOUT)
        if not thread or not thread.is_alive():
            loop.close()
        self._task = self._stop = None
        if self._errlog is not None:
            self._errlog.close()
            self._errlog = None

    async def _main(self, ready: Future[None]) -> None:
        from mcp import Client

        self._stop = asyncio.Event()
        try:
            async with contextlib.AsyncExitStack() as stack:
                transport = await stack.enter_async_context(self._transport_cm())
                client = await stack.enter_async_context(Client(transport, read_timeout_seconds=self.timeout))
                self._client = client
                ready.set_result(None)
                await self._stop.wait()
        except BaseException as exc:  # the owner task must report every failure to the waiting thread
            if not ready.done():
                ready.set_exception(exc if isinstance(exc, Exception) else RuntimeError(type(exc).__name__))
            if not isinstance(exc, Exception):
                raise
        finally:
            self._client = None

    @contextlib.asynccontextmanager
    async def _transport_cm(self) -> Any:
        target = self.target
        if isinstance(target, InProcessTarget):
            yield target.server
            return
        if isinstance(target, StdioTarget):
            from mcp.client.stdio import StdioServerParameters, stdio_client

            # The server's stderr goes to a private file: its logs must not interleave with our output.
            # It stays open for the session (closed in `_shutdown`) so a failed start can be explained.
            self._errlog = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")  # noqa: SIM115
            params = StdioServerParameters(command=target.command, args=target.args, env=target.env, cwd=target.cwd)
            yield stdio_client(params, errlog=self._errlog)
            return
        from mcp.client.streamable_http import streamable_http_client
        from mcp.shared._httpx_utils import create_mcp_http_client

        async def remember(response: Any) -> None:
            # The SDK reports any HTTP error as "Server returned an error response"; keep the status.
            if response.status_code >= 400:
                self._http_status = int(response.status_code)

        async with create_mcp_http_client(headers=target.headers) as http:
            http.event_hooks["response"].append(remember)
            yield streamable_http_client(target.url, http_client=http)

    async def _list_all(self) -> list[ToolInfo]:
        tools: list[ToolInfo] = []
        cursor: str | None = None
        for _ in range(20):  # a paginator that never ends must not hang the run
            page = await self._client.list_tools(cursor=cursor)
            for tool in page.tools:
                notes = tool.annotations
                tools.append(
                    ToolInfo(
                        name=tool.name,
                        description=(tool.description or tool.title or "").strip(),
                        input_schema=dict(tool.input_schema or {"type": "object"}),
                        read_only=notes.read_only_hint if notes else None,
                        destructive=notes.destructive_hint if notes else None,
                    )
                )
            cursor = page.next_cursor
            if not cursor:
                break
        return tools

    async def _call(self, tool: str, arguments: dict[str, Any]) -> CallOutcome:
        result = await self._client.call_tool(tool, arguments, read_timeout_seconds=self.timeout)
        return outcome_of(result)

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        loop = self._loop
        if loop is None:
            coro.close()
            raise ConnectorError(f"mcp:{self.name}", "connection is closed")
        future = asyncio.run_coroutine_threadsafe(coro, loop)
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            future.cancel()
            raise ConnectorError(f"mcp:{self.name}", f"no answer within {timeout:g}s") from None
        except ConnectorError:
            raise
        except Exception as exc:
            raise ConnectorError(f"mcp:{self.name}", self._explain(exc)) from None

    def _explain(self, exc: BaseException) -> str:
        status, self._http_status = self._http_status, None
        if status in (401, 403):
            return f"HTTP {status}: not authorized; check the server's headers (token)"
        return f"HTTP {status}" if status else _describe(exc)

    def _stderr_tail(self) -> str:
        if self._errlog is None:
            return ""
        with contextlib.suppress(Exception):
            self._errlog.seek(0)
            lines = [line.strip() for line in self._errlog.read().splitlines() if line.strip()]
            return lines[-1][:300] if lines else ""
        return ""


def _describe(exc: BaseException) -> str:
    """A one-line, secret-free description of a transport or protocol failure."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    name = type(exc).__name__
    if isinstance(exc, FileNotFoundError | PermissionError):
        return f"{name}: cannot start the command"
    message = getattr(exc, "message", None) if name == "MCPError" else None
    if isinstance(message, str) and message.strip():
        return f"{name}: {' '.join(message.split())[:200]}"
    if isinstance(exc, TimeoutError):
        return "timed out"
    return name
