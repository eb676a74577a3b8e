"""Clusters tickets that report the same issue, across customers, in near-linear time.

Text: each ticket is a unit TF-IDF vector over normalized issue terms of its subject (counted
double) and description (stems with synonyms folded, so "download drops records" meets "export
missing rows"; the account's own name is left out). Tickets are read in queue order; each joins the most similar existing cluster (cosine with
the cluster's centroid at least `threshold`) or starts a new one. Candidates come from an inverted
index keyed by each cluster's signature terms (its members' highest-weighted terms), so a ticket is
compared with the few clusters that share a distinctive word, never with every ticket: O(n * c)
for c candidate clusters per ticket instead of O(n^2).

Explicit links: tickets naming the same tracker issue are merged (union-find), whatever their words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from agent.models.offline.relevance import issue_terms, name_terms
from agent.triage.input import QueueItem

DEFAULT_THRESHOLD = 0.4
SIGNATURE_TERMS = 6
SUBJECT_WEIGHT = 2.0
"""The subject is the reporter's own summary: its terms count double."""
MAX_POSTING = 400
"""A term indexing more clusters than this is too common to find candidates with (still scored)."""


@dataclass
class _Cluster:
    members: list[int]
    centroid: dict[str, float]
    signature: set[str] = field(default_factory=set)
    norm2: float = 0.0

    def add(self, index: int, vector: dict[str, float]) -> None:
        self.members.append(index)
        centroid = self.centroid
        for term, weight in vector.items():
            old = centroid.get(term, 0.0)
            centroid[term] = old + weight
            self.norm2 += 2 * old * weight + weight * weight


def ticket_text(item: QueueItem) -> str:
    """The words a ticket's issue is told in: its description, or its first customer message."""
    if item.ticket.description.strip():
        return item.ticket.description
    return next((c.body for c in item.comments if c.author_role == "customer"), "")


def _vectors(items: Sequence[QueueItem]) -> list[dict[str, float]]:
    bags: list[tuple[AbstractSet[str], AbstractSet[str]]] = []
    for item in items:
        names: AbstractSet[str] = name_terms(item.ticket.account) if item.ticket.account else frozenset()
        bags.append((issue_terms(item.ticket.subject) - names, issue_terms(ticket_text(item)) - names))
    df = Counter(term for subject, body in bags for term in subject | body)
    n = len(bags)
    vectors = []
    for subject, body in bags:
        # A term seen once can match nothing; its weight is capped at that of a term seen twice so
        # a typo or a one-off number does not swamp the shared words.
        weights = {t: math.log(1 + n / max(df[t], 2)) for t in subject | body}
        for term in subject:
            weights[term] *= SUBJECT_WEIGHT
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({t: w / norm for t, w in weights.items()})
    return vectors


def _signature(vector: dict[str, float], limit: int = SIGNATURE_TERMS) -> list[str]:
    return [t for t, _ in sorted(vector.items(), key=lambda p: (-p[1], p[0]))[:limit]]


def _text_clusters(vectors: list[dict[str, float]], threshold: float) -> list[_Cluster]:
    """Leader clustering in input order: join the most similar candidate cluster, or found one."""
    clusters: list[_Cluster] = []
    index: dict[str, list[int]] = {}
    for i, vector in enumerate(vectors):
        signature = _signature(vector)
        candidates: set[int] = set()
        for term in signature:
            posting = index.get(term)
            if posting and len(posting) <= MAX_POSTING:
                candidates.update(posting)
        best, best_score = -1, threshold
        for c in sorted(candidates):
            cluster = clusters[c]
            centroid = cluster.centroid
            dot = sum(w * centroid.get(t, 0.0) for t, w in vector.items())
            score = dot / math.sqrt(cluster.norm2) if cluster.norm2 > 0 else 0.0
            if score > best_score or (score == best_score and best < 0):
                best, best_score = c, score
        if best < 0:
            best = len(clusters)
            clusters.append(_Cluster(members=[], centroid={}))
        cluster = clusters[best]
        cluster.add(i, vector)
        for term in signature:
            if term not in cluster.signature:
                cluster.signature.add(term)
                index.setdefault(term, []).append(best)
    return clusters


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def cluster_items(items: Sequence[QueueItem], threshold: float = DEFAULT_THRESHOLD) -> list[list[int]]:
    """Groups of item indexes (every item in exactly one group), largest first, then by first index."""
    if not items:
        return []
    clusters = _text_clusters(_vectors(items), threshold)
    parent = list(range(len(items)))
    for cluster in clusters:
        root = _find(parent, cluster.members[0])
        for member in cluster.members[1:]:
            parent[_find(parent, member)] = root
    by_key: dict[str, int] = {}
    for i, item in enumerate(items):
        for key in item.ticket.tracker_keys:
            other = by_key.setdefault(key.strip().upper(), i)
            a, b = _find(parent, i), _find(parent, other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(_find(parent, i), []).append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))
