"""Pure vendor JSON -> record mappers and query builders, one module per vendor, shared by the REST
adapters (`connectors.http`) and the MCP presets (`connectors.mcp.presets`) so that neither imports
the other. Nothing here does I/O or imports an HTTP or MCP client."""
