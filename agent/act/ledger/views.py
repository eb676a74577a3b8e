"""The ledger's readable output: plain-text tables and summaries (`--json` prints the data instead)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def when(text: str | None) -> str:
    """A stored time (always UTC, fixed width: see `clock.stamp`) as `2026-12-03 14:00 UTC`."""
    return f"{text[:10]} {text[11:16]} UTC" if text else "-"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Columns padded to their widest cell; the last column is not padded. Cells must be one line
    already (free text goes through `clip`)."""
    cells = [[str(c) for c in headers], *[["-" if c is None else str(c) for c in r] for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells)


def clip(text: object, size: int = 60) -> str:
    """One line of at most `size` characters."""
    line = " ".join(("" if text is None else str(text)).split())
    return line if len(line) <= size else line[: size - 1] + "…"


def escalations(items: Sequence[Mapping[str, Any]]) -> str:
    """`ledger list`."""
    if not items:
        return "No escalations."
    rows = [
        (
            i["id"],
            i["status"],
            i["severity"] or "support",
            clip(i["target_team"] or "-", 20),
            when(i["updated_at"]),
            clip(i["summary"]),
        )
        for i in items
    ]
    return table(("ID", "STATUS", "SEVERITY", "TARGET", "UPDATED", "SUMMARY"), rows)


def followups(items: Sequence[Mapping[str, Any]]) -> str:
    """`escalate followups`: one line per obligation, SLA due times beside it."""
    if not items:
        return "No follow-ups due."
    rows = []
    for i in items:
        sla = "; ".join(
            f"#{s['ticket']} {'BREACHED' if s['breached'] else 'AT RISK' if s['at_risk'] else 'due'} {when(s['due'])}"
            for s in i["sla"]
        )
        state = "OVERDUE" if i["overdue"] else ""
        target = clip(i["target_team"] or "-", 20)
        rows.append((when(i["due"]), state, i["escalation_id"], i["kind"], i["severity"], target, sla or "-"))
    warnings = sorted(
        {
            f"SLA on ticket #{s['ticket']} ({i['escalation_id']}) is at risk: due {when(s['due'])}"
            for i in items
            for s in i["sla"]
            if s["at_risk"]
        }
    )
    head = table(("DUE", "", "ESCALATION", "KIND", "SEVERITY", "TARGET", "SLA"), rows)
    return "\n".join([head, *(["", *(f"Warning: {w}" for w in warnings)] if warnings else [])])


def _value(key: str, value: Any) -> str:
    if key == "due" and isinstance(value, Mapping):
        return "; ".join(f"{kind} {when(str(at))}" for kind, at in value.items())
    if key == "severity" and isinstance(value, list):
        return " -> ".join(str(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {clip(v, 40)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(clip(v, 40) for v in value)
    return clip(value, 80)


def history_line(event: Mapping[str, Any]) -> str:
    """One history entry: when, what, who, and its main fields."""
    skip = {"seq", "at", "kind", "actor", "steps", "rules_fired", "tickets", "policy_version", "why"}
    details = "; ".join(f"{k}: {_value(k, v)}" for k, v in event.items() if k not in skip and v not in (None, [], {}))
    who = f" by {event['actor']}" if event.get("actor") else ""
    return f"{when(event['at'])}  {event['kind']}{who}" + (f" ({details})" if details else "")


def escalation(item: Mapping[str, Any]) -> str:
    """`ledger show`."""
    lines = [
        f"{item['id']}  {item['status']}  {item['severity'] or 'handle in support'} -> {item['target_team'] or '-'}",
        f"Summary: {clip(item['summary'], 200)}",
        f"Tickets: {', '.join(item['tickets']) or '-'}   Tracker: {', '.join(item['tracker_keys']) or '-'}",
        f"Rules fired: {', '.join(item['rules_fired']) or '-'}",
    ]
    for o in item["obligations"]:
        lines.append(f"Next {o['kind']}: {when(o['due'])}")
    for s in item["sla"]:
        lines.append(f"SLA #{s['ticket']}: due {when(s['due'])}")
    if item["learnings"]:
        lines.append(f"Learnings: {clip(item['learnings'], 200)}" + ("  (fixed)" if item["fixed"] else ""))
    lines.append("History:")
    lines += [f"  {history_line(e)}" for e in item["history"]]
    return "\n".join(lines)
