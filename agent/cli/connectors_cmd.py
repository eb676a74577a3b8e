"""`escalate init` (write a commented `escalation.toml`) and `escalate connectors check` (call every
configured connector once and show what answered)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from agent.cli.common import exit_with
from agent.errors import UsageError, clip
from connectors.config_file import CONFIG_NAME

if TYPE_CHECKING:
    from rich.table import Table

    from connectors.config import Config

connectors_app = typer.Typer(help="Inspect the connectors configured in escalation.toml.", no_args_is_help=True)

_DEMO_PROBES = {
    "support": lambda c: c.search_tickets("error", limit=1),
    "crm": lambda c: c.list_accounts(limit=1),
    "chat": lambda c: c.search_messages("error", limit=1),
    "tracker": lambda c: c.search_issues("error", limit=1),
    "kb": lambda c: c.search_articles("error", limit=1),
}


@dataclass(frozen=True)
class Row:
    """One category's line in the check table."""

    category: str
    backend: str
    status: str
    """`ok`, `error`, `config error` or `-` (not connected)."""
    detail: str
    headroom: str = ""
    api: str = ""
    """The vendor API version the connector's requests follow."""
    scopes: str = ""
    """Needed scopes against those the token has, where the vendor reports them."""


def write_template(path: Path, force: bool) -> None:
    """Write the template atomically; refuse to overwrite unless `force`."""
    from agent.atomic import write_text_atomically
    from connectors.config_template import TEMPLATE

    if path.exists() and not force:
        exit_with(f"{path} already exists; pass --force to overwrite it")
    write_text_atomically(path, TEMPLATE)


def init(
    path: Annotated[Path, typer.Option("--path", help="Where to write the configuration.")] = Path(CONFIG_NAME),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented escalation.toml (every category on the demo data) to edit."""
    try:
        write_template(path, force)
    except UsageError as exc:
        exit_with(str(exc))
    print(f"escalate: wrote {path}; edit it, then run 'escalate connectors check'", file=sys.stderr)


def check_one(config: Config, category: str, demo: Any) -> Row:
    """Call one category's connector once."""
    from connectors.base import ConnectorError
    from connectors.configured import build_source
    from connectors.errors import ConfigError

    backend = config.backend(category)
    if backend == "none":
        return Row(category, backend, "-", "not connected")
    if backend == "demo":
        try:
            _DEMO_PROBES[category](demo.categories()[category])
        except Exception as exc:  # the embedded data should always answer; say so if not
            return Row(category, backend, "error", type(exc).__name__)
        return Row(category, backend, "ok", "embedded demo data", api="embedded")
    try:
        connector = build_source(config, category)
    except ConfigError as exc:
        return Row(category, backend, "config error", str(exc))
    api = str(getattr(connector, "api_version", "") or "MCP")
    try:
        detail = connector.check()
        scopes = _scopes(connector)
    except ConnectorError as exc:
        return Row(category, backend, "error", exc.message, _headroom(connector), api)
    finally:
        connector.close()
    return Row(category, backend, "ok", detail, _headroom(connector), api, scopes)


def _scopes(connector: Any) -> str:
    # MCP sources authorize through the server (OAuth or headers); the adapters know their scopes.
    status = getattr(connector, "scope_status", None)
    return str(status()) if callable(status) else "-"


def _headroom(connector: Any) -> str:
    # MCP-backed sources have no HTTP client of their own, hence no rate-limit headers.
    http = getattr(connector, "http", None)
    return str(getattr(http, "headroom", None) or "")


def table(rows: list[Row]) -> Table:
    """The check results as a rich table."""
    from rich.table import Table
    from rich.text import Text

    out = Table(title="escalate connectors", title_justify="left")
    for name in ("category", "backend", "api", "status"):
        out.add_column(name, no_wrap=True)
    out.add_column("detail", overflow="fold")
    out.add_column("rate-limit headroom", no_wrap=True)
    for row in rows:
        cells = (row.category, row.backend, row.api or "-", row.status, row.detail, row.headroom or "-")
        # Text, not markup: vendor messages are untrusted and `[crm]` must print as written.
        out.add_row(*(Text(cell) for cell in cells))
    return out


def scopes_table(rows: list[Row]) -> Table | None:
    """Each vendor connector's needed scopes against the token's (None when no row has any)."""
    from rich.table import Table
    from rich.text import Text

    shown = [row for row in rows if row.scopes and row.scopes != "-"]
    if not shown:
        return None
    out = Table(title="token scopes", title_justify="left")
    out.add_column("category", no_wrap=True)
    out.add_column("backend", no_wrap=True)
    out.add_column("scopes", overflow="fold")
    for row in shown:
        out.add_row(Text(row.category), Text(row.backend), Text(row.scopes))
    return out


@connectors_app.command("check")
def check(
    config_path: Annotated[
        Path | None, typer.Option("--config", help=f"Configuration file (default: ./{CONFIG_NAME}).")
    ] = None,
) -> None:
    """Call each configured connector once; exit 2 on configuration errors, 1 if a source failed."""
    from rich.console import Console

    from connectors.config import CATEGORIES, ConfigError, load_config
    from connectors.http.client import concurrently

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        exit_with(str(exc))
    if config is None:
        exit_with(f"no {CONFIG_NAME} in the working directory; create one with 'escalate init'")
    demo = None
    if any(config.backend(c) == "demo" for c in CATEGORIES):
        from connectors.demo import demo_workspace

        demo = demo_workspace()
    try:
        rows: list[Row] = concurrently(*(lambda c=c: check_one(config, c, demo) for c in CATEGORIES))
    finally:
        if demo is not None:
            demo.close()
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)
    console.print(table(rows))
    scopes = scopes_table(rows)
    if scopes is not None:
        console.print(scopes)
    broken = [r for r in rows if r.status == "config error"]
    if broken:
        more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
        exit_with(f"[{broken[0].category}] {clip(broken[0].detail, 160)}{more}")
    if any(r.status == "error" for r in rows):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `init` and `connectors check` to the app."""
    app.command("init")(init)
    app.add_typer(connectors_app, name="connectors")
