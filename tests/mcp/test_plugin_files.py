"""The Claude Code plugin: manifest, marketplace entry, skill frontmatter, and the MCP server entry."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import yaml

from agent.cli import app

ROOT = Path(__file__).resolve().parents[2]


def load(path: str) -> Any:
    return json.loads((ROOT / path).read_text(encoding="utf-8"))


def frontmatter(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data, body


def test_manifest() -> None:
    manifest = load(".claude-plugin/plugin.json")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert manifest["name"] == "escalate"  # kebab-case, the /escalate:<skill> namespace
    assert manifest["version"] == project["version"]
    assert 20 < len(manifest["description"]) < 300
    assert isinstance(manifest["author"], dict) and manifest["author"]["name"].strip()
    assert manifest["license"] == project["license"]["text"]


def test_marketplace_lists_the_plugin_at_the_repository_root() -> None:
    market = load(".claude-plugin/marketplace.json")
    assert market["owner"]["name"] and [p["name"] for p in market["plugins"]] == ["escalate"]
    assert market["plugins"][0]["source"] == "./"


def test_skill_frontmatter_and_body() -> None:
    skills = sorted((ROOT / "skills").glob("*/SKILL.md"))
    assert [s.parent.name for s in skills] == ["customer-escalation"]
    meta, body = frontmatter(skills[0])
    assert meta["name"] == "customer-escalation"
    description = meta["description"]
    assert len(description) < 200  # plugin skill descriptions share a small context budget
    for trigger in ("escalate this", "escalation brief", "SLA", "churn"):
        assert trigger in description
    assert meta["argument-hint"] == "<issue summary> [customer name]"
    assert "escalation_brief" in body and "confirmation" in body
    assert body.index("gather_context") < body.index("assess_extraction") and "untrusted" in body
    for step in ("Post the brief", "interim update", "escalation ledger", "status update"):
        assert step in body


def test_mcp_json_starts_the_escalate_server() -> None:
    servers = load(".mcp.json")["mcpServers"]
    assert list(servers) == ["escalate"]
    entry = servers["escalate"]
    assert entry["command"] == "escalate" and entry["args"][0] == "mcp"
    assert entry.get("type", "stdio") == "stdio"
    assert "mcp" in {c.name for c in app.registered_commands}


def test_docs_have_the_claude_code_section() -> None:
    text = (ROOT / "docs" / "claude-code.md").read_text(encoding="utf-8")
    assert "## Use it from Claude Code" in text and "escalate mcp" in text
