"""MCP servers as context sources.

Any MCP server named in `escalation.toml` (`[mcp.<name>]`: a stdio command or a streamable HTTP
URL) becomes a source. A category with `backend = "mcp"` reads through a preset that maps
Intercom-, Zendesk-, HubSpot-, Slack-, Atlassian-, Notion- or Guru-style tools to our records, so
the offline model can use it; with Claude, the servers' read-only tools are also offered to the
model directly as `server__tool`. Nothing here imports the `mcp` SDK until a server is contacted,
and this package module imports nothing, so `connectors.mcp.offered` stays cheap to import.
"""
