"""Train the issue-kind classifier of the offline reader and write its weights.

    python -m training.train_kinds            # train on everything, write the weights
    python -m training.train_kinds --cv       # leave one source out: how it does on text from a source it never saw
    python -m training.train_kinds --severity # the same for the severity reading (escalations only)

Examples come from `training/corpus/*.yaml` (labelled requests) and from the development case sets named in
`DEVELOPMENT_SETS` (their free-text cases). The held-out and final blind sets are never read here. A feature
is kept only when it occurs in examples from at least two sources, so that one source's product vocabulary
cannot carry a kind.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from agent.models.offline.kinds import KINDS, WEIGHTS_FILE, Weights, dump_weights, features, softmax
from agent.models.offline.severity_reading import LEVELS, SEVERITY_WEIGHTS_FILE

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "training" / "corpus"
DEVELOPMENT_SETS = (
    "evals/cases",
    "evals/blind1",
    "evals/blind2",
    "evals/blind3",
    "evals/blind4",
    "evals/blind5",
    "evals/blind6",
    "evals/blind7",
    "evals/blind8",
    "evals/blind9",
)
WORDS = ROOT / "agent" / "models" / "offline" / "words"
MIN_SOURCES = 2
MIN_EXAMPLES = 3
EPOCHS = 30
RATE = 0.1
L2 = 3e-4
SEED = 7


@dataclass(frozen=True)
class Example:
    text: str
    kind: str
    """The label: a kind of `KINDS`, or a level of `LEVELS` for the severity reading."""
    source: str
    accepted: tuple[str, ...] = ()
    """Every label the example accepts (a severity may be "Critical or High"); the label alone when empty."""


def kind_of(escalate: bool, target: str | None) -> str:
    if not escalate:
        return "support"
    teams: dict[str, str] = {
        "L2 Support": "review",
        "Security": "security",
        "Product": "product",
        "Leadership": "leadership",
    }
    return teams.get(target or "", "engineering")


@dataclass(frozen=True)
class Labelled:
    """One labelled request, from the corpus or a development case set."""

    text: str
    escalate: bool
    target: str | None
    severities: tuple[str, ...]
    source: str


def labelled() -> list[Labelled]:
    """The corpus' requests, then the free-text cases of the development sets, in a fixed order."""
    from evals.case import load_cases

    found = []
    for path in sorted(CORPUS.glob("*.yaml")):
        for row in yaml.safe_load(path.read_text("utf-8")) or []:
            levels = row.get("severity") or []
            levels = [levels] if isinstance(levels, str) else levels
            found.append(Labelled(str(row["text"]), bool(row["escalate"]), row.get("target"), tuple(levels), path.stem))
    for folder in DEVELOPMENT_SETS:
        for case in load_cases([ROOT / folder]):
            if case.input.workspace == "none":
                expect = case.expect
                target = expect.target[0] if expect.target else None
                levels = tuple(expect.severity or ())
                found.append(Labelled(case.input.request, expect.escalate, target, levels, folder))
    return found


def kind_examples() -> list[Example]:
    """Every labelled request, labelled by its kind."""
    return [Example(r.text, kind_of(r.escalate, r.target), r.source) for r in labelled()]


def severity_examples() -> list[Example]:
    """The escalations, labelled by their first listed severity."""
    return [Example(r.text, r.severities[0], r.source, r.severities) for r in labelled() if r.escalate and r.severities]


