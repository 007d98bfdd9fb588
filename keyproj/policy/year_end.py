"""The profile's year-end evaluation (GS8, GS2, AL13–14, DC6, HD7): what it ranks and which
rewards and sanctions it proposes for whom."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from keyproj.policy.strict import Strict as _Strict

Colour = Literal["green", "blue", "yellow", "red"]
# What the year's evaluation is built from: the investment ranking of towns and departments
# (GS8), the weighted year-end scores of departments (AL11–13), each project's progress against
# its plan to date (DC6), or nothing (the records are entered one by one: HD7, LP20).
Basis = Literal["ranking", "scores", "progress", "none"]


class YearEnd(_Strict):
    """The year-end evaluation's rules; a value left at its default is a rule the county lacks."""

    basis: Basis
    # GS8 towns: prizes by rank from the first (万元), penalties from the second-last to the last.
    town_prizes_wan: list[int] = Field(default_factory=list)
    town_penalties_wan: list[int] = Field(default_factory=list)
    town_top_merit: bool = False  # 三等功 for the prized towns' leaders
    town_last_criticism: bool = False  # the last town: 通报批评, 不予参加评先评优
    # GS8 departments: completed ÷ planned at or above this completes the year's task (三等功);
    # below it: 通报批评, 不参与评优评先. None: departments are not judged so.
    department_task_rate: float | None = Field(default=None, ge=0)
    # GS2: a town without a key project in the year is not ranked, loses 评先 and this share of
    # next year's funding.
    no_project_funding_cut_pct: int | None = Field(default=None, ge=1, le=100)
    no_project_no_honours: bool = False
    # GS8 service units: the first N by mean score → 三等功; the last with its pledge not met →
    # 通报批评 and 诫勉谈话.
    service_top_n: int = Field(default=0, ge=0)
    service_last_criticism: bool = False
    # AL13 四是: this many bottom places of the year-end scores → 诫勉谈话 and 通报批评.
    bottom_n: int = Field(default=0, ge=0)
    # AL14: a year-end score at or above this earns 通报表扬.
    commend_min_score: float | None = Field(default=None, ge=0, le=200)
    # DC6: projects in these colours at the year's last progress period lose their preferential
    # policies and their lead units are proposed for accountability; units whose every judged
    # project has ``commend_colour`` are commended.
    slow_colours: list[Colour] = Field(default_factory=list)
    commend_colour: Colour | None = None

    @model_validator(mode="after")
    def _rules_fit_basis(self) -> YearEnd:
        ranking = (
            self.town_prizes_wan,
            self.town_penalties_wan,
            self.department_task_rate is not None,
        )
        if self.basis != "ranking" and any(ranking):
            raise ValueError(
                "town prizes, penalties and the department task rate need basis = ranking"
            )
        if self.basis != "scores" and (self.bottom_n or self.commend_min_score is not None):
            raise ValueError("bottom_n and commend_min_score need basis = scores")
        if self.basis != "progress" and (self.slow_colours or self.commend_colour):
            raise ValueError("slow_colours and commend_colour need basis = progress")
        if any(a <= 0 for a in self.town_prizes_wan + self.town_penalties_wan):
            raise ValueError("prizes and penalties are positive amounts in 万元")
        return self
