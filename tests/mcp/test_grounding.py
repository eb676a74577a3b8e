"""Grounding: a finding survives only when a quote of it is found in the records or the request."""

from __future__ import annotations

from datetime import UTC, datetime

from agent.extract.grounding import NO_AMOUNT, NO_EVIDENCE, NOT_FOUND, Corpus, ground, normalize
from agent.extract.schema import AffectedAccount, Evidence, Extraction, MoneyMention, Signal
from connectors.records import Ticket, TrackerIssue

TICKET = Ticket(
    source="demo",
    source_id="7",
    subject="Shared link shows another company’s data",
    description="We opened a   shared dashboard link and saw ANOTHER tenant's invoices.",
    created_at=datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
)
ISSUE = TrackerIssue(source="demo", source_id="ENG-2", key="ENG-2", title="Row drops", regression_of="ENG-1")
CORPUS = Corpus.of([TICKET, ISSUE], ["Customer at Acme says exports fail", "Acme Corp"])


def quote(text: str, source: str = "demo", id: str = "7") -> Evidence:
    return Evidence(source=source, id=id, quote=text)


def reading(**fields: object) -> Extraction:
    return Extraction.model_validate(
        {"summary": "s", "problem": "p", "description": "d", "category": "security", **fields}
    )


def test_matching_ignores_case_whitespace_typography_and_clipping() -> None:
    assert normalize("  A\u00a0b’C  ") == "a b'c"
    assert "saw another tenant's invoices" in CORPUS
    assert "Shared link shows another company's data." in CORPUS  # typographic apostrophe, added period
    assert "We opened a shared dashboard link and saw…" in CORPUS  # clipped
    assert "We opened a shared … another tenant's invoices" in CORPUS  # joined pieces, each found
    assert "opened 2026-11-27 09:00 UTC" in CORPUS and "ENG-2 is a regression of ENG-1" in CORPUS
    assert "exports fail" in CORPUS  # the request counts
    assert "saw our own invoices" not in CORPUS
    assert "We opened a shared … our own invoices" not in CORPUS  # every piece must be found
    assert "a" not in CORPUS and "…" not in CORPUS and "" not in CORPUS  # too short to be evidence


def test_a_finding_whose_quotes_are_found_nowhere_is_dropped_and_listed() -> None:
    grounded_quote = quote("saw ANOTHER tenant's invoices")
    made_up = quote("attacker dumped the whole database")
    extraction = reading(
        signals={
            "security_concern": Signal(present=True, evidence=[grounded_quote, made_up]),
            "churn_threat": Signal(present=True, evidence=[quote("we will cancel")]),
            "executive_involvement": Signal(present=True),
        },
        affected={
            "accounts": [AffectedAccount(name="Globex", evidence=[quote("Globex is affected")])],
            "customer_count": 40,
            "evidence": [quote("40 customers")],
        },
        money=[MoneyMention(amount=9e6, kind="arr", customer_claim=False, evidence=[quote("ARR $9M")])],
    )
    result = ground(extraction, CORPUS)
    s = result.extraction.signals
    assert s.security_concern.present and s.security_concern.evidence == [grounded_quote]
    assert not s.churn_threat.present and not s.executive_involvement.present
    x = result.extraction
    assert x.affected.accounts == [] and x.affected.customer_count is None and x.money == []
    listed = {(u.field, u.reason, u.dropped) for u in result.ungrounded}
    assert listed == {
        ("signals.security_concern", NOT_FOUND, False),
        ("signals.churn_threat", NOT_FOUND, True),
        ("signals.executive_involvement", NO_EVIDENCE, True),
        ("affected.accounts[0]", NOT_FOUND, True),
        ("affected", NOT_FOUND, True),
        ("money[0]", NOT_FOUND, True),
    }


def test_a_grounded_extraction_is_unchanged() -> None:
    extraction = reading(signals={"security_concern": Signal(present=True, evidence=[quote("another tenant")])})
    result = ground(extraction, CORPUS)
    assert result.extraction == extraction and result.ungrounded == []


def test_a_money_mention_must_state_its_amount_in_a_quote() -> None:
    corpus = Corpus.of([], ["Customer asks for a $12,000 service credit; their ARR is 480k"])
    stated = MoneyMention(
        amount=12_000, kind="credit", customer_claim=True, evidence=[quote("a $12,000 service credit")]
    )
    inflated = MoneyMention(amount=9e6, kind="arr", customer_claim=False, evidence=[quote("their ARR is 480k")])
    rounded = MoneyMention(amount=480_000, kind="arr", customer_claim=False, evidence=[quote("their ARR is 480k")])
    result = ground(reading(money=[stated, inflated, rounded]), corpus)
    assert result.extraction.money == [stated, rounded]
    assert [(u.field, u.reason, u.dropped) for u in result.ungrounded] == [("money[1]", NO_AMOUNT, True)]