def train(examples: Sequence[Example], labels: tuple[str, ...] = KINDS) -> Weights:
    """Softmax regression with AdaGrad over features seen in several sources."""
    sources: dict[str, set[str]] = defaultdict(set)
    counts: Counter[str] = Counter()
    featured = [(sorted(set(features(e.text))), labels.index(e.kind)) for e in examples]
    for (feats, _), example in zip(featured, examples, strict=True):
        counts.update(feats)
        for f in feats:
            sources[f].add(example.source)
    kept = {f for f, n in counts.items() if n >= MIN_EXAMPLES and len(sources[f]) >= MIN_SOURCES}
    rows = [([f for f in feats if f in kept], label) for feats, label in featured]
    k = len(labels)
    table: dict[str, list[float]] = {f: [0.0] * k for f in kept}
    grad_sq: dict[str, list[float]] = {f: [1e-8] * k for f in kept}
    bias, bias_sq = [0.0] * k, [1e-8] * k
    order = list(range(len(rows)))
    rng = random.Random(SEED)
    for _ in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            feats, label = rows[i]
            scores = list(bias)
            for f in feats:
                for j, w in enumerate(table[f]):
                    scores[j] += w
            probs = softmax(scores)
            for j in range(k):
                g = probs[j] - (1.0 if j == label else 0.0)
                bias_sq[j] += g * g
                bias[j] -= RATE * g / bias_sq[j] ** 0.5
                for f in feats:
                    gf = g + L2 * table[f][j]
                    grad_sq[f][j] += gf * gf
                    table[f][j] -= RATE * gf / grad_sq[f][j] ** 0.5
    return Weights(bias=tuple(bias), table={f: tuple(round(w, 4) for w in ws) for f, ws in table.items()})


def accuracy(
    model: Weights, examples: Sequence[Example], labels: tuple[str, ...] = KINDS
) -> tuple[float, Counter[tuple[str, str]]]:
    """The share of examples whose most probable label is one they accept, and the (label, guess) counts."""
    confusion: Counter[tuple[str, str]] = Counter()
    right = 0
    for e in examples:
        scores = model.scores(features(e.text))
        guess = labels[max(range(len(labels)), key=lambda i: scores[i])]
        right += guess in (e.accepted or (e.kind,))
        confusion[(e.kind, guess)] += 1
    return right / max(1, len(examples)), confusion


def confident(
    model: Weights, examples: Sequence[Example], at_least: float, labels: tuple[str, ...] = KINDS
) -> tuple[int, int]:
    """How many examples are read at `at_least` probability or more, and how many of those are right."""
    shown = right = 0
    for e in examples:
        probabilities = softmax(model.scores(features(e.text)))
        best = max(range(len(labels)), key=lambda i: probabilities[i])
        if probabilities[best] >= at_least:
            shown += 1
            right += labels[best] in (e.accepted or (e.kind,))
    return shown, right


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cv", action="store_true", help="leave-one-source-out accuracy instead of writing weights")
    parser.add_argument(
        "--without", nargs="*", default=[], metavar="SOURCE", help="leave these sources out (to measure on them)"
    )
    parser.add_argument("--severity", action="store_true", help="the severity reading instead of the issue kind")
    args = parser.parse_args(argv)
    labels: tuple[str, ...] = LEVELS if args.severity else KINDS
    everything = severity_examples() if args.severity else kind_examples()
    examples = [e for e in everything if e.source not in args.without]
    print(f"{len(examples)} examples:", dict(Counter(e.kind for e in examples)))
    if args.cv:
        for source in sorted({e.source for e in examples}):
            held = [e for e in examples if e.source == source]
            model = train([e for e in examples if e.source != source], labels)
            share, confusion = accuracy(model, held, labels)
            sure, sure_right = confident(model, held, 0.8, labels)
            misses = {f"{a}->{b}": n for (a, b), n in confusion.items() if a != b}
            print(
                f"{source}: n={len(held)} accuracy {share:.1%}; read at >= 80%: {sure}, "
                f"{sure_right / max(1, sure):.1%} right; misses {misses}"
            )
        return
    model = train(examples, labels)
    output = WORDS / (SEVERITY_WEIGHTS_FILE if args.severity else WEIGHTS_FILE)
    output.write_text(dump_weights(model, labels), "utf-8")
    print(f"wrote {output.relative_to(ROOT)}: {len(model.table)} features")


if __name__ == "__main__":
    main()
