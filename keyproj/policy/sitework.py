"""The profile's site work: random spot checks (LP10), the required site visits a week
(GS3 "1+3", DC2 on-site office) and the industry chains (DC5 链长制)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from keyproj.codes.sitework import ChainListKind, VisitKind, VisitRole
from keyproj.policy.strict import Strict as _Strict


class SpotChecks(_Strict):
    """LP10 随机抽查: each cycle every project at or above ``warnings.spot_check_min_investment_wan``
    is checked, and a random share of the others."""

    cycle: Literal["monthly", "quarterly"]
    # Of the projects under the threshold, this share is drawn at random (rounded up) …
    sample_rate: float = Field(gt=0, le=1)
    # … and at least this many, when there are so many.
    sample_min: int = Field(default=1, ge=0)
    # This many days before the cycle ends, the key office is told which planned projects are
    # still unchecked.
    remind_days_before_end: int = Field(default=5, ge=0, le=31)


class Visits(_Strict):
    """Site visits a project needs each calendar week (Monday to Sunday, Beijing time), by who
    makes them; only visits of ``counted_kinds`` count."""

    per_week: dict[str, int]
    counted_kinds: list[str] = Field(default_factory=lambda: [k.value for k in VisitKind])

    @model_validator(mode="after")
    def _known_codes(self) -> Visits:
        roles = [r for r in self.per_week if VisitRole.parse(r) is None]
        kinds = [k for k in self.counted_kinds if VisitKind.parse(k) is None]
        if roles or kinds:
            raise ValueError(
                f"unknown visit roles {roles} or kinds {kinds}; "
                f"known: {list(VisitRole.labels())}, {list(VisitKind.labels())}"
            )
        if any(n < 1 for n in self.per_week.values()) or not self.per_week:
            raise ValueError("per_week needs at least one role with at least one visit")
        return self


class Chains(_Strict):
    """DC5 链长制: each chain has one plan and four lists; ``lists`` are the lists kept besides
    the chain's projects (重点事项、重点园区、重点企业)."""

    lists: list[str]

    @model_validator(mode="after")
    def _known_lists(self) -> Chains:
        unknown = [k for k in self.lists if ChainListKind.parse(k) is None]
        if unknown or not self.lists:
            raise ValueError(
                f"unknown chain lists {unknown}; known: {list(ChainListKind.labels())}"
            )
        return self
