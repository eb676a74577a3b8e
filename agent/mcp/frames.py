"""One stdio frame (a line) in, a JSON-RPC message or the error that answers it out.

The SDK's stdio transport drops a line it cannot parse without a word, so a client waits forever
for the answer to a batch, a `jsonrpc` 1.0 message, a lone surrogate or a line holding two
messages. Here every malformed frame gets a JSON-RPC error (with the frame's id when it has a
usable one, else null, as JSON-RPC 2.0 says), and no error ever echoes the frame's content.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from mcp.shared.message import SessionMessage
from mcp.types import jsonrpc_message_adapter
from pydantic import ValidationError

MAX_FRAME_BYTES = 4 * 1024 * 1024
"""The same bound as the SDK's HTTP transport puts on a request body."""
MAX_DEPTH = 64
MAX_ID_CHARS = 200
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602

Reply = dict[str, Any] | list[dict[str, Any]]


@dataclass(frozen=True)
class Rejected:
    """A frame that is not a message: the reply that answers it (None for a blank line)."""

    reply: Reply | None


def error(request_id: str | int | None, code: int, message: str) -> dict[str, Any]:
    """A JSON-RPC error response."""
    return {"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}}


def too_large(size: int) -> Rejected:
    """The answer to a frame of `size` bytes over `MAX_FRAME_BYTES` (read and discarded)."""
    return Rejected(
        error(None, INVALID_REQUEST, f"message of {size:,} bytes exceeds the {MAX_FRAME_BYTES:,}-byte limit")
    )


def _valid_id(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return False
    return not isinstance(value, str) or (len(value) <= MAX_ID_CHARS and _is_unicode(value))


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: json accepts the escape, UTF-8 cannot encode it
        return False
    return True


def _shape(value: Any) -> tuple[int, bool]:
    """Nesting depth (stopping past `MAX_DEPTH`) and whether every string and key is valid Unicode."""
    deepest, unicode_ok, stack = 0, True, [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, str):
            unicode_ok = unicode_ok and _is_unicode(node)
        elif isinstance(node, dict | list):
            deepest = max(deepest, level + 1)
            if deepest > MAX_DEPTH:
                return deepest, unicode_ok
            if isinstance(node, dict):
                stack.extend((key, level) for key in node)
                stack.extend((child, level + 1) for child in node.values())
            else:
                stack.extend((child, level + 1) for child in node)
    return deepest, unicode_ok


def _decode(line: bytes) -> Any | Rejected:
    try:
        return json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        return Rejected(error(None, PARSE_ERROR, "parse error: the message is not valid UTF-8"))
    except RecursionError:
        return Rejected(error(None, PARSE_ERROR, f"parse error: nested too deeply (the limit is {MAX_DEPTH} levels)"))
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            return Rejected(error(None, PARSE_ERROR, "parse error: more than one JSON value on a line"))
        return Rejected(error(None, PARSE_ERROR, f"parse error: {exc.msg} (character {exc.pos})"))


def _batch(items: list[Any]) -> Rejected:
    message = "batch arrays are not supported: send one JSON-RPC message per line"
    ids = [item["id"] for item in items if isinstance(item, dict) and _valid_id(item.get("id"))]
    if not ids:
        return Rejected(error(None, INVALID_REQUEST, message))
    return Rejected([error(i, INVALID_REQUEST, message) for i in ids])


def _check(frame: dict[str, Any]) -> Rejected | None:
    has_id = "id" in frame
    request_id = frame.get("id")
    if has_id and not _valid_id(request_id):
        return Rejected(error(None, INVALID_REQUEST, "invalid request: id must be a string or an integer"))
    reply_id = request_id if has_id else None
    deepest, unicode_ok = _shape(frame)
    if deepest > MAX_DEPTH:
        return Rejected(error(reply_id, INVALID_REQUEST, f"invalid request: nested deeper than {MAX_DEPTH} levels"))
    if not unicode_ok:
        return Rejected(error(reply_id, INVALID_REQUEST, "invalid request: a string holds a lone UTF-16 surrogate"))
    if frame.get("jsonrpc") != "2.0":
        return Rejected(error(reply_id, INVALID_REQUEST, 'invalid request: "jsonrpc" must be "2.0"'))
    if "method" not in frame:
        if has_id and ("result" in frame or "error" in frame):
            return None  # a response to a request of ours
        return Rejected(error(reply_id, INVALID_REQUEST, "invalid request: no method"))
    if not isinstance(frame["method"], str) or not frame["method"]:
        return Rejected(error(reply_id, INVALID_REQUEST, "invalid request: method must be a non-empty string"))
    if "params" in frame and not isinstance(frame["params"], dict):
        return Rejected(error(reply_id, INVALID_PARAMS, "invalid params: params must be an object"))
    return None


def read_frame(line: bytes) -> SessionMessage | Rejected:
    """The message in one line of the stdio stream, or the reply that rejects it."""
    line = line.rstrip(b"\r\n")
    if not line.strip():
        return Rejected(None)
    if len(line) > MAX_FRAME_BYTES:
        return too_large(len(line))
    frame = _decode(line)
    if isinstance(frame, Rejected):
        return frame
    if isinstance(frame, list):
        return _batch(frame) if frame else Rejected(error(None, INVALID_REQUEST, "invalid request: empty batch"))
    if not isinstance(frame, dict):
        return Rejected(error(None, INVALID_REQUEST, "invalid request: a message is a JSON object"))
    if (rejected := _check(frame)) is not None:
        return rejected
    try:
        message = jsonrpc_message_adapter.validate_python(frame, by_name=False)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        where = ".".join(str(p) for p in first["loc"][1:]) or "message"
        reply_id = frame.get("id")
        return Rejected(error(reply_id, INVALID_REQUEST, f"invalid request: {where[:80]}: {first['msg']}"))
    return SessionMessage(message)
