"""The escalation policy: thresholds, SLA hours, cadences and mappings the rules read.

Defaults ship in `agent/decide/policy.toml`; a user file overrides any subset of keys.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.errors import UsageError

Severity = Literal["Critical", "High", "Medium"]
SEVERITIES: tuple[Severity, ...] = ("Critical", "High", "Medium")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(_Strict):
    high_value_arr: float = Field(ge=0)
    pattern_customers: int = Field(ge=2)
    multiple_customers: int = Field(ge=2)
    waiting_too_long_days: float = Field(gt=0)
    stalled_customer_follow_ups: int = Field(ge=1)
    sla_at_risk_hours: float = Field(ge=0)
    renewal_window_days: int = Field(ge=0)


class Cadence(_Strict):
    internal: str
    internal_hours: float = Field(gt=0)
    customer: str
    customer_hours: float = Field(gt=0)


class PriorityMap(_Strict):
    Critical: str
    High: str
    Medium: str
    support_defect: str
    support_request: str


class Policy(_Strict):
    """Every number the rules use. Rules are code; this is data."""

    version: str
    thresholds: Thresholds
    cadence: dict[Severity, Cadence]
    deadline_hours: dict[Severity, float]
    priority: PriorityMap


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def default_policy_data() -> dict[str, Any]:
    """The shipped defaults as a plain dict."""
    return tomllib.loads(resources.files("agent.decide").joinpath("policy.toml").read_text(encoding="utf-8"))


def load_policy(path: Path | None = None) -> Policy:
    """The default policy, with the user's file (if any) layered on top. Raises `UsageError`."""
    data = default_policy_data()
    if path is not None:
        try:
            override = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(f"cannot read policy file {path}: {exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"policy file {path} is not valid TOML: {exc}") from exc
        data = _merge(data, override)
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise UsageError(f"policy file {path}: {where}: {first['msg']}") from exc
    missing = [s for s in SEVERITIES if s not in policy.cadence or s not in policy.deadline_hours]
    if missing:
        raise UsageError(f"policy file {path}: cadence/deadline_hours missing for {', '.join(missing)}")
    return policy
