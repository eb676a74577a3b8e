"""The issue-kind classifier: its features, its shipped weights on plain examples, its training, and how
the offline reader lets a confident reading outweigh handle-in-support phrases."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from agent.extract.schema import Evidence
from agent.models.offline.anchors import anchored, anchors
from agent.models.offline.kinds import (
    KINDS,
    READ_LIMIT,
    Reading,
    Weights,
    dump_weights,
    features,
    parse_weights,
    read_kind,
)
from agent.models.offline.reconcile import (
    alarms_outweighed,
    anchored_support,
    outweighed_handles,
    routine_outweighed,
    security_read,
)
from agent.models.offline.severity_reading import LEVELS, read_severity, severity_weights
from agent.models.offline.signals import Passage, Scan
from training.train_kinds import Example, accuracy, train

EV = Evidence(source="request", id="request", url=None, quote="q")


def test_features_mark_negation_and_amounts() -> None:
    found = features("It is not broken. Their $410k ARR renewal, a $90 refund")
    assert "<neg>" in found
    assert "not:broken" in found
    assert "<money-large>" in found
    assert "<money>" in found
    assert "broken" not in found  # the negated word is not read as asserted


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "A former employee's login still works and someone downloaded every client file with it last night",
            "security",
        ),
        (
            "Since the update every order total is wrong and yesterday's orders have vanished from the history",
            "engineering",
        ),
        (
            "How do I change the logo on invoices? The help article walks through it and she just needs the link",
            "support",
        ),
        (
            "Their CFO says they will cancel the $600k ARR contract at renewal unless we agree to a price cut",
            "leadership",
        ),
        (
            "Since this morning every store's card payments fail and no sale can be rung up at any of the 200 stores",
            "Critical",
        ),
        (
            "The tooltip on one chart shows last month's label. The numbers are right and customers can read them "
            "from the table below; it is cosmetic and low priority for them.",
            "Medium",
        ),
    ],
)
def test_the_shipped_weights_read_plain_examples(text: str, kind: str) -> None:
    """Kinds are read by the issue-kind classifier, levels by the severity reading."""
    if kind in LEVELS:
        severity = read_severity(text)
        assert severity is not None
        assert (severity.level, severity.sentence in text) == (kind, True)
        return
    reading = read_kind(text)
    assert reading is not None
    assert reading.kind == kind
    assert reading.sentence in text


def test_an_empty_text_has_no_reading() -> None:
    assert read_kind("") is None


def test_training_learns_words_shared_across_sources_only() -> None:
    rows = []
    for source in ("a", "b"):
        rows += [Example(f"the export lost rows again {source}word", "engineering", source) for _ in range(4)]
        rows += [Example(f"please explain the setting {source}word", "support", source) for _ in range(4)]
    model = train(rows)
    assert "lost" in model.table and "explain" in model.table
    assert "aword" not in model.table  # seen in one source only: product vocabulary, not a kind
    share, _ = accuracy(model, [Example("rows lost", "engineering", "c"), Example("explain it", "support", "c")])
    assert share == 1.0


def _reading(kind: str, probability: float) -> Reading:
    return Reading(kind=kind, probability=probability, words=("w",), sentence="s")  # type: ignore[arg-type]


def _scan(*names: str) -> Scan:
    found = Scan()
    for name in names:
        found.add(name, EV)
    return found


def test_a_confident_escalation_reading_outweighs_handle_phrases() -> None:
    found = _scan("documented_solution", "guidance_request")
    assert outweighed_handles(found, _reading("engineering", 0.9)) == ["documented_solution", "guidance_request"]
    assert found.found == {}


def test_an_uncertain_reading_outweighs_nothing() -> None:
    found = _scan("documented_solution")
    assert outweighed_handles(found, _reading("engineering", 0.6)) == []
    assert "documented_solution" in found.found


def test_nothing_is_outweighed_when_the_word_lists_read_a_criterion() -> None:
    found = _scan("documented_solution", "data_loss")
    assert outweighed_handles(found, _reading("engineering", 0.99)) == []


def test_a_wish_is_not_outweighed_by_a_reading_of_a_defect() -> None:
    found = _scan("feature_request")
    assert outweighed_handles(found, _reading("engineering", 0.95)) == []
    assert outweighed_handles(found, _reading("product", 0.95)) == ["feature_request"]


def test_kinds_cover_every_team() -> None:
    assert set(KINDS) == {"support", "review", "engineering", "security", "product", "leadership"}


ANCHOR_FIRES = [(a.signal, text) for a in anchors() for text in a.fires]
ANCHOR_MISSES = [(a.signal, text) for a in anchors() for text in a.does_not_fire]


@pytest.mark.parametrize(("signal", "text"), ANCHOR_FIRES)
def test_an_anchor_names_its_condition_on_its_examples(signal: str, text: str) -> None:
    assert anchored(text) == signal


@pytest.mark.parametrize(("signal", "text"), ANCHOR_MISSES)
def test_an_anchor_stays_silent_on_its_counter_examples(signal: str, text: str) -> None:
    assert anchored(text) != signal


def test_every_anchor_is_a_handle_condition_the_rules_read() -> None:
    from agent.extract.schema import Signals

    assert {a.signal for a in anchors()} <= set(Signals.model_fields)


def test_a_sure_support_reading_anchors_the_condition_in_its_most_telling_sentence() -> None:
    text = "The owner asked why the tip report looks short. Our docs explain that cash tips only appear when declared."
    found = Scan()
    added = anchored_support(found, _reading("support", 0.99), [Passage(text, "request")])
    assert added == "documented_solution"
    assert "docs explain" in found.found["documented_solution"][0].quote


def test_no_condition_is_anchored_when_the_word_lists_read_something_or_the_reading_is_unsure() -> None:
    passages = [Passage("Our docs explain the setting.", "request")]
    assert anchored_support(_scan("data_loss"), _reading("support", 0.99), passages) is None
    assert anchored_support(Scan(), _reading("support", 0.9), passages) is None
    assert anchored_support(Scan(), _reading("engineering", 0.99), passages) is None


def test_a_routine_looking_request_that_reads_as_business_is_not_routine() -> None:
    assert routine_outweighed("billing", Scan(), _reading("leadership", 0.9))
    assert not routine_outweighed("billing", Scan(), _reading("leadership", 0.7))
    assert not routine_outweighed("account", _scan("routine_request"), _reading("engineering", 0.95))
    assert routine_outweighed("billing", Scan(), _reading("engineering", 0.95))  # a refund mentioned, not asked
    assert routine_outweighed("billing", _scan("blocked"), _reading("leadership", 0.99))  # pain is no criterion
    assert not routine_outweighed("billing", _scan("churn_threat"), _reading("leadership", 0.99))


def test_a_long_text_is_read_from_its_opening_only() -> None:
    filler = "Routine note about the weekly newsletter layout and fonts. " * 1_000
    late = "A former employee's login still works and someone downloaded every client file with it last night."
    reading = read_kind(filler + late)
    assert len(filler) > READ_LIMIT
    assert reading is not None
    assert reading == read_kind((filler + late)[:READ_LIMIT])
    assert reading.sentence != late


@pytest.mark.parametrize("alarm", ["production_down", "pr_legal_risk"])
def test_a_near_certain_support_reading_sets_aside_alarming_phrases_beside_a_handle_condition(alarm: str) -> None:
    found = _scan(alarm, "documented_solution")
    assert alarms_outweighed(found, _reading("support", 0.99)) == [alarm]
    assert set(found.found) == {"documented_solution"}


@pytest.mark.parametrize(
    "standing", ["data_loss", "security_concern", "churn_threat", "regression", "policy_exception"]
)
def test_criteria_that_always_stand_are_never_set_aside(standing: str) -> None:
    found = _scan("production_down", standing, "documented_solution")
    assert alarms_outweighed(found, _reading("support", 0.999)) == []
    assert "production_down" in found.found


def test_alarms_stand_without_a_handle_condition_or_a_near_certain_reading() -> None:
    assert alarms_outweighed(_scan("production_down"), _reading("support", 0.999)) == []
    assert alarms_outweighed(_scan("production_down", "documented_solution"), _reading("support", 0.95)) == []


def test_a_near_certain_security_reading_adds_the_concern_beside_another_criterion() -> None:
    said = "A supervisor can open the keys page and copy every key. I saw it on a test tenant too."
    passages = [Passage(said, "request")]
    reading = Reading(
        kind="security",
        probability=0.99,
        words=("key",),
        sentence="A supervisor can open the keys page and copy every key.",
    )
    found = _scan("confirmed_bug")
    assert security_read(found, reading, passages)
    assert found.found["security_concern"][0].quote == reading.sentence


@pytest.mark.parametrize(
    ("names", "kind", "probability"),
    [
        (("confirmed_bug",), "security", 0.9),  # not near certain
        (("confirmed_bug",), "engineering", 0.99),  # not a security reading
        (("confirmed_bug", "security_concern"), "security", 0.99),  # already read
        (("documented_solution",), "security", 0.99),  # no criterion: the rules place an unplaced issue
    ],
)
def test_a_security_concern_is_added_only_when_near_certain_and_missing(
    names: tuple[str, ...], kind: str, probability: float
) -> None:
    passages = [Passage("A supervisor can open the keys page.", "request")]
    reading = Reading(
        kind=kind, probability=probability, words=("key",), sentence="A supervisor can open the keys page."
    )  # type: ignore[arg-type]
    found = _scan(*names)
    assert not security_read(found, reading, passages)
    assert len(found.found.get("security_concern", [])) == ("security_concern" in names)


def test_weights_survive_their_file_format() -> None:
    model = Weights(bias=(0.1, -0.2, 0.3, 0.0, 0.5, -1.0), table={"lost": (1.25, -0.5, 0.0, 2.0, -3.0, 0.125)})
    back = parse_weights(dump_weights(model))
    assert back.bias == model.bias
    assert back.table == model.table  # every value here is exact in float32


def test_weights_for_other_kinds_are_refused() -> None:
    text = dump_weights(Weights(bias=(0.0,) * 6, table={})).replace('"review"', '"triage"')
    with pytest.raises(ValueError, match="kinds"):
        parse_weights(text)


def test_severity_weights_are_refused_as_kinds_and_kinds_as_severity() -> None:
    severity_text = dump_weights(severity_weights(), LEVELS)
    with pytest.raises(ValueError, match="kinds"):
        parse_weights(severity_text)
    assert parse_weights(severity_text, LEVELS).bias == pytest.approx(severity_weights().bias, abs=1e-4)


def test_training_takes_any_labels() -> None:
    examples = [
        Example("everything is down for every customer", "Critical", "a"),
        Example("everything is down for every customer and payments", "Critical", "b"),
        Example("everything is down at every store", "Critical", "c"),
        Example("a cosmetic label is misaligned, workaround exists", "Medium", "a"),
        Example("a cosmetic label is misaligned on one page", "Medium", "b"),
        Example("cosmetic label misaligned, low priority", "Medium", "c"),
    ]
    model = train(examples, LEVELS)
    share, _ = accuracy(model, examples, LEVELS)
    assert share == 1.0


def test_a_short_pointer_is_not_read_for_severity() -> None:
    from agent.models.offline.reconcile import SEVERITY_MIN_WORDS, severity_reading

    short = [Passage("Can you look at ticket 4821 for Acme? Customer is unhappy.", "request")]
    assert len(short[0].text.split()) < SEVERITY_MIN_WORDS
    assert severity_reading(short) is None
    long = (
        "Since this morning every store's card payments fail and no sale can be rung up at any of our 200 stores today"
    )
    read = severity_reading([Passage(long, "request")])
    assert read is not None
    assert read.evidence and read.evidence[0].quote in long


def test_the_words_a_reading_cites_do_not_depend_on_string_hashing() -> None:
    """Features with equal weight are cited in the order the text gives them, in every process."""
    text = (
        "Third instructor this month who pushed a half-finished quiz to students by accident: Save draft and "
        "Publish sit side by side and Publish has no confirmation step. It works as designed. Can product look?"
    )
    code = f"from agent.models.offline.kinds import read_kind; r = read_kind({text!r}); print(r and r.words)"
    cited = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(cited) == 1 and "None" not in cited.pop()
