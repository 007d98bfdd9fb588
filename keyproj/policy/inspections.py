"""The profile's joint inspection groups (联合检查组, GS5): the groups and the units that form
them, how often each checks its projects, and what their findings feed."""

from __future__ import annotations

from pydantic import Field, model_validator

from keyproj.policy.strict import Strict as _Strict


class Inspections(_Strict):
    """``group_count`` groups, the n-th formed by ``groups[n-1]``, each checking every assigned
    project every ``every_weeks`` weeks."""

    group_count: int = Field(ge=1, le=20)
    groups: list[str]
    every_weeks: int = Field(ge=1, le=8)
    # Whether each unit's unresolved findings are listed beside the investment ranking.
    findings_beside_ranking: bool = False

    @model_validator(mode="after")
    def _one_name_a_group(self) -> Inspections:
        if len(self.groups) != self.group_count:
            raise ValueError("groups must name each of group_count groups")
        return self
