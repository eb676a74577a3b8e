"""The `escalate` command line. Every user-fixable error is one line on stderr and exit status 2."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from agent.cli import act_cmd, brief, connectors_cmd, eval_cmd, ledger_cmd, mcp_cmd, triage_cmd, workspace
from agent.errors import UsageError, clip
from agent.models.anthropic_errors import ModelConfigError

app = typer.Typer(
    name="escalate",
    help="Turn a customer-support issue into an escalation brief engineering can act on.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _global_options(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show tracebacks of unexpected errors.")] = False,
) -> None:
    """Turn a customer-support issue into an escalation brief engineering can act on."""


for command in (brief, workspace, connectors_cmd, act_cmd, eval_cmd, triage_cmd, mcp_cmd, ledger_cmd):
    command.register(app)


def fail(message: str) -> int:
    """Print one error line (at most ~200 characters) and return exit status 2."""
    first = clip(str(message), 200) or "invalid input"
    print(f"escalate: error: {first}", file=sys.stderr)
    return 2


def _is_text(word: str) -> bool:
    try:
        word.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: bytes that were not UTF-8 on the command line
        return False
    return "\x00" not in word


def verbose(argv: Sequence[str] | None) -> bool:
    """Whether the command line asks for details (`-v`/`--verbose`), tracebacks included."""
    words = list(sys.argv[1:] if argv is None else argv)
    return "-v" in words or "--verbose" in words


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 2 bad input or configuration, 1 unexpected)."""
    words = list(sys.argv[1:] if argv is None else argv)
    if any(not _is_text(word) for word in words):
        return fail("an argument is not valid UTF-8 text")
    try:
        result = app(args=words if argv is not None else None, standalone_mode=False, prog_name="escalate")
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        print("escalate: aborted", file=sys.stderr)
        return 130
    except typer.TyperException as error:
        format_message = getattr(error, "format_message", None)
        return fail(format_message() if callable(format_message) else str(error))
    except (UsageError, ModelConfigError) as exc:
        return fail(str(exc))
    except (UnicodeError, RecursionError, OverflowError) as exc:
        # Only input produces these (text that is not UTF-8, nesting or numbers beyond any real file).
        return fail(f"the input could not be read ({type(exc).__name__}): check the files and values given")
    except Exception as exc:
        if verbose(argv):
            raise
        print(
            f"escalate: error: unexpected {type(exc).__name__}; rerun as 'escalate -v ...' for the traceback",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("escalate: interrupted", file=sys.stderr)
        return 130
    return int(result) if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
