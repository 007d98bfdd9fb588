"""Code lists of observation tours (观摩点评, DC4, GS2) and joint inspections (联合检查, GS5)."""

from __future__ import annotations

from keyproj.codes.base import Code


class TourState(Code):
    """Where a tour stands: its plan drafted, its scoring open, or closed with its results."""

    DRAFT = "draft", "方案拟定中"
    SCORING = "scoring", "打分中"
    CLOSED = "closed", "打分已结束"


class FindingSeverity(Code):
    """How grave an inspection's finding is, as the group judged it on site."""

    NONE = "none", "未发现问题"
    MINOR = "minor", "一般问题"
    SERIOUS = "serious", "较重问题"
    GRAVE = "grave", "严重问题"
