"""How severe a text reads as a whole, by a second small linear classifier over the same word features as
`kinds`: Critical, High or Medium, as the seed's shorthand labels its examples.

The severity rules decide from criteria (production down, data at risk, a breach, an SLA); where the only
rule that applies is a weak default (a broken function with no workaround named, an issue no criterion
placed, the Medium fall-through), a confident reading of the whole text outweighs it, and the brief says
so. Weights are trained by `python -m training.train_kinds --severity`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from agent.extract.schema import SeverityLevel
from agent.models.offline.kinds import Weights, leaning, most_probable, shipped_weights

LEVELS: tuple[SeverityLevel, ...] = ("Critical", "High", "Medium")
SEVERITY_WEIGHTS_FILE = "severity.json"


@cache
def severity_weights() -> Weights:
    """The trained weights shipped with the package (loaded once, on first use)."""
    return shipped_weights(SEVERITY_WEIGHTS_FILE, LEVELS)


@dataclass(frozen=True)
class SeverityRead:
    """The level a text reads as, how sure the classifier is, and the sentence that reads most so."""

    level: SeverityLevel
    probability: float
    sentence: str


def read_severity(text: str, model: Weights | None = None) -> SeverityRead | None:
    """The most probable severity of the issue `text` describes, or None for an empty text."""
    model = model or severity_weights()
    found = most_probable(text, model)
    if found is None:
        return None
    best, probability, _ = found
    return SeverityRead(LEVELS[best], probability, leaning(text, model, best)[0])
