"""Connectors: read-only access to the support platform, CRM, chat, tracker and knowledge base.

Layout, with imports pointing down this list only (no cycles; nothing from `agent` or `evals`):

- `resolve`: turns a `--workspace` value into a `Workspace`; the one place backends are opened
  (configured vendors and MCP servers only when a configuration is used, via `configured`).
- `configured`: builds the connectors an `escalation.toml` names; `config` parses and validates it,
  `config_file` finds it, `config_template` is what `escalate init` writes.
- `demo/` (the embedded SQLite workspace), `none`, `http/` (REST adapters), `mcp/` (MCP servers).
- `vendors/`: pure vendor JSON -> record mappers and query builders shared by `http/` and `mcp/`.
- `base` (protocols, `Workspace`), `records`, `settings`, and `errors` (a leaf: every error class).
"""
