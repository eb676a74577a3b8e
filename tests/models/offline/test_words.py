"""Every word list is data with its own examples: each example is a test that the list fires, or
does not, on that sentence alone; and no list names a customer, company or product."""

from __future__ import annotations

import re

import pytest

from agent.models.offline import lexicon
from agent.models.offline.signals import Passage, scan

ENTRIES = lexicon.ENTRIES


def _fires(key: str, text: str) -> bool:
    signal = "security_concern" if key.startswith("security:") else key
    found = scan([Passage(text, "request")])
    if signal not in found.found:
        return False
    return not key.startswith("security:") or found.security_kind is not None


FIRES = [(e.key, text) for e in ENTRIES for text in e.fires]
DOES_NOT_FIRE = [(e.key, text) for e in ENTRIES for text in e.does_not_fire]


@pytest.mark.parametrize(("key", "text"), FIRES)
def test_word_list_fires_on_its_examples(key: str, text: str) -> None:
    assert _fires(key, text), f"{key} did not fire on: {text}"


@pytest.mark.parametrize(("key", "text"), DOES_NOT_FIRE)
def test_word_list_does_not_fire_on_its_counter_examples(key: str, text: str) -> None:
    assert not _fires(key, text), f"{key} fired on: {text}"


def test_every_word_list_has_examples_both_ways() -> None:
    missing = [e.key for e in ENTRIES if not e.fires or not e.does_not_fire]
    assert missing == []


@pytest.mark.parametrize("name", sorted(lexicon.CLASSES))
def test_word_classes_match_their_examples(name: str) -> None:
    spec = lexicon.CLASSES[name]
    pattern = re.compile(lexicon.expand(spec.pattern, lexicon.CLASS_PATTERNS))
    for text in spec.fires:
        assert pattern.fullmatch(text), f"<{name}> does not match {text!r}"
    for text in spec.does_not_fire:
        assert not pattern.fullmatch(text), f"<{name}> matches {text!r}"


NAMES = re.compile(r"\b(?:lumen|routeline|acme|tidewell|boxline|pawledger)\b")


def test_word_lists_name_no_customer_company_or_product() -> None:
    for entry in ENTRIES:
        assert not NAMES.search(entry.pattern), entry.key


def test_stored_cues_match_the_patterns() -> None:
    stored = {key: sorted(options) if options else None for key, options in lexicon.CUES.items()}
    assert stored == lexicon.derive_cues(), "regenerate: python -m agent.models.offline.lexicon"


@pytest.mark.parametrize(("key", "text"), FIRES)
def test_every_example_that_fires_holds_a_cue(key: str, text: str) -> None:
    flat = " ".join(text.lower().split())
    assert lexicon.mentions(flat, key) or key.startswith("security:")
