"""What a plan version is for: the first plan of the year or one of the revisions (AL4, AL5)."""

from __future__ import annotations

from keyproj.codes.base import Code


class PlanKind(Code):
    """The kind of a plan version; the profile decides when revisions may be made (AL4, AL5)."""

    INITIAL = "initial", "年度计划"
    REVISION = "revision", "计划调整"
    CALIBRATION = "calibration", "5月初校准"
    ADJUSTMENT = "adjustment", "年中集中调整"


PLAN_KINDS = PlanKind.labels()
