"""A stdio transport that answers every frame and bounds each one (see `agent.mcp.frames`).

Lines are read as bytes, at most `MAX_FRAME_BYTES` at a time: a longer line is read through and
discarded (never held in memory whole) and answered with an error, and the next line is served
as usual. While serving, fd 0 reads the null device and fd 1 points at stderr, so that nothing a
handler or a child process prints can corrupt the wire; both are restored afterwards.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import BinaryIO

import anyio
import anyio.to_thread
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
from mcp.server.mcpserver import MCPServer
from mcp.shared.message import SessionMessage
from mcp.types import JSONRPCError, JSONRPCResponse

from agent.mcp.frames import MAX_FRAME_BYTES, Rejected, Reply, error, read_frame, too_large

log = logging.getLogger(__name__)
INTERNAL_ERROR = -32603
_CHUNK = 1024 * 1024


def read_line(stream: BinaryIO, limit: int = MAX_FRAME_BYTES) -> tuple[bytes, int] | None:
    """The next line (None at end of input) and its length; a line longer than `limit` is read to
    its end and returned as b"" (a blank line is b"\n"), only its length kept."""
    line = stream.readline(limit + 1)
    if not line:
        return None
    if len(line) <= limit or line.endswith(b"\n"):
        return line, len(line)
    size = len(line)
    while True:
        rest = stream.readline(_CHUNK)
        size += len(rest)
        if not rest or rest.endswith(b"\n"):
            return b"", size


def encode(message: SessionMessage | Reply) -> bytes:
    """One line of the wire."""
    if isinstance(message, SessionMessage):
        return message.message.model_dump_json(by_alias=True, exclude_unset=True).encode() + b"\n"
    return json.dumps(message, ensure_ascii=False).encode() + b"\n"


class _Wire:
    """Serialised writes of whole lines to the client."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._lock = anyio.Lock()

    async def write(self, message: SessionMessage | Reply) -> None:
        try:
            data = encode(message)
        except Exception:  # one unserialisable answer must not end the session
            log.exception("could not serialise a message")
            answered = message.message if isinstance(message, SessionMessage) else None
            if not isinstance(answered, JSONRPCResponse | JSONRPCError):
                return
            data = encode(error(answered.id, INTERNAL_ERROR, "internal error: the result could not be serialised"))
        async with self._lock:
            await anyio.to_thread.run_sync(self._send, data)

    def _send(self, data: bytes) -> None:
        self._out.write(data)
        self._out.flush()


def _divert() -> tuple[BinaryIO, BinaryIO, Callable[[], None]]:
    """Private duplicates of fds 0 and 1 for the wire, with 0 and 1 pointed away from it."""
    wire_in, wire_out = os.dup(0), os.dup(1)
    saved_in, saved_out = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)

    def restore() -> None:
        os.dup2(saved_in, 0)
        os.dup2(saved_out, 1)
        os.close(saved_in)
        os.close(saved_out)

    return os.fdopen(wire_in, "rb"), os.fdopen(wire_out, "wb"), restore


@asynccontextmanager
async def bounded_stdio(
    stdin: BinaryIO | None = None, stdout: BinaryIO | None = None, limit: int = MAX_FRAME_BYTES
) -> AsyncIterator[
    tuple[MemoryObjectReceiveStream[SessionMessage | Exception], MemoryObjectSendStream[SessionMessage]]
]:
    """The (read, write) stream pair a server runs on, over `stdin`/`stdout` (default: the
    process's own, diverted while serving)."""
    restore: Callable[[], None] | None = None
    if stdin is None or stdout is None:
        sys.stdout.flush()
        stdin, stdout, restore = _divert() if sys.platform != "win32" else (sys.stdin.buffer, sys.stdout.buffer, None)
    wire = _Wire(stdout)
    inbound_send, inbound = anyio.create_memory_object_stream[SessionMessage | Exception](0)
    outbound, outbound_receive = anyio.create_memory_object_stream[SessionMessage](0)
    source = stdin

    async def reader() -> None:
        async with inbound_send:
            while (
                read := await anyio.to_thread.run_sync(read_line, source, limit, abandon_on_cancel=True)
            ) is not None:
                line, size = read
                frame = read_frame(line) if line else too_large(size)
                if isinstance(frame, Rejected):
                    if frame.reply is not None:
                        await wire.write(frame.reply)
                else:
                    await inbound_send.send(frame)

    async def writer() -> None:
        async with outbound_receive:
            async for message in outbound_receive:
                await wire.write(message)

    try:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(reader)
            tasks.start_soon(writer)
            yield inbound, outbound
            tasks.cancel_scope.cancel()
    finally:
        if restore is not None:
            restore()


async def serve_stdio(server: MCPServer) -> None:
    """Run `server` on the bounded stdio transport until the client closes stdin."""
    # MCPServer.run("stdio") hard-wires the SDK's transport, which leaves malformed frames
    # unanswered; the low-level server runs on any stream pair.
    lowlevel = server._lowlevel_server
    async with bounded_stdio() as (read, write):
        await lowlevel.run(read, write, lowlevel.create_initialization_options())
