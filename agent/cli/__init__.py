"""The `escalate` command line. Every user-fixable error is one line on stderr and exit status 2."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from agent.errors import UsageError

app = typer.Typer(
    name="escalate",
    help="Turn a customer-support issue into an escalation brief engineering can act on.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _register() -> None:
    from agent.cli import brief, workspace

    brief.register(app)
    workspace.register(app)
    for module in (
        "agent.cli.connectors_cmd",
        "agent.cli.act_cmd",
        "agent.cli.eval_cmd",
        "agent.cli.triage_cmd",
        "agent.cli.mcp_cmd",
        "agent.cli.ledger_cmd",
    ):
        try:
            loaded = __import__(module, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        loaded.register(app)


_register()


def fail(message: str) -> int:
    """Print one error line and return exit status 2."""
    first = " ".join(str(message).split()) or "invalid input"
    print(f"escalate: error: {first}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 2 bad input or configuration, 1 unexpected)."""
    try:
        result = app(args=list(argv) if argv is not None else None, standalone_mode=False, prog_name="escalate")
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        print("escalate: aborted", file=sys.stderr)
        return 130
    except typer.TyperException as error:
        format_message = getattr(error, "format_message", None)
        return fail(format_message() if callable(format_message) else str(error))
    except UsageError as exc:
        return fail(str(exc))
    except Exception as exc:
        from agent.models.anthropic_errors import ModelConfigError

        if isinstance(exc, ModelConfigError):
            return fail(str(exc))
        raise
    except KeyboardInterrupt:
        print("escalate: interrupted", file=sys.stderr)
        return 130
    return int(result) if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
