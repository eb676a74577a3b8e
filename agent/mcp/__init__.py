"""The MCP entry point: escalation tools for hosts such as Claude Code and Claude Desktop."""
