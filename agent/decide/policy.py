"""The escalation policy: thresholds, SLA hours, cadences and mappings the rules read.

Defaults ship in `agent/decide/policy.toml`; a user file overrides any subset of keys.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agent.errors import UsageError, clip

Severity = Literal["Critical", "High", "Medium"]
SEVERITIES: tuple[Severity, ...] = ("Critical", "High", "Medium")


Priority = Literal["P1", "P2", "P3", "P4"]
YEAR_HOURS = 24 * 366
# Policy numbers are hours, days, counts and dollars a person sets: finite, of the right type (no
# `true` for a threshold), and within bounds that make every derived deadline a real date.
Hours = Annotated[float, Field(gt=0, le=YEAR_HOURS, allow_inf_nan=False, strict=False)]


def _no_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_are_not_booleans(cls, value: Any) -> Any:
        return _no_bool(value)


class Thresholds(_Strict):
    high_value_arr: float = Field(ge=0, le=1e12)
    pattern_customers: int = Field(ge=2, le=10_000)
    multiple_customers: int = Field(ge=2, le=10_000)
    waiting_too_long_days: float = Field(gt=0, le=3650)
    stalled_customer_follow_ups: int = Field(ge=1, le=1000)
    sla_at_risk_hours: float = Field(ge=0, le=YEAR_HOURS)
    renewal_window_days: int = Field(ge=0, le=3650)


class Cadence(_Strict):
    internal: str = Field(min_length=1, max_length=100)
    internal_hours: Hours
    customer: str = Field(min_length=1, max_length=100)
    customer_hours: Hours


class PriorityMap(_Strict):
    Critical: Priority
    High: Priority
    Medium: Priority
    support_defect: Priority
    support_request: Priority


class Policy(_Strict):
    """Every number the rules use. Rules are code; this is data."""

    version: str = Field(min_length=1, max_length=100)
    thresholds: Thresholds
    cadence: dict[Severity, Cadence]
    deadline_hours: dict[Severity, Hours]
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
    shown = clip(str(path))
    if path is not None:
        try:
            override = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(f"cannot read policy file {shown}: {exc.strerror or type(exc).__name__}") from exc
        except UnicodeDecodeError as exc:
            raise UsageError(f"policy file {shown} is not UTF-8 text") from exc
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"policy file {shown} is not valid TOML: {clip(str(exc))}") from exc
        except RecursionError as exc:
            raise UsageError(f"policy file {shown} is nested too deeply") from exc
        data = _merge(data, override)
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise UsageError(f"policy file {shown}: {clip(where)}: {first['msg']}") from exc
    missing = [s for s in SEVERITIES if s not in policy.cadence or s not in policy.deadline_hours]
    if missing:
        raise UsageError(f"policy file {path}: cadence/deadline_hours missing for {', '.join(missing)}")
    return policy
