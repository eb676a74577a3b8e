"""What kind of issue a text describes, read by a small linear classifier over word features.

The lexicon reads literal phrases; this reads the whole text at once, so it still says something when no
phrase matched ("the terminals spin on Syncing and the stores write orders on paper" has no outage phrase,
but reads as an engineering problem). It never decides anything: the offline reader uses it only to set
the issue's `category` when no lexicon reading placed it, and the deterministic rules route an escalation
found that way. Its weights are trained by `python -m training.train_kinds` on the labelled requests in
`training/corpus` and the development case sets, and stored beside the word lists.
"""

from __future__ import annotations

import array
import base64
import itertools
import json
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from agent.models.offline.text import cached_below, sentences, stem

Kind = Literal["support", "review", "engineering", "security", "product", "leadership"]
KINDS: tuple[Kind, ...] = ("support", "review", "engineering", "security", "product", "leadership")
"""What support handles, what L2 Support must investigate first, and the four teams an escalation goes to."""
WEIGHTS_FILE = "kinds.json"

_TOKEN = re.compile(r"\$\s?\d[\d,.]*\s?(?:k|m|million|thousand)?\b|\d[\d,.]*|[a-z]+(?:n't|'t)?")
_NEGATIONS = frozenset({"no", "not", "never", "nothing", "without", "none", "nobody", "cannot"})
_MONEY = re.compile(r"\$\s?(\d[\d,.]*)\s?(k|m|million|thousand)?\b")
READ_LIMIT = 20_000
"""Characters of a text the classifier reads: what kind of issue it is shows long before that, and a pasted
megabyte of log must not cost more than a page."""
HIGH_VALUE = 250_000.0
"""A stated amount at or above this reads as a high-value account's figure (the policy's threshold)."""


def _money_token(token: str) -> str:
    match = _MONEY.match(token)
    if match is None:
        return "<money>"
    try:
        value = float(match.group(1).replace(",", "").rstrip("."))
    except ValueError:
        return "<money>"
    scale = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}.get((match.group(2) or "").lower(), 1.0)
    return "<money-large>" if value * scale >= HIGH_VALUE else "<money>"


CACHED_FEATURES_LIMIT = 2_000
"""Texts up to this many characters (sentences, short requests) keep their features cached: the same
sentences of shared records are read brief after brief, and by both classifiers."""


@cached_below(CACHED_FEATURES_LIMIT, maxsize=16384)
def features(text: str) -> tuple[str, ...]:
    """The classifier's features of a text: word stems (negated ones marked) and adjacent-stem pairs."""
    units: list[str] = []
    negate = 0
    for token in _TOKEN.findall(text.lower().replace("’", "'")):
        if token.startswith("$"):
            unit = _money_token(token)
        elif token[0].isdigit():
            unit = "<num>"
        elif token in _NEGATIONS or token.endswith(("n't", "'t")):
            negate = 3
            units.append("<neg>")
            continue
        else:
            unit = stem(token)
            if negate:
                unit = f"not:{unit}"
        negate = max(0, negate - 1)
        units.append(unit)
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(units)]
    return (*units, *pairs)


@dataclass(frozen=True)
class Weights:
    """A linear model: per feature, one weight per kind, plus one bias per kind."""

    bias: tuple[float, ...]
    table: dict[str, tuple[float, ...]]

    def scores(self, feats: Sequence[str]) -> list[float]:
        total = list(self.bias)
        seen: set[str] = set()
        for feat in feats:
            if feat in seen:
                continue
            seen.add(feat)
            row = self.table.get(feat)
            if row is not None:
                for i, w in enumerate(row):
                    total[i] += w
        return total


def dump_weights(model: Weights, labels: tuple[str, ...] = KINDS) -> str:
    """The weights as the file's JSON: the labels they score, the feature names, and their rows as base64
    float32 (a float per weight parsed from JSON text costs ten times more to load)."""
    names = sorted(model.table)
    flat = array.array("f", [w for name in names for w in model.table[name]])
    if sys.byteorder != "little":
        flat.byteswap()
    payload = {
        "kinds": list(labels),
        "bias": [round(b, 4) for b in model.bias],
        "features": names,
        "weights_f32le": base64.b64encode(flat.tobytes()).decode("ascii"),
    }
    return json.dumps(payload, separators=(",", ":")) + "\n"


def parse_weights(text: str, labels: tuple[str, ...] = KINDS) -> Weights:
    """Weights from the file's JSON (see `dump_weights`), refused unless they score `labels`."""
    raw = json.loads(text)
    if tuple(raw["kinds"]) != labels:
        raise ValueError(f"weights are for kinds {raw['kinds']}, not {list(labels)}")
    flat = array.array("f")
    flat.frombytes(base64.b64decode(raw["weights_f32le"]))
    if sys.byteorder != "little":
        flat.byteswap()
    k = len(labels)
    values = flat.tolist()
    table = {name: tuple(values[i * k : (i + 1) * k]) for i, name in enumerate(raw["features"])}
    return Weights(bias=tuple(raw["bias"]), table=table)


def shipped_weights(file: str, labels: tuple[str, ...]) -> Weights:
    """Weights for `labels` from a file shipped beside the word lists."""
    return parse_weights(resources.files("agent.models.offline.words").joinpath(file).read_text("utf-8"), labels)


@cache
def weights() -> Weights:
    """The trained weights shipped with the package (loaded once, on first use)."""
    return shipped_weights(WEIGHTS_FILE, KINDS)


def softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


@dataclass(frozen=True)
class Reading:
    """The kind a text reads as, how sure the classifier is, and why."""

    kind: Kind
    probability: float
    words: tuple[str, ...]
    """The features that pushed most towards this kind."""
    sentence: str
    """The sentence that reads most strongly as this kind (the evidence to quote)."""


def most_probable(text: str, model: Weights) -> tuple[int, float, tuple[str, ...]] | None:
    """The index and probability of the model's most probable label for `text` (read up to
    `READ_LIMIT`), with the text's features; None for a text without any."""
    feats = features(text[:READ_LIMIT])
    if not feats:
        return None
    probabilities = softmax(model.scores(feats))
    best = max(range(len(probabilities)), key=lambda i: probabilities[i])
    return best, probabilities[best], feats


def read_kind(text: str, model: Weights | None = None) -> Reading | None:
    """The most probable kind of issue `text` describes, or None for an empty text."""
    model = model or weights()
    text = text[:READ_LIMIT]
    found = most_probable(text, model)
    if found is None:
        return None
    best, probability, feats = found
    pushes = sorted(
        {
            f: model.table[f][best] - sum(model.table[f]) / len(KINDS) for f in dict.fromkeys(feats) if f in model.table
        }.items(),
        key=lambda item: -item[1],
    )
    words = tuple(f for f, push in pushes[:4] if push > 0)
    return Reading(KINDS[best], probability, words, telling(text, KINDS[best], model)[0])


def telling(text: str, kind: Kind, model: Weights | None = None) -> list[str]:
    """The text's sentences, those that read most strongly as `kind` first."""
    return leaning(text, model or weights(), KINDS.index(kind))


def leaning(text: str, model: Weights, index: int) -> list[str]:
    """The text's sentences, those that lean most towards the model's label `index` first."""
    text = text[:READ_LIMIT]
    return sorted(sentences(text) or [text], key=lambda s: -_lean(model, features(s), index))


def _lean(model: Weights, feats: Sequence[str], kind: int) -> float:
    scores = model.scores(feats)
    return scores[kind] - max(s for i, s in enumerate(scores) if i != kind)
