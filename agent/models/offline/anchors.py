"""The words a handle-in-support condition is anchored on (`words/anchors.toml`), for the sentences the
issue-kind classifier finds most telling of support's own work."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from agent.models.offline.text import is_asserted


@dataclass(frozen=True)
class Anchor:
    """One handle-in-support signal and the words that anchor it, with examples that must and must not match."""

    signal: str
    pattern: re.Pattern[str]
    fires: tuple[str, ...]
    does_not_fire: tuple[str, ...]


@cache
def anchors() -> tuple[Anchor, ...]:
    """Every anchor, in the file's order (the first that matches a sentence names its condition)."""
    raw = tomllib.loads(
        resources.files("agent.models.offline").joinpath("words", "anchors.toml").read_text(encoding="utf-8")
    )
    return tuple(
        Anchor(name, re.compile("|".join(spec["words"])), tuple(spec["fires"]), tuple(spec["does_not_fire"]))
        for name, spec in raw.items()
    )


def anchored(sentence: str) -> str | None:
    """The handle-in-support signal the sentence's words anchor, if any; a denied or hypothetical anchor
    ("the docs don't cover it", "if there were a setting") anchors nothing."""
    lowered = sentence.lower()
    for anchor in anchors():
        match = anchor.pattern.search(lowered)
        if match is not None:
            return anchor.signal if is_asserted(lowered, match.start()) else None
    return None
