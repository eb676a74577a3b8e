"""`escalate brief --model anthropic` end to end: the real CLI in a subprocess, the real SDK, and a
fake Messages API on 127.0.0.1 reached through ANTHROPIC_BASE_URL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.fakes.anthropic_mock import load_fixture
from tests.fakes.anthropic_server import FakeAnthropicServer

ROOT = Path(__file__).resolve().parents[2]
FAKE_KEY = "test-key-not-a-real-secret-0123456789"


def run_cli(server: FakeAnthropicServer, *args: str, key: str = FAKE_KEY) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    env.update(ANTHROPIC_API_KEY=key, ANTHROPIC_BASE_URL=server.base_url)
    return subprocess.run(
        [sys.executable, "-m", "agent", "brief", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_brief_with_claude_takes_two_calls_and_its_cache_reads_pay_for_its_writes() -> None:
    with FakeAnthropicServer(api_key=FAKE_KEY, simulate_cache=True) as server:
        server.queue_error(529, "overloaded_error", "Overloaded", headers={"retry-after-ms": "1"})
        server.queue(load_fixture("gather_followups_tool_use"))
        server.queue(load_fixture("extract_valid"))
        done = run_cli(
            server,
            "API returning 500 errors intermittently for Acme Corp",
            "--model",
            "anthropic",
            "--format",
            "json",
            "--date",
            "2026-11-27",
        )
        bodies = server.bodies()
        assert server.unexpected == 0 and server.pending == 0 and server.rejected == []
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["model"].startswith("anthropic:") and data["extraction_fallback"] is False
    assert data["usage"]["calls"] == 2
    assert 0 < data["usage"]["cache_write_tokens"] <= data["usage"]["cache_read_tokens"]
    assert data["usage"]["cost_usd"] > 0
    assert len(bodies) == 3 and bodies[0] == bodies[1]  # the 529, retried by the SDK, then call 2
    assert bodies[0]["tools"] == bodies[2]["tools"]
    names = {t["name"] for t in bodies[0]["tools"]}
    assert {"search_tickets", "find_account", "search_kb", "record_extraction"} <= names
    assert all(b["tool_choice"] == {"type": "auto"} for b in bodies)
    # every tool_use of call 1 is answered, by id, in the next request
    asked = {b["id"] for b in load_fixture("gather_followups_tool_use")["content"] if b["type"] == "tool_use"}
    answered = {
        b["tool_use_id"]
        for m in bodies[2]["messages"]
        if m["role"] == "user" and isinstance(m["content"], list)
        for b in m["content"]
        if b.get("type") == "tool_result"
    }
    assert asked <= answered
    # the decision is still made by the rules, from the model's extraction
    assert data["escalate"] is True and data["severity"] in ("Critical", "High", "Medium")
    assert FAKE_KEY not in done.stdout + done.stderr


def test_a_body_that_is_not_a_message_falls_back_loudly_instead_of_crashing() -> None:
    with FakeAnthropicServer(api_key=FAKE_KEY) as server:
        server.queue({"type": "error_page", "html": "<html>bad gateway</html>"})
        done = run_cli(server, "Export is missing rows", "--model", "anthropic", "--format", "json")
        assert len(server.received) == 1  # no second call once gathering failed
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["extraction_fallback"] is True
    assert any("not a message" in n for n in data["notices"])
    assert "offline extractor filled it" in done.stderr and "Traceback" not in done.stderr


def test_invalid_key_exits_2_with_one_line() -> None:
    with FakeAnthropicServer(api_key="the-right-key-0123456789") as server:
        done = run_cli(server, "Export is missing rows", "--model", "anthropic", "--workspace", "none")
    errors = [line for line in done.stderr.splitlines() if line.startswith("escalate: error:")]
    assert done.returncode == 2
    assert len(errors) == 1 and "ANTHROPIC_API_KEY" in errors[0]
    assert FAKE_KEY not in done.stderr and "Traceback" not in done.stderr
