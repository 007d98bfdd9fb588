"""The profile's observation tours (观摩点评, DC4, GS2): how often, what scorers score and with
what weight, and whether the results count in the half-year and year-end evaluation."""

from __future__ import annotations

from pydantic import Field, model_validator

from keyproj.policy.strict import Strict as _Strict


class Criterion(_Strict):
    """One thing scored at each project: its key, its label and its full marks."""

    key: str = Field(pattern=r"^[a-z_]{1,32}$")
    label: str = Field(min_length=1, max_length=32)
    weight: int = Field(ge=1, le=100)


class Tours(_Strict):
    """Tours every ``every_months`` months; each project scored on ``criteria`` out of 100."""

    every_months: int = Field(ge=1, le=12)
    criteria: list[Criterion]
    # GS2: 结果计入半年评比和年度考评. The evaluation lists each unit's tour score beside its
    # ranking; no seed sets a weight that would fold it into one composite.
    feeds_evaluation: bool = False

    @model_validator(mode="after")
    def _marks_total_100(self) -> Tours:
        if sum(c.weight for c in self.criteria) != 100:
            raise ValueError("criteria weights must total 100")
        keys = [c.key for c in self.criteria]
        if len(set(keys)) != len(keys):
            raise ValueError("criteria keys must be distinct")
        return self

    @property
    def full_marks(self) -> int:
        """The highest total a project can be given (100)."""
        return sum(c.weight for c in self.criteria)
