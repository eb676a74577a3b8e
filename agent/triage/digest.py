"""Human views of a triage: the markdown digest, the ranked terminal table, the progress bar."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from agent.decide.impact import money


def _cell(text: Any) -> str:
    """Report text inside a markdown table cell: one line, no column breaks."""
    return " ".join(str(text if text is not None else "").split()).replace("|", "\\|")


def render_digest(report: dict[str, Any], limit: int = 50) -> str:
    """The markdown digest: counts, pattern escalations, escalated tickets, failures."""
    c = report["counts"]
    lines = [
        "# Triage digest",
        "",
        f"{report['date'][:16].replace('T', ' ')} UTC · source: {_cell(report['source'])} · model: {report['model']} · "
        f"workspace: {report['workspace']} · policy {report['policy_version']}",
        "",
        f"- Tickets: {c['tickets']} ({c['triaged']} triaged, {c['failed']} failed, {c['pending']} pending)",
        *(
            [f"- Fallback: {c['fallback']} ticket(s) read by the offline reader because the model failed"]
            if c.get("fallback")
            else []
        ),
        f"- Escalate: {c['escalate']} ticket(s), {c.get('low_confidence', 0)} of all read with low confidence "
        f"(confirm by hand); {c['pattern_escalations']} cross-customer pattern(s) out of {c['clusters']} cluster(s)",
        "",
    ]
    patterns = [cl for cl in report["clusters"] if cl["escalate"]]
    if patterns:
        lines += [
            "## Cross-customer patterns",
            "",
            "| Cluster | Priority | Severity | Target | Accounts | ARR at risk | Tickets | Issue |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for cl in patterns:
            unknown = f" (+{len(cl['arr_unknown_accounts'])} unknown)" if cl["arr_unknown_accounts"] else ""
            lines.append(
                f"| {cl['id']} | {cl['priority']} | {cl['severity']} | {cl['target_team']} | {len(cl['accounts'])} | "
                f"{money(cl['arr_at_risk'])}{unknown} | {len(cl['ticket_ids'])} | {_cell(cl['title'])} |"
            )
        lines.append("")
    questions = [cl for cl in report["clusters"] if not cl["escalate"] and len(cl["accounts"]) >= 2]
    if questions:
        lines += ["## Repeated below the pattern threshold, or questions (documentation candidates)", ""]
        lines += [
            f"- {cl['id']}: {_cell(cl['title'])} ({len(cl['accounts'])} accounts, {len(cl['ticket_ids'])} tickets)"
            for cl in questions[:limit]
        ]
        lines.append("")
    escalated = [t for t in report["tickets"] if t["escalate"]]
    if escalated:
        lines += [
            f"## Escalated tickets ({len(escalated)})",
            "",
            "| Ticket | Priority | Severity | Target | Account | Cluster | Summary |",
            "|---|---|---|---|---|---|---|",
        ]
        for t in escalated[:limit]:
            lines.append(
                f"| {_cell(t['id'])} | {t['priority']} | {t['severity']} | {t['target_team']} | {_cell(t['account'])} | "
                f"{t['cluster'] or ''} | {_cell(t['summary'])} |"
            )
        if len(escalated) > limit:
            lines.append(f"\n... and {len(escalated) - limit} more in the JSON report.")
        lines.append("")
    if report["failed"]:
        lines += ["## Failed", "", "| Ticket | Line | Stage | Reason |", "|---|---|---|---|"]
        lines += [
            f"| {_cell(f['id'] or '-')} | {f['line'] or '-'} | {f['stage']} | {_cell(f['reason'])} |"
            for f in report["failed"]
        ]
        lines.append("")
    return "\n".join(lines)


def print_table(console: Console, report: dict[str, Any], top: int = 25) -> None:
    """The ranked table: pattern escalations, then tickets, most urgent first."""
    if not report["tickets"] and not report["clusters"]:
        c = report["counts"]
        console.print(f"No ticket triaged: {c['failed']} failed, {c['pending']} pending.")
        return
    table = Table(title=f"Triage: {report['counts']['triaged']} tickets", title_justify="left", box=box.SIMPLE_HEAD)
    widths = {
        "Item": (8, 14),
        "Pri": (3, 3),
        "Severity": (8, 8),
        "Target": (11, 11),
        "Account(s)": (12, 18),
        "ARR": (8, 12),
    }
    for name, (low, high) in widths.items():
        table.add_column(name, overflow="ellipsis", no_wrap=True, min_width=low, max_width=high)
    table.add_column("Issue", overflow="ellipsis", no_wrap=True, ratio=1, min_width=12)
    rank = 0
    for cl in report["clusters"]:
        if cl["escalate"] and rank < top:
            rank += 1
            table.add_row(
                f"{cl['id']} ({len(cl['ticket_ids'])})",
                cl["priority"],
                cl["severity"],
                cl["target_team"],
                f"{len(cl['accounts'])} accounts",
                _arr(cl),
                cl["title"],
            )
    for t in report["tickets"]:
        if rank >= top:
            break
        rank += 1
        table.add_row(
            f"#{t['id']}" + (f" {t['cluster']}" if t["cluster"] else ""),
            t["priority"],
            t["severity"] or "-",
            t["target_team"] or "support",
            t["account"] or "-",
            money(t["arr"]) if t["arr"] else "-",
            t["summary"],
        )
    console.print(table)
    c = report["counts"]
    more = c["triaged"] + c["pattern_escalations"] - rank
    tail = f"... {more} more in the report. " if more > 0 else ""
    fell_back = f", {c['fallback']} fallback" if c.get("fallback") else ""
    console.print(
        f"{tail}{c['escalate']} escalate, {c['pattern_escalations']} pattern(s), {c['failed']} failed{fell_back}."
    )


def _arr(cluster: dict[str, Any]) -> str:
    if cluster["arr_unknown_accounts"] and not cluster["arr_at_risk"]:
        return "unknown"
    more = " +?" if cluster["arr_unknown_accounts"] else ""
    return money(cluster["arr_at_risk"]) + more


class _Rate(ProgressColumn):
    """Tickets per second over rich's recent-speed window."""

    def render(self, task: Task) -> Text:
        """`12.3/s`, or `-/s` before there is a rate."""
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f}/s" if speed else "-/s", style="progress.data.speed")


class RichProgress:
    """A progress bar with rate and ETA on stderr (a `ProgressSink`)."""

    def __init__(self, console: Console | None = None, label: str = "triage") -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            _Rate(),
            TimeRemainingColumn(),
            TextColumn("{task.fields[note]}"),
            console=console or Console(stderr=True),
            transient=False,
        )
        self._label = label
        self._task: Any = None
        self._dead = 0

    def start(self, total: int, completed: int) -> None:
        """Show the bar, `completed` of `total` already done."""
        self._progress.start()
        self._task = self._progress.add_task(self._label, total=total, completed=completed, note="")
        self._progress.update(self._task, completed=completed)  # a fully resumed queue shows as finished

    def advance(self, note: str = "") -> None:
        """One more ticket finished; dead-lettered ones are counted on the bar."""
        if note == "dead-lettered":
            self._dead += 1
        self._progress.update(self._task, advance=1, note=f"{self._dead} dead-lettered" if self._dead else "")

    def note(self, text: str) -> None:
        """Show `text` after the bar."""
        self._progress.update(self._task, note=text)

    def stop(self) -> None:
        """Leave the final bar on screen."""
        self._progress.stop()
