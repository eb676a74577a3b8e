"""Clusters tickets that report the same issue, across customers, in near-linear time.

Text: each ticket is a unit TF-IDF vector over its normalised symptom terms and codes (see
`features`). Similar pairs are found without comparing every pair: an inverted index over each
ticket's most distinctive terms, where a ticket is compared only with the latest few tickets
sharing each such term (blocking). Reports of one issue are near-duplicates of one another far more
often than of anything else, so a handful of recent neighbours per term is enough to connect
them: O(n * terms * neighbours), not O(n^2).

A pair's score is its cosine, halved when the two disagree on what kind of report they are (a
question against a failure report) or quote codes and share none of them (401 against 429).

Pairs are then merged strongest first (union-find), and two groups join only while their centroids
stay similar too: that keeps one loose pair from chaining two different issues into one, which a
plain single-link merge would do.

Explicit links: tickets naming the same tracker issue are merged, whatever their words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from agent.triage.features import TicketFeatures, document_frequency, ticket_features
from agent.triage.input import QueueItem

PAIR_THRESHOLD = 0.4
"""Cosine at which two tickets are taken to tell the same issue."""
GROUP_THRESHOLD = 0.35
"""Cosine two groups' centroids must keep for the groups to merge."""
SUBJECT_WEIGHT = 2.0
"""The subject is the reporter's own summary: its terms count more."""
BLOCKING_TERMS = 6
"""A ticket's rarest shared terms it is indexed and looked up by."""
NEIGHBOURS = 12
"""Latest tickets per blocking term a ticket is compared with."""
DISAGREEMENT = 0.5
"""Factor on a pair's score when its tickets differ in kind or in the codes they quote."""

Vector = dict[str, float]


@dataclass(frozen=True)
class Doc:
    """A ticket as clustering sees it: its unit vector, the codes it quotes, its kind."""

    vector: Vector
    codes: frozenset[str]
    question: bool
    blocking: tuple[str, ...]
    """Its rarest terms, wherever they stand (subject or body), to find candidate pairs by."""


def ticket_text(item: QueueItem) -> str:
    """The words a ticket's issue is told in: its description, or its first customer message."""
    if item.ticket.description.strip():
        return item.ticket.description
    return next((c.body for c in item.comments if c.author_role == "customer"), "")


def docs(items: Sequence[QueueItem]) -> list[Doc]:
    """One `Doc` per item, its vector weighted by IDF over the whole queue."""
    features = [ticket_features(i.ticket.subject, ticket_text(i), i.ticket.account, SUBJECT_WEIGHT) for i in items]
    df = document_frequency(features)
    n = len(features)
    # A code quoted once identifies one request (a trace or request id), not a kind of error: it
    # cannot say two reports disagree.
    return [
        Doc(
            _weighted(f, df, n),
            frozenset(c for c in f.codes if df[c] > 1),
            f.question,
            tuple(sorted(f.weights, key=lambda t: (df[t] if df[t] > 1 else n, t))[:BLOCKING_TERMS]),
        )
        for f in features
    ]


def _weighted(features: TicketFeatures, df: dict[str, int], n: int) -> Vector:
    # A term seen once can match nothing; its weight is capped at that of a term seen twice so a
    # typo or a one-off word does not swamp the shared ones.
    weights = {t: w * math.log(1 + n / max(df[t], 2)) for t, w in features.weights.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {t: w / norm for t, w in weights.items()}


def _dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def pair_score(a: Doc, b: Doc) -> float:
    """How likely two tickets tell the same issue (0..1): cosine, less on disagreement."""
    score = _dot(a.vector, b.vector)
    if a.question != b.question or (a.codes and b.codes and not a.codes & b.codes):
        score *= DISAGREEMENT
    return score


def similar_pairs(tickets: Sequence[Doc], threshold: float = PAIR_THRESHOLD) -> list[tuple[float, int, int]]:
    """(score, i, j) for candidate pairs at or above `threshold`, found by blocking on shared terms."""
    postings: dict[str, list[int]] = {}
    pairs: list[tuple[float, int, int]] = []
    for i, doc in enumerate(tickets):
        seen: set[int] = set()
        for term in doc.blocking:
            posting = postings.setdefault(term, [])
            for j in posting[-NEIGHBOURS:]:
                if j not in seen:
                    seen.add(j)
                    score = pair_score(doc, tickets[j])
                    if score >= threshold:
                        pairs.append((score, j, i))
            posting.append(i)
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    return pairs


@dataclass
class _Groups:
    """Union-find whose roots carry the sum of their members' vectors and its squared norm."""

    parent: list[int]
    sums: list[Vector]
    norm2: list[float]

    @classmethod
    def of(cls, vecs: Sequence[Vector]) -> _Groups:
        return cls(list(range(len(vecs))), [dict(v) for v in vecs], [1.0 if v else 0.0 for v in vecs])

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def cosine(self, a: int, b: int) -> float:
        if self.norm2[a] <= 0 or self.norm2[b] <= 0:
            return 0.0
        return _dot(self.sums[a], self.sums[b]) / math.sqrt(self.norm2[a] * self.norm2[b])

    def union(self, a: int, b: int) -> None:
        """Merge roots `a` and `b`; the lower index stays the root, the smaller sum folds into the larger."""
        keep, drop = min(a, b), max(a, b)
        big, small = (self.sums[keep], self.sums[drop])
        if len(big) < len(small):
            big, small = small, big
        cross = _dot(big, small)
        for term, weight in small.items():
            big[term] = big.get(term, 0.0) + weight
        self.sums[keep] = big
        self.sums[drop] = {}
        self.norm2[keep] += self.norm2[drop] + 2 * cross
        self.parent[drop] = keep


def cluster_items(items: Sequence[QueueItem]) -> list[list[int]]:
    """Groups of item indexes (every item in exactly one group), largest first, then by first index."""
    if not items:
        return []
    tickets = docs(items)
    groups = _Groups.of([d.vector for d in tickets])
    for _, i, j in similar_pairs(tickets):
        a, b = groups.find(i), groups.find(j)
        if a != b and groups.cosine(a, b) >= GROUP_THRESHOLD:
            groups.union(a, b)
    by_key: dict[str, int] = {}
    for i, item in enumerate(items):
        for key in item.ticket.tracker_keys:
            other = by_key.setdefault(key.strip().upper(), i)
            a, b = groups.find(i), groups.find(other)
            if a != b:
                groups.union(a, b)
    out: dict[int, list[int]] = {}
    for i in range(len(items)):
        out.setdefault(groups.find(i), []).append(i)
    return sorted(out.values(), key=lambda g: (-len(g), g[0]))
