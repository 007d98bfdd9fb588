"""Code lists of the reference data: the working-day calendar."""

from __future__ import annotations

from keyproj.codes.base import Code


class DayKind(Code):
    """A day that breaks the Monday–Friday rule of the working-day calendar (X5)."""

    HOLIDAY = "holiday", "放假"
    WORKDAY = "workday", "调休上班"
