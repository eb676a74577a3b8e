"""The mcp SDK pin: the installed version is one the pin allows, the pin excludes 1.x (which has
no `mcp.server.mcpserver`) and 2.0.x (which fails a tool error of a tool with an output schema on
that schema), and every SDK name the server uses imports from it. Run under the
lowest allowed version (`lowest()`), it is the import smoke test for that version."""

from __future__ import annotations

import importlib
import importlib.metadata
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
USED = {
    "mcp.server.mcpserver": ["MCPServer"],
    "mcp.server.context": ["CallNext", "HandlerResult", "ServerMiddleware", "ServerRequestContext"],
    "mcp.server.transport_security": ["TransportSecuritySettings"],
    "mcp.shared.message": ["SessionMessage"],
    "mcp.types": ["CallToolResult", "JSONRPCError", "JSONRPCResponse", "TextContent", "ToolAnnotations"],
}


def pins() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    listed = [*project["optional-dependencies"]["mcp"], *project["optional-dependencies"]["dev"]]
    return [r for r in map(Requirement, listed) if r.name == "mcp"]


def lowest() -> str:
    """The lowest version the pin allows (its `>=` bound)."""
    return next(s.version for s in pins()[0].specifier if s.operator == ">=")


def test_the_extras_agree_and_pin_one_major_version() -> None:
    specifiers = {str(r.specifier) for r in pins()}
    assert len(specifiers) == 1
    specifier = pins()[0].specifier
    assert not specifier.contains("1.30.0") and not specifier.contains("2.0.1")
    assert specifier.contains("2.1.0") and not specifier.contains("3.0.0")
    assert Version(lowest()) == Version("2.1")


def test_the_installed_sdk_is_allowed_by_the_pin() -> None:
    installed = importlib.metadata.version("mcp")
    assert pins()[0].specifier.contains(installed), installed


def test_every_sdk_name_the_server_uses_imports() -> None:
    for module, names in USED.items():
        loaded = importlib.import_module(module)
        for name in names:
            assert hasattr(loaded, name), f"{module}.{name}"
    importlib.import_module("agent.mcp.server")
    assert hasattr(importlib.import_module("mcp.types"), "jsonrpc_message_adapter")
