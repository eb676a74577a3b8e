"""`escalate eval`: run the golden cases, write reports, exit 1 when a metric is below threshold."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from agent.atomic import write_text_atomically
from agent.errors import UsageError


def eval_command(
    model: Annotated[str, typer.Option(help="offline, anthropic, anthropic:MODEL_ID or scripted.")] = "offline",
    cases: Annotated[
        list[Path] | None, typer.Option(help="A case file or directory (repeatable); default evals/cases.")
    ] = None,
    report_dir: Annotated[
        Path | None, typer.Option(help="Write eval-report.md and eval-report.json here (default: print a summary).")
    ] = None,
    results: Annotated[
        Path | None, typer.Option(help="Also write the short results summary (evals/RESULTS.md) here.")
    ] = None,
    thresholds: Annotated[Path | None, typer.Option(help="Thresholds TOML (default evals/thresholds.toml).")] = None,
) -> None:
    """Score decisions and brief quality on the golden cases; exit 1 below the thresholds."""
    # The eval suite (YAML cases, scorers) loads only when `escalate eval` runs.
    from evals.case import CaseError, load_cases
    from evals.report import results_markdown, to_markdown, write_reports
    from evals.runner import CASES_DIR, THRESHOLDS_FILE, load_thresholds, run_eval

    try:
        chosen = load_cases(cases or [CASES_DIR])
        limits = load_thresholds(thresholds or THRESHOLDS_FILE)
    except CaseError as exc:
        raise UsageError(str(exc)) from exc
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read thresholds: {exc}") from exc
    print(f"escalate: eval of {len(chosen)} cases with model {model}", file=sys.stderr)
    run = run_eval(chosen, model=model, thresholds=limits)
    if report_dir is not None:
        md_path, json_path = write_reports(run, report_dir)
        print(f"escalate: wrote {md_path} and {json_path}", file=sys.stderr)
    label = " ".join(str(c) for c in cases) if cases else "evals/cases"
    summary = results_markdown(run, label)
    if results is not None:
        write_text_atomically(results, summary)
        print(f"escalate: wrote {results}", file=sys.stderr)
    print(summary if report_dir is None else to_markdown(run).split("\n## Severity")[0])
    if not run.passed:
        print(
            "escalate: eval below thresholds: " + "; ".join(f"{k} {v}" for k, v in run.below.items()), file=sys.stderr
        )
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command("eval")(eval_command)
