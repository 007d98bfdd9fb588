"""The working-day calendar on the administrators' pages: a year, a day's correction, an import (X5).

Corrections and imports go through the same calendar services as ``keyproj calendar``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import AdminAction, DayKind
from keyproj.db.models import CalendarDay, CalendarYear
from keyproj.errors import ValidationError
from keyproj.services.admin.changelog import Actor, record
from keyproj.services.reference import calendar, calendar_file
from keyproj.services.reference.calendar_file import CalendarImport
from keyproj.services.textfile import UnreadableText, decode_text

NORMAL = "normal"  # an ordinary day: neither a holiday nor a make-up working day
KIND_CHOICES = {**DayKind.labels(), NORMAL: "正常（周一至周五上班、周末休息）"}


@dataclass(frozen=True)
class YearView:
    """One year of the calendar: whether it is loaded, from where, and its exception days."""

    year: int
    loaded: bool
    source: str | None
    loaded_at: datetime | None
    days: list[CalendarDay]
    years: list[int]  # every loaded year, for the year switcher

    @property
    def holidays(self) -> int:
        """The year's holiday days."""
        return sum(1 for d in self.days if d.kind == DayKind.HOLIDAY)

    @property
    def workdays(self) -> int:
        """The year's make-up working days (调休上班)."""
        return sum(1 for d in self.days if d.kind == DayKind.WORKDAY)


def year_view(session: Session, year: int) -> YearView:
    """The year as stored, with the list of loaded years."""
    row = session.get(CalendarYear, year)
    years = list(session.scalars(select(CalendarYear.year).order_by(CalendarYear.year)))
    return YearView(
        year,
        row is not None,
        row.source if row else None,
        row.loaded_at if row else None,
        calendar.year_days(session, year),
        years,
    )


def correct_day(
    session: Session, actor: Actor, now: datetime, day: date, kind: str, name: str | None
) -> None:
    """Make ``day`` a holiday, a make-up working day or an ordinary day; logged with before/after."""
    before = session.get(CalendarDay, day)
    was = KIND_CHOICES[before.kind] if before is not None else "正常"
    calendar.set_day(session, day, kind, (name or "").strip() or None)
    now_is = KIND_CHOICES.get(kind, kind).split("（")[0]
    label = f" {name.strip()}" if name and name.strip() else ""
    record(
        session,
        actor,
        AdminAction.CALENDAR_DAY_SET,
        f"日历 {day.isoformat()}",
        now,
        f"{was} → {now_is}{label}",
    )


def preview_import(session: Session, data: bytes | str) -> CalendarImport:
    """What importing the file would add, remove and change per year; nothing is written."""
    return calendar_file.preview(session, data)


def apply_import(
    session: Session, actor: Actor, now: datetime, data: bytes | str, replace: bool
) -> list[int]:
    """Import the file (whole years; a partial year only with ``replace``); logged per year."""
    return apply_plan(session, actor, now, calendar_file.preview(session, data), replace)


def apply_plan(
    session: Session, actor: Actor, now: datetime, plan: CalendarImport, replace: bool
) -> list[int]:
    """Import a previewed file; each year replaced is logged with what it changed."""
    years = calendar_file.apply(session, plan, replace)
    for year in plan.years:
        counts = (
            f"新增{year.count('added')}天，删除{year.count('removed')}天，"
            f"改变{year.count('changed')}天"
        )
        record(session, actor, AdminAction.CALENDAR_IMPORTED, f"日历 {year.year}年", now, counts)
    return years


def file_text(data: bytes) -> str:
    """The uploaded file as text, carried from the preview to the import (encoding refused here)."""
    try:
        return decode_text(data)
    except UnreadableText as exc:
        raise ValidationError.single("file", "文件", str(exc)) from None
