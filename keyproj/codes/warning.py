"""Code lists of warnings (预警): levels, the four colours, where a warning came from, its status."""

from __future__ import annotations

from keyproj.codes.base import Code


class WarningLevel(Code):
    """The three kinds of warning notice (LP13), from the mildest to the strongest (the order ranks them)."""

    PROGRESS = "progress", "进度预警"
    ISSUE = "issue", "问题预警"
    URGING = "urging", "重点事项催办"


class Colour(Code):
    """The HD3 four-colour evaluation, from best to worst (the order ranks them)."""

    GREEN = "green", "绿色"
    BLUE = "blue", "蓝色"
    YELLOW = "yellow", "黄色"
    RED = "red", "红色"


class WarningSource(Code):
    """Where a warning came from: the county's own scan, or the provincial system's feedback (LP12)."""

    SCAN = "scan", "系统扫描"
    FEEDBACK = "feedback", "上级系统反馈"
    SUPERVISION = "supervision", "日常督查"
    DECISION = "decision", "议定事项"  # carries a decided item's case: never on the warnings' lists


class WarningStatus(Code):
    """A warning is open (in triage, or covered by a case) until its case ends; it then keeps the
    case's outcome (see CaseOutcome), or the key office dismissed it with a reason (LP13 分类处置).

    The profile's severity table decides where a new warning goes (issue 15): ``open`` ones go
    to triage and a case; ``reminded`` ones only reminded the unit; ``board`` ones are shown on
    the portfolio board. Only ``open`` warnings ever start a case.
    """

    OPEN = "open", "处置中"
    REMINDED = "reminded", "已提醒"
    BOARD = "board", "列入看板"
    HANDLED = "handled", "已处置"
    COUNTY_RESOLVED = "county_resolved", "县政府协调解决"
    SUPERVISED = "supervised", "督查办结"
    CLOSED = "closed", "已解除"
    DISMISSED = "dismissed", "不予处置"
    LEADER_RESOLVED = "leader_resolved", "分包领导协调解决"  # DC1–DC2
    # A decided item's warning: while its case runs, then with its case's outcome.
    DECIDED_ITEM = "decided_item", "议定事项落实中"
    ITEM_DONE = "item_done", "议定事项已落实"
