"""An in-process Message Batches API over `httpx2.MockTransport`: create, retrieve, list, results.

Batches end after `polls_before_end` retrieves; results come back shuffled (the API promises no
order). `answer(custom_id, params, round)` gives each request's result body.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import anthropic
import httpx2

BASE_URL = "https://api.anthropic.test"
Answer = Callable[[str, dict[str, Any], int], dict[str, Any]]


def succeeded(tool_input: dict[str, Any], tool: str = "record_extraction") -> dict[str, Any]:
    """A succeeded result whose message calls the extraction tool."""
    return {
        "type": "succeeded",
        "message": {
            "id": "msg_batch",
            "type": "message",
            "role": "assistant",
            "model": "claude-test",
            "content": [{"type": "tool_use", "id": "toolu_1", "name": tool, "input": tool_input}],
            "stop_reason": "tool_use",
            "stop_sequence": None,
            "usage": {"input_tokens": 900, "output_tokens": 300},
        },
    }


def errored(kind: str, message: str = "error") -> dict[str, Any]:
    """An errored result of the given API error type."""
    return {"type": "errored", "error": {"type": "error", "error": {"type": kind, "message": message}}}


class FakeBatchesAPI:
    """State of the fake service, and every request it saw."""

    def __init__(self, answer: Answer, polls_before_end: int = 2, seed: int = 3) -> None:
        self.answer = answer
        self.polls_before_end = polls_before_end
        self.batches: dict[str, dict[str, Any]] = {}
        self.created: list[list[dict[str, Any]]] = []
        self.retrieves = 0
        self._random = random.Random(seed)

    @property
    def creates(self) -> int:
        return len(self.created)

    def client(self) -> anthropic.Anthropic:
        transport = httpx2.MockTransport(self._handle)
        return anthropic.Anthropic(
            api_key="sk-ant-test", base_url=BASE_URL, max_retries=0, http_client=httpx2.Client(transport=transport)
        )

    def _batch(self, batch_id: str) -> dict[str, Any]:
        b = self.batches[batch_id]
        ended = b["polls"] >= self.polls_before_end
        n = len(b["requests"])
        counts = {"processing": 0 if ended else n, "succeeded": 0, "errored": 0, "canceled": 0, "expired": 0}
        if ended:
            for result in b["results"]:
                counts[result["result"]["type"]] += 1
        created = b["created_at"]
        return {
            "id": batch_id,
            "type": "message_batch",
            "processing_status": "ended" if ended else "in_progress",
            "request_counts": counts,
            "created_at": created.isoformat(),
            "expires_at": (created + timedelta(days=1)).isoformat(),
            "ended_at": created.isoformat() if ended else None,
            "archived_at": None,
            "cancel_initiated_at": None,
            "results_url": f"{BASE_URL}/v1/messages/batches/{batch_id}/results" if ended else None,
        }

    def _handle(self, request: httpx2.Request) -> httpx2.Response:
        path = request.url.path
        if request.method == "POST" and path == "/v1/messages/batches":
            requests = json.loads(request.content)["requests"]
            batch_id = f"msgbatch_{len(self.batches) + 1:02d}"
            round_no = len(self.created)
            self.created.append(requests)
            results = [
                {"custom_id": r["custom_id"], "result": self.answer(r["custom_id"], r["params"], round_no)}
                for r in requests
            ]
            self._random.shuffle(results)
            self.batches[batch_id] = {
                "requests": requests,
                "results": results,
                "polls": 0,
                "created_at": datetime.now(UTC),
            }
            return httpx2.Response(200, json=self._batch(batch_id))
        if request.method == "GET" and path == "/v1/messages/batches":
            data = [self._batch(b) for b in reversed(self.batches)]
            return httpx2.Response(
                200,
                json={
                    "data": data,
                    "has_more": False,
                    "first_id": data[0]["id"] if data else None,
                    "last_id": data[-1]["id"] if data else None,
                },
            )
        match = re.fullmatch(r"/v1/messages/batches/([^/]+)(/results)?", path)
        if request.method == "GET" and match and match.group(1) in self.batches:
            batch_id = match.group(1)
            if match.group(2):
                body = "\n".join(json.dumps(r) for r in self.batches[batch_id]["results"]) + "\n"
                return httpx2.Response(200, content=body.encode(), headers={"content-type": "application/binary"})
            self.retrieves += 1
            self.batches[batch_id]["polls"] += 1
            return httpx2.Response(200, json=self._batch(batch_id))
        return httpx2.Response(404, json={"type": "error", "error": {"type": "not_found_error", "message": path}})
