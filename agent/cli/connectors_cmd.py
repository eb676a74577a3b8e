"""`escalate init` (write a commented `escalation.toml`) and `escalate connectors check` (call every
configured connector once and show what answered)."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from connectors.base import ConnectorError
from connectors.config import CATEGORIES, CONFIG_NAME, Config, ConfigError, build_source, load_config
from connectors.http.client import concurrently

connectors_app = typer.Typer(help="Inspect the connectors configured in escalation.toml.", no_args_is_help=True)

_DEMO_PROBES = {
    "support": lambda c: c.search_tickets("error", limit=1),
    "crm": lambda c: c.list_accounts(limit=1),
    "chat": lambda c: c.search_messages("error", limit=1),
    "tracker": lambda c: c.search_issues("error", limit=1),
    "kb": lambda c: c.search_articles("error", limit=1),
}


def fail(message: str) -> NoReturn:
    """One error line on stderr, exit status 2 (bad input or configuration)."""
    print(f"escalate: error: {' '.join(message.split())}", file=sys.stderr)
    raise typer.Exit(2)


@dataclass(frozen=True)
class Row:
    """One category's line in the check table."""

    category: str
    backend: str
    status: str
    """`ok`, `error`, `config error` or `-` (not connected)."""
    detail: str
    headroom: str = ""


def write_template(path: Path, force: bool) -> None:
    """Write the template atomically; refuse to overwrite unless `force`."""
    from connectors.config_template import TEMPLATE

    if path.exists() and not force:
        fail(f"{path} already exists; pass --force to overwrite it")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(TEMPLATE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def init(
    path: Annotated[Path, typer.Option("--path", help="Where to write the configuration.")] = Path(CONFIG_NAME),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented escalation.toml (every category on the demo data) to edit."""
    try:
        write_template(path, force)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or type(exc).__name__}")
    print(f"escalate: wrote {path}; edit it, then run 'escalate connectors check'", file=sys.stderr)


def check_one(config: Config, category: str, demo: Any) -> Row:
    """Call one category's connector once."""
    backend = config.backend(category)
    if backend == "none":
        return Row(category, backend, "-", "not connected")
    if backend == "demo":
        try:
            _DEMO_PROBES[category](demo.categories()[category])
        except Exception as exc:  # the embedded data should always answer; say so if not
            return Row(category, backend, "error", type(exc).__name__)
        return Row(category, backend, "ok", "embedded demo data")
    try:
        connector = build_source(config, category)
    except ConfigError as exc:
        return Row(category, backend, "config error", str(exc))
    try:
        detail = connector.check()
    except ConnectorError as exc:
        return Row(category, backend, "error", exc.message, _headroom(connector))
    finally:
        connector.close()
    return Row(category, backend, "ok", detail, _headroom(connector))


def _headroom(connector: Any) -> str:
    # MCP-backed sources have no HTTP client of their own, hence no rate-limit headers.
    http = getattr(connector, "http", None)
    return str(getattr(http, "headroom", None) or "")


def table(rows: list[Row]) -> Table:
    """The check results as a rich table."""
    out = Table(title="escalate connectors", title_justify="left")
    for name in ("category", "backend", "status"):
        out.add_column(name, no_wrap=True)
    out.add_column("detail", overflow="fold")
    out.add_column("rate-limit headroom", no_wrap=True)
    for row in rows:
        # Text, not markup: vendor messages are untrusted and `[crm]` must print as written.
        out.add_row(*(Text(cell) for cell in (row.category, row.backend, row.status, row.detail, row.headroom or "-")))
    return out


@connectors_app.command("check")
def check(
    config_path: Annotated[
        Path | None, typer.Option("--config", help=f"Configuration file (default: ./{CONFIG_NAME}).")
    ] = None,
) -> None:
    """Call each configured connector once; exit 2 on configuration errors, 1 if a source failed."""
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        fail(str(exc))
    if config is None:
        fail(f"no {CONFIG_NAME} in the working directory; create one with 'escalate init'")
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
    if any(r.status == "config error" for r in rows):
        raise typer.Exit(2)
    if any(r.status == "error" for r in rows):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `init` and `connectors check` to the app."""
    app.command("init")(init)
    app.add_typer(connectors_app, name="connectors")
