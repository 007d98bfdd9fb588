"""The profile's composite evaluation score (GS2: 观摩后进行打分排名，结果计入半年评比和年度考评):
how the investment completion rate and the tours' score make one score, and which evaluations
(the half-year evaluation, the year-end evaluation) rank on it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from keyproj.policy.strict import Strict as _Strict

Counted = Literal["half_year", "year_end"]
COUNTED_LABELS = {"half_year": "半年评比", "year_end": "年度考评"}


class Composite(_Strict):
    """Weights (percent, summing to 100) of the investment score and the tour score.

    The investment score puts a completion rate on the tours' 0–100 scale: the rate ÷
    ``full_marks_rate`` × 100, at most 100 (completing the plan to date earns full marks).
    Listing ``half_year`` also sets up the half-year evaluation (GS2 半年评比).
    """

    investment_weight: int = Field(ge=0, le=100)
    tours_weight: int = Field(ge=0, le=100)
    full_marks_rate: float = Field(gt=0, le=10)
    counts_in: list[Counted] = Field(min_length=1)

    @model_validator(mode="after")
    def _weights_total_100(self) -> Composite:
        total = self.investment_weight + self.tours_weight
        if total != 100:
            raise ValueError(f"investment_weight and tours_weight must add up to 100, not {total}")
        if len(set(self.counts_in)) != len(self.counts_in):
            raise ValueError("counts_in lists each evaluation once")
        return self

    def counts(self, evaluation: Counted) -> bool:
        """Whether ``evaluation`` ranks on the composite score."""
        return evaluation in self.counts_in
