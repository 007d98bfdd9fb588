"""The profile's dispatch meetings (AL3, HD4, DC3, GS1, GS2, GS6): each series with its chair,
its cadence as data, what a holiday does to it, and how its agenda is collected."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from keyproj.policy.strict import Strict as _Strict

Colour = Literal["green", "blue", "yellow", "red"]
# weekly: every week on ``weekday``; weeks: every ``every`` weeks from ``anchor``;
# monthly_weekday: the ``nth`` ``weekday`` of each month (DC3: the first Monday);
# monthly_day: day ``day`` of each month; months: every ``every`` months from ``first_month``
# on day ``day``; quarterly: the ``first_month`` (1–3) of each quarter on day ``day``.
Cadence = Literal["weekly", "weeks", "monthly_weekday", "monthly_day", "months", "quarterly"]
# A meeting day that is not a working day moves to the next or previous working day, or stays.
HolidayRule = Literal["next_working_day", "previous_working_day", "keep"]

_NEEDS: dict[str, tuple[str, ...]] = {
    "weekly": ("weekday",),
    "weeks": ("every", "anchor"),
    "monthly_weekday": ("nth", "weekday"),
    "monthly_day": ("day",),
    "months": ("every", "first_month", "day"),
    "quarterly": ("first_month", "day"),
}


class AgendaRule(_Strict):
    """When the office asks the units for agenda items and when they are due (DC3)."""

    # The office asks on this day of the month before the meeting (DC3: 每月20日前后) …
    ask_day_of_previous_month: int | None = Field(default=None, ge=1, le=28)
    # … or this many days before the meeting (weekly and fortnightly meetings).
    ask_days_before: int | None = Field(default=None, ge=1, le=60)
    due_days_before: int = Field(ge=0, le=30)  # DC3: 月例会前一周 = 7 days
    remind_days_before_due: int = Field(ge=0, le=10)

    @model_validator(mode="after")
    def _one_ask_rule(self) -> AgendaRule:
        asks = (self.ask_day_of_previous_month, self.ask_days_before)
        if sum(a is not None for a in asks) != 1:
            raise ValueError("give ask_day_of_previous_month or ask_days_before, not both")
        if self.ask_days_before is not None and self.ask_days_before <= self.due_days_before:
            raise ValueError("units must be asked before their items are due")
        return self


class MeetingSeries(_Strict):
    """One kind of meeting the regulation sets, e.g. Dancheng's monthly dispatch meeting."""

    name: str
    chair: str  # who chairs or convenes it, as the regulation names them (常务副县长, 市长 …)
    level: Literal["county", "city", "leader", "department"]
    cadence: Cadence
    weekday: int | None = Field(default=None, ge=1, le=7)  # 1 = Monday
    nth: int | None = Field(default=None, ge=1, le=4)
    day: int | None = Field(default=None, ge=1, le=28)
    every: int | None = Field(default=None, ge=2, le=12)
    anchor: date | None = None
    first_month: int | None = Field(default=None, ge=1, le=12)
    start_time: str = Field(default="09:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    holiday: HolidayRule
    agenda: AgendaRule | None = None
    # GS2: the ranking's first and last units (profile.ranking.top_n / bottom_n) speak.
    ranking_speakers: bool = False
    # GS6: a joint approval meeting; its open procedures get a deadline (approval_meeting items).
    approval_meeting: bool = False
    # AL3: projects of these colours are listed as slow, to be reported to the government.
    slow_colours: list[Colour] = Field(default_factory=list)
    # DC7 三(三): the office that follows up the decided items (县委督查中心); the county maps
    # it to one of its units. None: the key office follows them up.
    follow_up_office: str | None = Field(default=None, min_length=2, max_length=50)
    # HD4 (一): each responsible department holds its own meeting of the series, for its own
    # projects, and follows up its own decisions.
    per_unit: bool = False
    # AL3 第三条(二)5: after the meeting the slow projects are reported to this addressee
    # (旗委、旗政府) in a report of their own; None: the series reports none.
    slow_report_to: str | None = Field(default=None, min_length=1, max_length=100)

    @model_validator(mode="after")
    def _report_needs_colours(self) -> MeetingSeries:
        if self.slow_report_to is not None and not self.slow_colours:
            raise ValueError("slow_report_to needs slow_colours: which projects are slow")
        return self

    @model_validator(mode="after")
    def _cadence_complete(self) -> MeetingSeries:
        needed = _NEEDS[self.cadence]
        missing = [k for k in needed if getattr(self, k) is None]
        if missing:
            raise ValueError(f"cadence {self.cadence} needs {missing}")
        extra = [
            k
            for k in ("weekday", "nth", "day", "every", "anchor", "first_month")
            if k not in needed and getattr(self, k) is not None
        ]
        if extra:
            raise ValueError(f"cadence {self.cadence} does not use {extra}")
        if self.per_unit and self.level != "department":
            raise ValueError("only a department series (level department) is held per unit")
        if self.per_unit and self.follow_up_office is not None:
            raise ValueError("a per-unit series is followed up by each holding unit itself")
        if self.cadence == "quarterly" and (self.first_month or 0) > 3:
            raise ValueError("a quarterly meeting's first_month is the month of the quarter, 1–3")
        return self


class Meetings(_Strict):
    """Every meeting series of the county, keyed by a short code (``dispatch`` …)."""

    series: dict[str, MeetingSeries]
    # DC7 三(一): 对无故缺席者，县委、县政府将予以通报批评 — absence without leave proposes one.
    absence_criticism: bool = False

    @model_validator(mode="after")
    def _keys_are_codes(self) -> Meetings:
        for key in self.series:
            if not key.replace("_", "").isalnum() or not key.isascii() or len(key) > 32:
                raise ValueError(f"series key {key!r}: letters, digits and _ only, at most 32")
        return self
