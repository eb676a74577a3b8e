"""Seeded generator of realistic support-ticket queues for `escalate triage` benchmarks and tests.

The fictional product is an analytics SaaS (dashboards, exports, scheduled reports, SSO, webhooks,
API). A queue mixes recurring issues reported by many accounts in different words (some linked
to a tracker issue), one-off defects, how-to questions, feature requests, billing requests and noise
(greetings, signatures, typos). Accounts have plans, ARR and renewal dates so a workspace built
from `accounts.jsonl` gives the triage real CRM figures.

    python -m benchmarks.generate_tickets --count 10000 --out /tmp/queue
    # writes tickets.jsonl, accounts.jsonl and truth.json (ticket id -> issue id) in /tmp/queue
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BASE_NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

# fmt: off
_PREFIX = (
    "Acme", "Apex", "Blue", "Bright", "Cedar", "Delta", "Echo", "Falcon", "Granite", "Harbor", "Iron", "Juniper",
    "Kestrel", "Lumen", "Maple", "Nimbus", "Onyx", "Pioneer", "Quartz", "Redwood", "Summit", "Tidal", "Umber",
    "Vertex", "Willow", "Zephyr", "Aurora", "Beacon", "Cobalt", "Drift", "Ember", "Fjord", "Glacier", "Helix",
    "Indigo", "Jade", "Keystone", "Lantern", "Meridian", "Nova", "Orbit", "Prairie", "Quill", "Ridge", "Sable",
    "Tundra", "Unity", "Vista", "Wren",
)
_SUFFIX = (
    "Analytics", "Logistics", "Health", "Foods", "Capital", "Labs", "Retail", "Energy", "Media", "Systems", "Bank",
    "Insurance", "Motors", "Travel", "Pharma", "Robotics", "Studios", "Networks", "Foods", "Airlines", "Telecom",
    "Software", "Partners", "Group", "Holdings",
)
_PLANS = (("Starter", 0.45, 4000, 30000), ("Business", 0.38, 30000, 220000), ("Enterprise", 0.17, 200000, 1600000))
# fmt: on


@dataclass(frozen=True)
class Issue:
    """A recurring problem: paraphrased subjects and bodies, its product area and tracker link."""

    id: str
    area: str
    subjects: tuple[str, ...]
    bodies: tuple[str, ...]
    tracker_key: str | None = None
    weight: float = 1.0


# fmt: off
ISSUES: tuple[Issue, ...] = (
    Issue("export-missing-rows", "exports",
          ("CSV export is missing rows", "Exported report incomplete",
           "Rows dropped from data export", "Download has fewer records than the dashboard"),
          (
           "Since the last release our CSV exports are missing rows: the dashboard shows {n} rows, the file has fewer.",
           "The exported file is incomplete. Records vanish from the download once it passes about {n} lines.",
           "Data export drops records: finance reconciled the export against the UI and {k} rows are lost.",
           "When we download the report as CSV, rows disappear. Month-end close is blocked because totals don't match.",
          ), "ENG-1423", 3.0),
    Issue("sso-login-loop", "sso",
          ("SSO login loop", "Cannot sign in with Okta",
           "Users stuck redirecting at SAML login", "Single sign-on broken since this morning"),
          (
           "After the IdP redirect users land back on the login page, over and over. Nobody can log in.",
           "Okta SSO sends users in a redirect loop; {n} users are locked out.",
           "SAML sign-in keeps looping between our IdP and your login page. We cannot access dashboards.",
           "Single sign-on stopped working: the login page reloads endlessly after authenticating.",
          ), "ENG-1461", 2.5),
    Issue("webhook-delays", "webhooks",
          ("Webhooks delayed by hours", "Webhook deliveries arriving late",
           "Event notifications lagging", "Webhook events delivered hours after the fact"),
          (
           "Webhook deliveries are arriving {k} hours late, our downstream jobs time out.",
           "Our webhook endpoint receives events hours after they happen; the delivery log shows retries.",
           "Event notifications through webhooks lag badly since yesterday, sometimes by half a day.",
           "Webhooks are delayed: the events for orders placed at 9:00 arrived after 14:00.",
          ), "ENG-1502", 2.0),
    Issue("api-500", "api",
          ("API returning 500 errors", "Intermittent 502s from the REST API",
           "Internal server error on /v2/query", "API calls failing with 5xx"),
          (
           "About {k}% of our API calls fail with HTTP 500 since Monday. Request id req_{code} for example.",
           "The query endpoint intermittently answers 502 Bad Gateway; retries sometimes work.",
           "We get internal server errors (500) from /v2/query, sporadic but frequent, breaking our nightly sync.",
           "Our integration sees 503 and 500 responses from your API many times an hour.",
          ), "ENG-1477", 2.0),
    Issue("dashboard-slow", "dashboards",
          ("Dashboards very slow to load", "Dashboard latency terrible",
           "Charts take a minute to render", "Performance of dashboards degraded"),
          (
           "Dashboards take {k} seconds to load since last week; they used to open instantly.",
           "Every chart spins for nearly a minute before rendering. The whole team is affected.",
           "Dashboard performance has degraded badly, loading is sluggish for all our users.",
           "Our main dashboard is extremely slow, timeouts on the widgets with larger date ranges.",
          ), None, 1.5),
    Issue("scheduled-report-timezone", "reports",
          ("Scheduled report arrives an hour late", "Report schedule ignores our timezone",
           "Daily report sent at wrong time"),
          (
           "Our scheduled report should arrive at 07:00 local time but it comes at 08:00.",
           "The daily report email is sent one hour off since the daylight saving change.",
           "Report schedules seem to run in UTC instead of our configured timezone.",
          ), "ENG-1388", 1.0),
    Issue("data-exposure", "permissions",
          ("Users can see another team's dashboards", "Permission leak: private data visible",
           "Restricted dashboard visible to viewers"),
          (
           "Viewers in our workspace can open dashboards restricted to the finance group. This is a data exposure.",
           "One of our contractors could see customer data from a private dashboard they should not have access to.",
           "Row-level permissions are not applied: restricted records are visible to every user.",
          ), "SEC-77", 0.6),
    Issue("segment-events-missing", "integrations",
          ("Segment events missing", "Some Segment events never show up", "Event ingestion drops events"),
          (
           "Events from Segment arrive but 'Order Completed' is missing entirely.",
           "A subset of our Segment events are not ingested; counts are {k}% lower than in Segment.",
           "Ingestion is losing events from our Segment source since the connector update.",
          ), "ENG-1515", 1.2),
    Issue("pdf-export-blank", "exports",
          ("PDF export produces blank pages", "Blank PDF when exporting dashboard", "PDF download empty"),
          (
           "Exporting a dashboard to PDF gives blank pages with only the header.",
           "The PDF we download is empty: every chart area is white.",
           "Since the update, PDF exports render no charts at all.",
          ), None, 1.0),
    Issue("billing-double-charge", "billing",
          ("Charged twice this month", "Duplicate invoice charge", "Double billing on our card"),
          (
           "We were charged twice for the {month} invoice, please refund the duplicate.",
           "Our card shows two identical charges for this month's subscription.",
           "Billing took the payment twice; finance needs a credit note.",
          ), None, 0.8),
)
_HOWTO = (
    ("How do I change the dashboard timezone?", "Dashboards show UTC, we want {tz}."),
    ("Adding a new user", "How can I invite a colleague as a viewer?"),
    ("Where are invoices?", "Where can I download past invoices as PDF?"),
    ("API rate limits", "What are the rate limits on the query API for our plan?"),
    ("Reset password", "I forgot my password and the reset email doesn't show, can you help?"),
    ("Rename a workspace", "Is it possible to rename our workspace?"),
    ("Share a dashboard publicly", "Can we share a dashboard with someone outside the company?"),
)
_FEATURES = (
    ("Feature request: Snowflake connector", "We'd love to sync results straight into Snowflake."),
    ("Dark mode please", "Our analysts would like a dark theme for dashboards."),
    ("Custom PDF layouts", "Can the PDF export use our logo and a cover page?"),
    ("Export to Google Sheets", "It would help to push a report to Google Sheets on a schedule."),
)
_ONE_OFF_OBJECTS = (
    "chart legend", "filter dropdown", "date picker", "color palette", "tooltip", "axis label", "pivot table",
    "drill-down link", "annotation", "alert rule", "embedded iframe", "favorites list", "search box", "sparkline",
    "heatmap", "gauge widget", "funnel chart", "cohort grid", "KPI tile", "map layer", "comment thread",
    "calculated field", "parameter control", "text widget", "image upload", "bookmark", "breadcrumb", "sidebar",
    "notification bell", "query editor", "CSV import wizard", "API token page", "audit trail", "role editor",
    "team switcher", "onboarding checklist", "keyboard shortcut", "print preview", "zoom control", "share dialog",
)
_ONE_OFF_SYMPTOMS = (
    "resets after a refresh", "shows a wrong total", "overlaps the title", "is cut off on mobile", "doesn't persist",
    "ignores our locale", "flickers", "duplicates entries", "freezes the browser tab", "renders upside down",
    "loses its formatting", "shows a spinner forever", "throws a JavaScript error", "is misaligned in Safari",
    "can't be deleted", "shows stale numbers", "rounds percentages wrong", "sorts dates alphabetically",
    "hides the last column", "breaks with emoji in names", "opens twice", "uses the wrong currency symbol",
    "truncates long labels", "ignores dark mode", "jumps to page one", "logs me out", "shows another week's data",
    "won't accept a comma", "shows HTML tags", "is blank in Firefox",
)
_ONE_OFF_CONDITIONS = (
    "when the name has an accent", "after switching workspaces", "in the PDF export", "on a shared link",
    "with more than 20 series", "for viewers only", "right after login", "in the Japanese UI", "on our EU workspace",
    "when two people edit", "in presentation mode", "on a 4K monitor", "with a custom theme", "inside an embed",
    "when the filter is empty",
)
_ONE_OFF_CONTEXT = (
    "Steps: open any workbook, add one, save.", "Happens for everyone on the finance team.", "Screenshot attached.",
    "Tried clearing the cache, no luck.", "Chrome 131 on Windows.", "Not urgent.",
    "It's only cosmetic but customers see it.", "Reproducible every time.", "",
)
_ONE_OFF_BODIES = (
    "The {thing} {symptom}. {context}", "Hi, our {thing} {symptom}. {context}",
    "{context} The {thing} {symptom} for us.", "Looks like the {thing} {symptom}. {context}",
)
_OPENERS = (
    "", "", "Hi team, ", "Hello, ", "Good morning, ", "Hey support - ", "URGENT: ", "Hi, quick one. ",
)
_CLOSERS = (
    "", "", " Thanks!", " Thanks in advance.", " Please advise.", " Regards, {person}",
    " This is hurting us, please help.", " We need this fixed ASAP.",
)
_PEOPLE = (
    "Sam Ortiz", "Priya Nair", "Jon Bauer", "Mei Chen", "Ana Lopes", "Tom Becker", "Lea Moreau",
)
# fmt: on


def _account_name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = f"{rng.choice(_PREFIX)} {rng.choice(_SUFFIX)}"
        if name not in used:
            used.add(name)
            return name


def make_accounts(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """CRM accounts with a plan, ARR in the plan's range and a renewal date."""
    used: set[str] = set()
    accounts = []
    for i in range(count):
        name = _account_name(rng, used)
        plan, _, low, high = rng.choices(_PLANS, weights=[p[1] for p in _PLANS])[0]
        slug = name.lower().replace(" ", "-")
        accounts.append(
            {
                "id": f"acct-{i:05d}",
                "name": name,
                "domain": f"{slug}.example",
                "plan": plan,
                "arr": round(rng.uniform(low, high), -3),
                "renewal_date": (BASE_NOW + timedelta(days=rng.randint(5, 360))).date().isoformat(),
                "csm": rng.choice(_PEOPLE),
                "health": rng.choice(("Healthy", "Healthy", "Needs attention", "At risk")),
            }
        )
    return accounts


