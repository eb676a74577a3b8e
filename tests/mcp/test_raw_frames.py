"""`escalate mcp` over stdio, fed raw JSON-RPC frames: every malformed frame gets a JSON-RPC error,
nothing echoes the frame, and the server keeps answering afterwards."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from agent.mcp.frames import INVALID_PARAMS, INVALID_REQUEST, MAX_FRAME_BYTES, PARSE_ERROR

ANSWER_WAIT = 60  # seconds: generous bound for a loaded machine; the test never asserts a duration
INIT = {
    "jsonrpc": "2.0",
    "id": 0,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}},
}


def frame(value: Any) -> bytes:
    return json.dumps(value).encode() + b"\n"


def call(request_id: int, arguments: dict[str, Any], name: str = "escalation_brief") -> bytes:
    return frame(
        {"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": {"name": name, "arguments": arguments}}
    )


class Wire:
    """The server process, one line written and one line read at a time."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.lines: queue.Queue[bytes] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def send(self, raw: bytes) -> Any:
        assert self.process.stdin is not None
        self.process.stdin.write(raw)
        self.process.stdin.flush()
        try:
            line = self.lines.get(timeout=ANSWER_WAIT)
        except queue.Empty:
            pytest.fail(f"no answer to {raw[:60]!r}")
        assert len(line) < 64 * 1024, "an answer never echoes a large frame"
        return json.loads(line)

    def ping(self, request_id: int = 99) -> None:
        assert self.send(frame({"jsonrpc": "2.0", "id": request_id, "method": "ping"})) == {
            "jsonrpc": "2.0",
            "id": request_id,
            "result": {},
        }


@pytest.fixture(scope="module")
def wire() -> Iterator[Wire]:
    found = shutil.which("escalate", path=os.path.dirname(sys.executable))
    assert found
    process = subprocess.Popen(
        [found, "mcp", "--model", "offline", "--workspace", "demo"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wire = Wire(process)
    try:
        assert "result" in wire.send(frame(INIT))
        assert process.stdin is not None
        process.stdin.write(frame({"jsonrpc": "2.0", "method": "notifications/initialized"}))
        wire.ping(0)
        yield wire
    finally:
        if process.stdin:
            process.stdin.close()
        process.wait(timeout=30)
        assert process.stderr is not None
        assert b"Traceback" not in process.stderr.read()


NESTED = b"[" * 100_000 + b"]" * 100_000
MALFORMED: list[tuple[str, bytes, int | None, int]] = [
    (
        "lone surrogate in an argument",
        b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"escalation_brief",'
        b'"arguments":{"request":"\\ud800 API errors"}}}\n',
        1,
        INVALID_REQUEST,
    ),
    ("missing method", b'{"jsonrpc":"2.0","id":4}\n', 4, INVALID_REQUEST),
    ("jsonrpc 1.0", b'{"jsonrpc":"1.0","id":5,"method":"ping"}\n', 5, INVALID_REQUEST),
    ("no jsonrpc member", b'{"id":15,"method":"ping"}\n', 15, INVALID_REQUEST),
    ("params as a string", b'{"jsonrpc":"2.0","id":6,"method":"tools/call","params":"x"}\n', 6, INVALID_PARAMS),
    ("params as a list", b'{"jsonrpc":"2.0","id":7,"method":"tools/call","params":[1,2]}\n', 7, INVALID_PARAMS),
    ("NUL bytes", b'{"jsonrpc":"2.0","id":8,"method":"pi\x00ng"}\n', None, PARSE_ERROR),
    (
        "two frames on one line",
        b'{"jsonrpc":"2.0","id":9,"method":"ping"}{"jsonrpc":"2.0","id":10,"method":"ping"}\n',
        None,
        PARSE_ERROR,
    ),
    (
        "deeply nested JSON",
        b'{"jsonrpc":"2.0","id":11,"method":"ping","params":{"a":' + NESTED + b"}}\n",
        None,
        PARSE_ERROR,
    ),
    (
        "nested 100 levels",
        b'{"jsonrpc":"2.0","id":12,"method":"ping","params":{"a":' + b"[" * 100 + b"]" * 100 + b"}}\n",
        12,
        INVALID_REQUEST,
    ),
    ("not JSON", b"hello\n", None, PARSE_ERROR),
    ("invalid UTF-8", b'{"jsonrpc":"2.0","id":13,"method":"\xff\xfe"}\n', None, PARSE_ERROR),
    ("id as an object", b'{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}\n', None, INVALID_REQUEST),
    ("a bare string", b'"ping"\n', None, INVALID_REQUEST),
    ("an empty batch", b"[]\n", None, INVALID_REQUEST),
    ("tools/call without a name", b'{"jsonrpc":"2.0","id":14,"method":"tools/call","params":{}}\n', 14, INVALID_PARAMS),
]


@pytest.mark.parametrize(("raw", "request_id", "code"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_a_malformed_frame_gets_a_json_rpc_error_and_the_server_keeps_answering(
    wire: Wire, raw: bytes, request_id: int | None, code: int
) -> None:
    answer = wire.send(raw)
    assert answer["jsonrpc"] == "2.0" and answer["id"] == request_id
    assert answer["error"]["code"] == code and "\n" not in answer["error"]["message"]
    wire.ping()


def test_a_batch_array_gets_an_error_for_each_request_in_it(wire: Wire) -> None:
    answer = wire.send(b'[{"jsonrpc":"2.0","id":2,"method":"ping"},{"jsonrpc":"2.0","id":3,"method":"ping"}]\n')
    assert [(a["id"], a["error"]["code"]) for a in answer] == [(2, INVALID_REQUEST), (3, INVALID_REQUEST)]
    wire.ping()


def test_a_20_mb_frame_is_refused_without_being_held_and_the_server_keeps_answering(wire: Wire) -> None:
    huge = call(16, {"request": "a" * (20 * 1024 * 1024)})
    assert len(huge) > MAX_FRAME_BYTES
    answer = wire.send(huge)
    assert answer["id"] is None and answer["error"]["code"] == INVALID_REQUEST
    assert "exceeds" in answer["error"]["message"]
    wire.ping()


@pytest.mark.parametrize("tool", ["escalation_brief", "gather_context"])
def test_a_1_mb_request_argument_is_a_tool_error_and_the_server_keeps_answering(wire: Wire, tool: str) -> None:
    answer = wire.send(call(17, {"request": "b" * (1024 * 1024), "workspace": "demo"}, name=tool))
    result = answer["result"]
    assert result["isError"] is True and "too large" in result["content"][0]["text"]
    assert len(result["content"][0]["text"]) < 200
    wire.ping()


def test_an_unknown_method_and_a_tool_call_after_the_probes_are_answered(wire: Wire) -> None:
    assert wire.send(frame({"jsonrpc": "2.0", "id": 18, "method": "no/such"}))["error"]["code"] == -32601
    brief = wire.send(call(19, {"request": "API returning 500 errors for Acme Corp", "date": "2026-11-27"}))
    assert brief["id"] == 19 and brief["result"].get("isError") is not True
    assert brief["result"]["structuredContent"]["escalate"] is True


def test_a_1_mb_extraction_is_a_tool_error_and_the_server_keeps_answering(wire: Wire) -> None:
    extraction = {"summary": "c" * (1024 * 1024), "problem": "p", "description": "d", "category": "bug"}
    answer = wire.send(call(20, {"context_id": "ctx_x", "extraction": extraction}, name="assess_extraction"))
    assert answer["result"]["isError"] is True and "too large: extraction" in answer["result"]["content"][0]["text"]
    wire.ping()
