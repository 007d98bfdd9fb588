"""Code lists of the dispatch meetings (AL3, HD4, DC3, DC7, GS1, GS2, GS6)."""

from __future__ import annotations

from keyproj.codes.base import Code


class MeetingState(Code):
    """A meeting: planned → collecting its agenda → agenda compiled → held."""

    PLANNED = "planned", "已排期"
    COLLECTING = "collecting", "征集议题中"
    COMPILED = "compiled", "议题已汇总"
    HELD = "held", "已召开"


class SubmissionState(Code):
    """A unit's agenda item: submitted → approved by the project's leader, or returned."""

    SUBMITTED = "submitted", "待分包领导审核"
    APPROVED = "approved", "分包领导已同意"
    RETURNED = "returned", "已退回"


class Attendance(Code):
    """A participant at a meeting (DC7): present, on leave with a reason, or absent without;
    替会 is someone other than the unit's head attending in their place."""

    PRESENT = "present", "出席"
    SUBSTITUTE = "substitute", "替会"  # DC7 三(一): 坚持一把手参会，不得替会 — flagged
    LEAVE = "leave", "请假"
    ABSENT = "absent", "无故缺席"


class AbsenceState(Code):
    """A 通报批评 proposed for absence without leave (DC7): confirmed by the office, or not."""

    PROPOSED = "proposed", "待重点办确认"
    CONFIRMED = "confirmed", "已通报批评"
    DISMISSED = "dismissed", "不予通报批评"