def _fill(rng: random.Random, text: str) -> str:
    return text.format(
        n=rng.choice((1200, 5000, 10000, 25000)),
        k=rng.randint(2, 40),
        code=f"{rng.getrandbits(32):08x}",
        month=rng.choice(("October", "November")),
        tz=rng.choice(("Europe/Berlin", "Asia/Tokyo", "America/Denver")),
        person=rng.choice(_PEOPLE),
    )


def _noise(rng: random.Random, text: str) -> str:
    if rng.random() < 0.15 and len(text) > 20:
        i = rng.randrange(len(text) - 1)
        text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # a typo: two letters swapped
    return _fill(rng, rng.choice(_OPENERS)) + text + _fill(rng, rng.choice(_CLOSERS))


def _ticket_text(rng: random.Random) -> tuple[str, str, str | None, str, tuple[str, ...]]:
    """(subject, body, tracker key, issue id, tags) for one ticket."""
    roll = rng.random()
    if roll < 0.55:
        issue = rng.choices(ISSUES, weights=[i.weight for i in ISSUES])[0]
        key = issue.tracker_key if issue.tracker_key and rng.random() < 0.35 else None
        return rng.choice(issue.subjects), _fill(rng, rng.choice(issue.bodies)), key, issue.id, (issue.area,)
    if roll < 0.75:
        subject, body = rng.choice(_HOWTO)
        return subject, _fill(rng, body), None, f"howto:{subject}", ("question",)
    if roll < 0.87:
        subject, body = rng.choice(_FEATURES)
        return subject, body, None, f"feature:{subject}", ("feature_request",)
    # A one-off defect: a widget and a symptom; the condition is detail that varies between reports.
    thing, symptom = rng.choice(_ONE_OFF_OBJECTS), rng.choice(_ONE_OFF_SYMPTOMS)
    told = f"{symptom} {rng.choice(_ONE_OFF_CONDITIONS)}"
    subject = f"{thing.capitalize()} {told}"
    body = rng.choice(_ONE_OFF_BODIES).format(thing=thing, symptom=told, context=rng.choice(_ONE_OFF_CONTEXT))
    return subject, body, None, f"oneoff:{thing}:{symptom}", ()


