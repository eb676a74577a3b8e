"""Table-driven tests of every rule id: each row builds signals/facts and names the ids that must
(and must not) fire, and the decision that must follow."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from agent.decide.decision import decide
from agent.decide.facts import derive_facts
from agent.decide.policy import load_policy
from agent.decide.rules import RULES, RuleInput
from agent.extract.schema import Affected, AffectedAccount, Evidence, Extraction, SeverityReading, Signal, Signals
from agent.gather.gathered import Gathered
from connectors.records import Account, Article, Comment, Ticket, TrackerIssue

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
POLICY = load_policy()
EV = Evidence(source="request", id="request", url=None, quote="quoted")


def extraction(signals: dict[str, bool] | None = None, **fields: object) -> Extraction:
    present = {name: Signal(present=True, evidence=[EV]) for name, on in (signals or {}).items() if on}
    base: dict[str, object] = dict(summary="s", problem="Exports drop rows", description="d", category="bug")
    base.update(fields)
    return Extraction(signals=Signals(**present), **base)  # type: ignore[arg-type]


def account(name: str, arr: float, renewal: date | None = None, plan: str = "Enterprise") -> Account:
    return Account(source="t", source_id=name.lower(), name=name, arr=arr, plan=plan, renewal_date=renewal)


def ticket(
    tid: str,
    acct: str,
    *,
    due: datetime | None = None,
    age_days: float = 1,
    status: str = "open",
    keys: tuple[str, ...] = (),
) -> Ticket:
    return Ticket(
        source="t",
        source_id=tid,
        subject=f"subject {tid}",
        account=acct,
        status=status,
        created_at=NOW - timedelta(days=age_days),
        sla_due_at=due,
        tracker_keys=keys,
    )


def run(ex: Extraction, *records: object) -> tuple[set[str], object]:
    gathered = Gathered()
    gathered.add(list(records))  # type: ignore[arg-type]
    x = RuleInput(extraction=ex, facts=derive_facts(ex, gathered, POLICY, NOW), policy=POLICY)
    d = decide(x)
    return set(d.fired_ids()), d


ACME = account("Acme Corp", 480_000, date(2027, 1, 15))
SMALL = account("Tiny Co", 9_000, plan="Starter")
BUG = TrackerIssue(source="t", source_id="ENG-1", key="ENG-1", title="bug", issue_type="bug", status="Open")
REGRESSION = TrackerIssue(
    source="t", source_id="ENG-2", key="ENG-2", title="again", issue_type="bug", regression_of="ENG-0"
)
FEATURE = TrackerIssue(
    source="t", source_id="PROD-1", key="PROD-1", title="feature", issue_type="feature", status="Backlog"
)
HOWTO = Article(source="t", source_id="KB-1", title="How to rotate keys", article_type="how_to")


def _with_article_workaround(ex: Extraction) -> Extraction:
    """The extraction with a workaround read from the gathered article `HOWTO`."""
    cited = Evidence(source="t", id=HOWTO.source_id, url=None, quote="Workaround: rotate the key by hand")
    ex.signals.workaround_available = Signal(present=True, evidence=[cited])
    return ex


CASES = [
    # id, extraction, records, must fire, must not fire, (escalate, severity, target)
    (
        "documented",
        extraction({"documented_solution": True}, article_ids=["KB-1"]),
        [HOWTO],
        {"HS-DOCUMENTED"},
        {"TECH-BUG"},
        (False, None, None),
    ),
    ("config", extraction({"configuration_issue": True}), [], {"HS-CONFIG"}, set(), (False, None, None)),
    (
        "guidance",
        extraction({"guidance_request": True}),
        [],
        {"HS-GUIDANCE", "PRI-SUPPORT-REQUEST"},
        set(),
        (False, None, None),
    ),
    ("limitation", extraction({"known_limitation": True}), [], {"HS-LIMITATION"}, set(), (False, None, None)),
    ("precedent", extraction({"previously_solved_in_support": True}), [], {"HS-PRECEDENT"}, set(), (False, None, None)),
    (
        "routine request",
        extraction(category="account"),
        [],
        {"HS-NO-TRIGGER", "PRI-SUPPORT-REQUEST"},
        set(),
        (False, None, None),
    ),
    (
        "nothing read",
        extraction(category="other"),
        [],
        {"CPLX-NO-HANDLE", "TGT-L2", "SEV-MEDIUM"},
        {"HS-NO-TRIGGER"},
        (True, "Medium", "L2 Support"),
    ),
    (
        "plain feature",
        extraction({"feature_request": True}, category="feature"),
        [],
        {"HS-FEATURE-REQUEST"},
        {"PROD-FEATURE-GAP"},
        (False, None, None),
    ),
    (
        "feature gap a large pending deal hinges on",
        extraction(
            {"feature_request": True, "guidance_request": True},
            category="feature",
            money=[{"amount": 1_200_000, "kind": "deal", "customer_claim": False}],
        ),
        [],
        {"PROD-FEATURE-GAP", "TGT-PRODUCT"},
        {"HS-FEATURE-REQUEST", "HS-GUIDANCE"},
        (True, "Medium", "Product"),
    ),
    (
        "bug with a documented workaround stays in support",
        _with_article_workaround(extraction({"confirmed_bug": True}, article_ids=["KB-1"])),
        [HOWTO],
        {"TECH-BUG", "HS-DOCUMENTED", "PRI-SUPPORT-DEFECT"},
        set(),
        (False, None, None),
    ),
    (
        "new bug with an ad-hoc workaround still needs a fix",
        extraction({"confirmed_bug": True, "workaround_available": True}),
        [],
        {"TECH-BUG", "SEV-WORKAROUND", "TGT-ENGINEERING"},
        {"HS-DOCUMENTED"},
        (True, "Medium", "Engineering"),
    ),
    (
        "workaround failed",
        extraction({"confirmed_bug": True, "workaround_available": True, "workaround_failed": True, "blocked": True}),
        [],
        {"TECH-BUG", "TGT-ENGINEERING", "SEV-HIGH-MAJOR-BROKEN"},
        {"HS-DOCUMENTED"},
        (True, "High", "Engineering"),
    ),
    (
        "tracked bug",
        extraction(tracker_keys=["ENG-1"]),
        [BUG],
        {"TECH-BUG", "TGT-ENGINEERING", "ASK-INVESTIGATE", "SEV-HIGH-MAJOR-BROKEN"},
        set(),
        (True, "High", "Engineering"),
    ),
    (
        "infra",
        extraction({"infrastructure_issue": True}),
        [],
        {"TECH-INFRA", "TGT-ENGINEERING", "SEV-HIGH-MAJOR-BROKEN"},
        set(),
        (True, "High", "Engineering"),
    ),
    (
        "outage from the customer's own configuration, documented fix",
        extraction({"production_down": True, "configuration_issue": True, "documented_solution": True}),
        [],
        {"HS-CONFIG", "HS-DOCUMENTED"},
        {"TGT-ENGINEERING"},
        (False, None, None),
    ),
    (
        "outage from configuration, but data lost",
        extraction(
            {"production_down": True, "configuration_issue": True, "documented_solution": True, "data_loss": True}
        ),
        [],
        {"IMPACT-PROD-DOWN", "TECH-DATA"},
        set(),
        (True, "Critical", "Engineering"),
    ),
    (
        "infra with a workaround",
        extraction({"infrastructure_issue": True, "workaround_available": True}),
        [],
        {"TECH-INFRA", "TGT-ENGINEERING", "SEV-WORKAROUND"},
        set(),
        (True, "Medium", "Engineering"),
    ),
    (
        "data loss",
        extraction({"data_loss": True}),
        [],
        {"TECH-DATA", "SEV-CRIT-DATA", "PRI-FROM-SEVERITY"},
        set(),
        (True, "Critical", "Engineering"),
    ),
    (
        "beyond support",
        extraction({"beyond_support": True}),
        [],
        {"CPLX-BEYOND", "TGT-L2", "ASK-L2-INVESTIGATE"},
        set(),
        (True, "Medium", "L2 Support"),
    ),
    (
        "custom",
        extraction({"custom_implementation": True}),
        [],
        {"CPLX-CUSTOM", "TGT-L2"},
        set(),
        (True, "Medium", "L2 Support"),
    ),
    (
        "prod down",
        extraction({"production_down": True}),
        [],
        {"IMPACT-PROD-DOWN", "SEV-CRIT-PROD-DOWN"},
        set(),
        (True, "Critical", "Engineering"),
    ),
    (
        "exposure",
        extraction({"security_concern": True}, category="security"),
        [],
        {"IMPACT-SECURITY", "TGT-SECURITY", "SEV-CRIT-UNASSESSED-SECURITY", "ASK-SECURITY-ASSESS"},
        set(),
        (True, "Critical", "Security"),
    ),
    (
        "high value blocked",
        extraction(
            {"blocked": True, "beyond_support": True}, affected=Affected(accounts=[AffectedAccount(name="Acme Corp")])
        ),
        [ACME],
        {"BIZ-HIGH-VALUE", "SEV-HIGH-KEY-CUSTOMER"},
        set(),
        (True, "High", "L2 Support"),
    ),
    (
        "sla breached",
        extraction(ticket_ids=["1"]),
        [ticket("1", "Tiny Co", due=NOW - timedelta(hours=2)), SMALL],
        {"BIZ-SLA-BREACH", "SEV-HIGH-SLA"},
        {"BIZ-SLA-RISK"},
        (True, "High", "L2 Support"),
    ),
    (
        "sla at risk",
        extraction(ticket_ids=["1"]),
        [ticket("1", "Tiny Co", due=NOW + timedelta(hours=2)), SMALL],
        {"BIZ-SLA-RISK", "SEV-HIGH-SLA"},
        {"BIZ-SLA-BREACH"},
        (True, "High", "L2 Support"),
    ),
    (
        "exec",
        extraction({"executive_involvement": True}),
        [],
        {"BIZ-EXEC", "TGT-LEADERSHIP"},
        set(),
        (True, "Medium", "Leadership"),
    ),
    (
        "churn small",
        extraction({"churn_threat": True}),
        [],
        {"BIZ-CHURN", "TGT-L2"},
        {"BIZ-HIGH-VALUE"},
        (True, "Medium", "L2 Support"),
    ),
    (
        "churn high value near renewal",
        extraction(
            {"churn_threat": True, "feature_request": True}, affected=Affected(accounts=[AffectedAccount(name="Acme")])
        ),
        [ACME],
        {"BIZ-CHURN", "BIZ-HIGH-VALUE", "PROD-FEATURE-GAP", "TGT-LEADERSHIP", "ASK-LEADERSHIP-DECIDE"},
        set(),
        (True, "High", "Leadership"),
    ),
    (
        "policy",
        extraction({"policy_exception": True}),
        [],
        {"BIZ-POLICY-EXCEPTION", "TGT-LEADERSHIP", "ASK-APPROVE-EXCEPTION"},
        set(),
        (True, "Medium", "Leadership"),
    ),
    (
        "pr legal",
        extraction({"pr_legal_risk": True}),
        [],
        {"BIZ-PR-LEGAL", "SEV-HIGH-PR-LEGAL", "TGT-LEADERSHIP"},
        set(),
        (True, "High", "Leadership"),
    ),
    (
        "waiting",
        extraction({"beyond_support": True}, ticket_ids=["1"]),
        [ticket("1", "Tiny Co", age_days=9)],
        {"TIME-WAITING"},
        set(),
        (True, "Medium", "L2 Support"),
    ),
    (
        "pattern",
        extraction({"confirmed_bug": True}, affected=Affected(customer_count=3)),
        [],
        {"PAT-MULTI-CUSTOMER", "IMPACT-MULTI", "SEV-HIGH-MAJOR-BROKEN"},
        set(),
        (True, "High", "Engineering"),
    ),
    (
        "two customers is not a pattern",
        extraction({"infrastructure_issue": True}, affected=Affected(customer_count=2)),
        [],
        {"IMPACT-MULTI", "SEV-HIGH-MAJOR-BROKEN"},
        {"PAT-MULTI-CUSTOMER"},
        (True, "High", "Engineering"),
    ),
    (
        "regression",
        extraction(tracker_keys=["ENG-2"]),
        [REGRESSION],
        {"PAT-REGRESSION", "ASK-FIX-REGRESSION", "TGT-ENGINEERING"},
        set(),
        (True, "High", "Engineering"),
    ),
    (
        "supposedly fixed",
        extraction({"recurring": True}),
        [],
        {"PAT-REGRESSION", "SEV-HIGH-MAJOR-BROKEN"},
        set(),
        (True, "High", "Engineering"),
    ),
    (
        "worsening",
        extraction({"worsening": True}),
        [],
        {"PAT-WORSENING", "TGT-L2"},
        set(),
        (True, "Medium", "L2 Support"),
    ),
    (
        "feature gap with churn",
        extraction({"feature_request": True, "churn_threat": True}, tracker_keys=["PROD-1"]),
        [FEATURE],
        {"PROD-FEATURE-GAP"},
        {"HS-FEATURE-REQUEST"},
        (True, "Medium", "Product"),
    ),
    (
        "security beats engineering",
        extraction({"security_concern": True, "confirmed_bug": True}),
        [],
        {"TGT-SECURITY"},
        {"TGT-ENGINEERING"},
        (True, "Critical", "Security"),
    ),
    (
        "many users of one account",
        extraction({"infrastructure_issue": True}, affected=Affected(users_affected=400)),
        [],
        {"SEV-HIGH-MAJOR-BROKEN"},
        set(),
        (True, "High", "Engineering"),
    ),
    (
        "regression after a release",
        extraction({"confirmed_bug": True, "regression": True}),
        [],
        {"TECH-BUG", "SEV-HIGH-MAJOR-BROKEN"},
        {"PAT-REGRESSION"},
        (True, "High", "Engineering"),
    ),
    (
        "two high-value accounts",
        extraction(
            {"confirmed_bug": True},
            affected=Affected(accounts=[AffectedAccount(name="Acme Corp"), AffectedAccount(name="Big Co")]),
        ),
        [ACME, account("Big Co", 300_000)],
        {"SEV-CRIT-MULTI-HIGH-VALUE"},
        set(),
        (True, "Critical", "Engineering"),
    ),
]


@pytest.mark.parametrize(("name", "ex", "records", "must", "must_not", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule_table(
    name: str,
    ex: Extraction,
    records: list[object],
    must: set[str],
    must_not: set[str],
    expected: tuple[bool, str | None, str | None],
) -> None:
    fired, d = run(ex, *records)
    assert must <= fired, f"{name}: missing {must - fired}; fired {sorted(fired)}"
    assert not (must_not & fired), f"{name}: unexpected {must_not & fired}"
    assert (d.escalate, d.severity, d.target_team) == expected  # type: ignore[attr-defined]


def test_every_registered_rule_is_covered_by_the_table() -> None:
    covered = set().union(*(c[3] for c in CASES)) | {"TIME-STALLED"}  # covered by its own test below
    registered = {r.id for r in RULES}
    assert registered <= covered, f"rules without a table row: {registered - covered}"


def test_security_data_exposure_is_critical_and_bypasses_tiers() -> None:
    ex = extraction({"security_concern": True}, category="security")
    ex.signals.security_kind = "data_exposure"
    fired, d = run(ex)
    assert "SEV-CRIT-SECURITY" in fired
    assert d.target_team == "Security" and d.priority == "P1"  # type: ignore[attr-defined]


def test_policy_file_overrides_thresholds(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "policy.toml"
    path.write_text("[thresholds]\npattern_customers = 2\n", encoding="utf-8")
    policy = load_policy(path)
    ex = extraction({"infrastructure_issue": True}, affected=Affected(customer_count=2))
    gathered = Gathered()
    d = decide(RuleInput(extraction=ex, facts=derive_facts(ex, gathered, policy, NOW), policy=policy))
    assert "PAT-MULTI-CUSTOMER" in d.fired_ids()


def test_arr_comes_from_the_crm_not_from_claims() -> None:
    from agent.extract.schema import MoneyMention

    ex = extraction(
        {"churn_threat": True},
        affected=Affected(accounts=[AffectedAccount(name="Tiny Co")]),
        money=[MoneyMention(amount=5_000_000, kind="arr", customer_claim=True)],
    )
    gathered = Gathered()
    gathered.add([SMALL])
    facts = derive_facts(ex, gathered, POLICY, NOW)
    assert facts.arr_at_risk == 9_000
    assert facts.claimed_money[0].amount == 5_000_000


def test_comments_only_count_as_follow_ups_after_an_agent_reply() -> None:
    t = ticket("1", "Tiny Co")
    notes = [
        Comment(
            source="t",
            source_id=f"c{i}",
            ticket_id="1",
            author="x",
            author_role=role,
            created_at=NOW - timedelta(hours=10 - i),
            body="b",
        )
        for i, role in enumerate(["customer", "agent", "customer", "customer", "customer"])
    ]
    ex = extraction({"beyond_support": True}, ticket_ids=["1"])
    fired, _ = run(ex, t, *notes)
    assert "TIME-STALLED" in fired


@pytest.mark.parametrize(
    ("ex", "confidence"),
    [
        (extraction(category="other"), "low"),
        (extraction({"data_loss": True}), "high"),
        (extraction({"guidance_request": True}), "high"),
        (extraction({"confirmed_bug": True}), "medium"),
        (extraction(category="account"), "medium"),
    ],
)
def test_every_decision_states_its_confidence(ex: Extraction, confidence: str) -> None:
    _, d = run(ex)
    assert d.confidence == confidence  # type: ignore[attr-defined]
    assert d.confidence_reason  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("category", "target", "severity"),
    [
        ("security", "Security", "Critical"),
        ("bug", "Engineering", "High"),
        ("data", "Engineering", "High"),
        ("feature", "Product", "Medium"),
        ("business", "Leadership", "Medium"),
        ("other", "L2 Support", "Medium"),
    ],
)
def test_an_unplaced_issue_goes_to_the_team_of_its_category(category: str, target: str, severity: str) -> None:
    fired, d = run(extraction(category=category))
    assert "CPLX-NO-HANDLE" in fired
    assert (d.escalate, d.target_team, d.severity, d.confidence) == (True, target, severity, "low")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("category", "target"), [("security", "Security"), ("feature", "Product"), ("other", "L2 Support")]
)
def test_an_issue_escalated_by_its_breadth_alone_goes_to_the_team_of_its_category(category: str, target: str) -> None:
    fired, d = run(extraction(category=category, affected=Affected(customer_count=2)))
    assert "IMPACT-MULTI" in fired
    assert "CPLX-NO-HANDLE" not in fired
    assert d.target_team == target  # type: ignore[attr-defined]


def test_support_tier_triggers_keep_an_issue_with_l2_whatever_its_category() -> None:
    old = ticket("T-1", "Acme Corp", age_days=30)
    fired, d = run(extraction(category="bug", affected=Affected(customer_count=2), ticket_ids=["T-1"]), old)
    assert "TIME-WAITING" in fired or "TIME-STALLED" in fired
    assert d.target_team == "L2 Support"  # type: ignore[attr-defined]


def test_a_security_concern_of_no_stated_kind_is_critical_until_assessed() -> None:
    fired, d = run(extraction({"security_concern": True}, category="security"))
    assert "SEV-CRIT-UNASSESSED-SECURITY" in fired
    assert (d.target_team, d.severity) == ("Security", "Critical")  # type: ignore[attr-defined]
    ex = extraction({"security_concern": True}, category="security")
    ex.signals.security_kind = "vulnerability"
    fired, d = run(ex)
    assert "SEV-CRIT-UNASSESSED-SECURITY" not in fired
    assert d.severity == "High"  # type: ignore[attr-defined]


def test_a_category_does_not_override_a_criterion() -> None:
    fired, d = run(extraction({"confirmed_bug": True}, category="business"))
    assert "CPLX-NO-HANDLE" not in fired
    assert d.target_team == "Engineering"  # type: ignore[attr-defined]


def test_low_confidence_says_what_it_looked_for() -> None:
    _, d = run(extraction(category="other"))
    assert "documented solution" in d.confidence_reason  # type: ignore[attr-defined]
    assert "earlier tickets solved in support" in d.confidence_reason  # type: ignore[attr-defined]


def _read(level: str, probability: float) -> SeverityReading:
    return SeverityReading(level=level, probability=probability, evidence=[EV])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reading", "severity", "rule"),
    [
        (_read("Medium", 0.92), "Medium", "SEV-READ"),  # outweighs the major-broken default
        (_read("Medium", 0.8), "High", "SEV-HIGH-MAJOR-BROKEN"),  # not sure enough
        (_read("Critical", 0.92), "High", "SEV-HIGH-MAJOR-BROKEN"),  # Critical must be surer
        (_read("Critical", 0.97), "Critical", "SEV-READ"),
        (_read("High", 0.99), "High", "SEV-HIGH-MAJOR-BROKEN"),  # agrees: the rule stands
    ],
)
def test_a_whole_text_severity_reading_outweighs_only_a_default(
    reading: SeverityReading, severity: str, rule: str
) -> None:
    fired, d = run(extraction({"confirmed_bug": True}, severity_reading=reading))
    assert rule in fired
    assert d.severity == severity  # type: ignore[attr-defined]


def test_a_severity_reading_never_outweighs_a_criterion() -> None:
    fired, d = run(extraction({"confirmed_bug": True, "production_down": True}, severity_reading=_read("Medium", 0.99)))
    assert "SEV-CRIT-PROD-DOWN" in fired
    assert "SEV-READ" not in fired
    assert d.severity == "Critical"  # type: ignore[attr-defined]


def test_the_brief_says_why_a_reading_set_the_severity() -> None:
    _, d = run(extraction({"confirmed_bug": True}, severity_reading=_read("Medium", 0.93)))
    reason = next(f.reason for f in d.fired if f.id == "SEV-READ")  # type: ignore[attr-defined]
    assert "93%" in reason
    assert "SEV-HIGH-MAJOR-BROKEN" in reason


def _said(quote: str) -> Signal:
    return Signal(present=True, evidence=[Evidence(source="request", id="request", url=None, quote=quote)])


def test_a_workaround_the_text_says_the_kb_documents_is_a_known_workaround() -> None:
    documented = Signals(workaround_available=_said('The known issue in KB "Wallboards stop" gives the workaround'))
    fired, d = run(Extraction(summary="s", problem="p", description="d", category="bug", signals=documented))
    assert "HS-DOCUMENTED" in fired
    assert not d.escalate  # type: ignore[attr-defined]
    ad_hoc = Signals(workaround_available=_said("For now they use the phone tree instead"))
    fired, _ = run(Extraction(summary="s", problem="p", description="d", category="bug", signals=ad_hoc))
    assert "HS-DOCUMENTED" not in fired


def test_a_working_workaround_is_a_medium_criterion_that_a_reading_does_not_raise() -> None:
    ex = extraction({"confirmed_bug": True, "workaround_available": True}, severity_reading=_read("High", 0.95))
    fired, d = run(ex)
    assert "SEV-WORKAROUND" in fired
    assert "SEV-READ" not in fired
    assert d.severity == "Medium"  # type: ignore[attr-defined]


def test_a_workaround_does_not_make_an_issue_of_several_customers_medium() -> None:
    ex = extraction({"confirmed_bug": True, "workaround_available": True}, affected=Affected(customer_count=3))
    fired, _ = run(ex)
    assert "IMPACT-MULTI" in fired
    assert "SEV-WORKAROUND" not in fired


def test_a_failed_workaround_is_no_medium_criterion() -> None:
    fired, d = run(extraction({"confirmed_bug": True, "workaround_available": True, "workaround_failed": True}))
    assert "SEV-WORKAROUND" not in fired
    assert d.severity == "High"  # type: ignore[attr-defined]


def test_a_workaround_meets_the_de_escalation_condition_unless_data_or_security_is_at_stake() -> None:
    def met(signals: dict[str, bool]) -> bool:
        _, d = run(extraction({"confirmed_bug": True, "workaround_available": True, **signals}))
        return next(c.met for c in d.de_escalation if c.id == "DEESC-WORKAROUND")  # type: ignore[attr-defined]

    assert met({})
    assert not met({"data_loss": True})
    assert not met({"security_concern": True})
    assert not met({"workaround_failed": True})


def test_a_feature_gap_whose_alternative_does_not_fit_goes_to_product() -> None:
    fired, d = run(extraction({"feature_request": True, "known_limitation": True}, category="feature"))
    assert "HS-LIMITATION" in fired and not d.escalate  # type: ignore[attr-defined]
    fired, d = run(
        extraction({"feature_request": True, "known_limitation": True, "workaround_failed": True}, category="feature")
    )
    assert "HS-LIMITATION" not in fired
    assert "PROD-FEATURE-GAP" in fired
    assert d.target_team == "Product"  # type: ignore[attr-defined]


def test_a_wish_does_not_send_a_defect_found_beside_it_back_to_support() -> None:
    fired, d = run(extraction({"feature_request": True, "confirmed_bug": True}))
    assert "HS-FEATURE-REQUEST" not in fired and d.escalate  # type: ignore[attr-defined]
    by_design = Signal(
        present=True, evidence=[Evidence(source="request", id="request", quote="Access ends with the lease by design")]
    )
    ex = extraction({"regression": True})
    ex.signals.feature_request = by_design
    fired, d = run(ex)
    assert "HS-FEATURE-REQUEST" in fired and not d.escalate  # type: ignore[attr-defined]


def test_competing_customer_needs_are_product_work() -> None:
    wish = Signal(
        present=True, evidence=[Evidence(source="request", id="request", quote="Two districts want opposite things")]
    )
    ex = extraction(category="feature")
    ex.signals.feature_request = wish
    fired, d = run(ex)
    assert "PROD-FEATURE-GAP" in fired and d.target_team == "Product"  # type: ignore[attr-defined]


def test_an_improvised_stopgap_beside_an_unrelated_article_is_no_known_workaround() -> None:
    ex = extraction({"confirmed_bug": True, "workaround_available": True}, article_ids=["KB-1"])
    fired, d = run(ex, HOWTO)
    assert "HS-DOCUMENTED" not in fired and d.escalate  # type: ignore[attr-defined]
    fired, d = run(_with_article_workaround(extraction({"confirmed_bug": True}, article_ids=["KB-1"])), HOWTO)
    assert "HS-DOCUMENTED" in fired and not d.escalate  # type: ignore[attr-defined]


def test_a_feature_gap_asked_for_by_many_customers_goes_to_product() -> None:
    fired, d = run(extraction(category="feature", affected=Affected(customer_count=4)))
    assert "PAT-MULTI-CUSTOMER" in fired
    assert (d.target_team, d.severity) == ("Product", "Medium")  # type: ignore[attr-defined]


def test_many_customers_asking_for_an_executive_go_to_leadership_with_engineering_notified() -> None:
    fired, d = run(extraction({"executive_involvement": True}, affected=Affected(customer_count=3)))
    assert {"PAT-MULTI-CUSTOMER", "BIZ-EXEC"} <= fired
    assert d.target_team == "Leadership"  # type: ignore[attr-defined]
    assert "Engineering" in d.also_notify  # type: ignore[attr-defined]
    fired, d = run(
        extraction({"executive_involvement": True, "confirmed_bug": True}, affected=Affected(customer_count=3))
    )
    assert d.target_team == "Engineering"  # type: ignore[attr-defined]
