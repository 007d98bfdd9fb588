"""The profile's joint inspection groups (联合检查组, GS5): the groups and the units that form
them, how often each checks its projects, and what their findings feed."""

from __future__ import annotations

from pydantic import Field, model_validator

from keyproj.policy.strict import Strict as _Strict


class SeparateReport(_Strict):
    """A group whose findings are reported on their own (GS5: 督导检查报告单独印发), not in the
    joint bulletin; ``covers`` words what it checks as the regulation does, while the projects
    themselves are those the key office assigns to the group (分组方案由重点项目办提供)."""

    group: int = Field(ge=1, le=20)
    covers: str = Field(min_length=1, max_length=100)


class Inspections(_Strict):
    """``group_count`` groups, the n-th formed by ``groups[n-1]``, each checking every assigned
    project every ``every_weeks`` weeks."""

    group_count: int = Field(ge=1, le=20)
    groups: list[str]
    every_weeks: int = Field(ge=1, le=8)
    # Whether each unit's unresolved findings are listed beside the investment ranking.
    findings_beside_ranking: bool = False
    # The groups that report separately, each with its own numbered report.
    separate_reports: list[SeparateReport] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_name_a_group(self) -> Inspections:
        if len(self.groups) != self.group_count:
            raise ValueError("groups must name each of group_count groups")
        numbers = [s.group for s in self.separate_reports]
        if any(n > self.group_count for n in numbers) or len(set(numbers)) != len(numbers):
            raise ValueError("separate_reports must name distinct groups of group_count")
        return self

    def separate(self, number: int) -> SeparateReport | None:
        """The separate report of group ``number``, if it reports on its own."""
        return next((s for s in self.separate_reports if s.group == number), None)