def make_tickets(
    rng: random.Random, count: int, accounts: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Tickets (newest last) and the ground truth: ticket id -> issue id."""
    # A few large accounts file many tickets, most file a handful (a long tail, as in real queues).
    weights = [1.0 / (1 + i) ** 0.6 for i in range(len(accounts))]
    tickets, truth = [], {}
    for i in range(count):
        account = rng.choices(accounts, weights=weights)[0]
        subject, body, key, issue_id, tags = _ticket_text(rng)
        # An open queue is mostly recent: ages are exponential (mean ~30 hours), capped at 14 days.
        created = BASE_NOW - timedelta(minutes=min(int(rng.expovariate(1 / 1800)) + 10, 14 * 24 * 60))
        ticket_id = str(200000 + i)
        row: dict[str, Any] = {
            "id": ticket_id,
            "subject": subject,
            "description": _noise(rng, body),
            "status": rng.choice(("new", "open", "open", "pending")),
            "priority": rng.choice(("low", "normal", "normal", "high", "urgent")),
            "requester": f"{rng.choice(_PEOPLE)} <ops@{account['domain']}>",
            "account": account["name"],
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tags": list(tags),
            "product_area": tags[0] if tags and tags[0] not in ("question", "feature_request") else None,
        }
        if key:
            row["tracker_keys"] = [key]
        tickets.append({k: v for k, v in row.items() if v is not None})
        truth[ticket_id] = issue_id
    tickets.sort(key=lambda t: t["created_at"])
    return tickets, truth


def write_queue(
    out: Path, count: int, seed: int = 7, accounts: int = 600, malformed: int = 0, fmt: str = "jsonl"
) -> Path:
    """Write tickets.<fmt>, accounts.jsonl and truth.json under `out`; returns the tickets file."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    crm = make_accounts(rng, accounts)
    tickets, truth = make_tickets(rng, count, crm)
    with (out / "accounts.jsonl").open("w", encoding="utf-8") as stream:
        stream.writelines(json.dumps(a) + "\n" for a in crm)
    (out / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    lines = [json.dumps(t, ensure_ascii=False) for t in tickets]
    for _ in range(malformed):  # broken rows at random places: bad JSON, a missing subject, a bad date
        bad = rng.choice(
            (
                '{"id": "x", "subject": ',
                '{"id": "9", "created_at": "2026-11-01T00:00:00Z"}',
                '{"id": "8", "subject": "s", "created_at": "yesterday"}',
            )
        )
        lines.insert(rng.randrange(len(lines) + 1), bad)
    path = out / f"tickets.{fmt}"
    if fmt == "jsonl":
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        columns = [
            "id",
            "subject",
            "description",
            "status",
            "priority",
            "requester",
            "account",
            "created_at",
            "tags",
            "product_area",
            "tracker_keys",
        ]
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=columns)
            writer.writeheader()
            for t in tickets:
                writer.writerow({k: ";".join(v) if isinstance(v, list) else v for k, v in t.items()})
    return path


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--accounts", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--malformed", type=int, default=0, help="broken rows to mix in")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    path = write_queue(args.out, args.count, args.seed, args.accounts, args.malformed, args.format)
    print(f"wrote {path} ({args.count} tickets), {args.out / 'accounts.jsonl'}, {args.out / 'truth.json'}")


if __name__ == "__main__":
    main()
