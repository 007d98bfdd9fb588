"""Code lists of the supervision ledger (督查台账, LP13, LP20): origins, states, the failures
held against units (LP20's four, AL13's triggers) and AL13's measures."""

from __future__ import annotations

from keyproj.codes.base import Code

# The rule id of a problem the supervision office found itself (LP20: 督查过程中发现的问题).
FINDING_RULE = "supervision_finding"


class SupervisionOrigin(Code):
    """How a matter came under supervision."""

    MAJOR = "major", "预警通知列明的重大问题"  # LP13: listed with its responsibility split
    ESCALATED = "escalated", "县政府协调后移交"  # the warning case's own LP20 step
    CASE = "case", "督查室对案件立项"
    FINDING = "finding", "督查室督查发现"  # LP20: 督查过程中发现的问题


class SupervisionState(Code):
    """Where a matter stands in the ledger."""

    LISTED = "listed", "已列入"
    FILED = "filed", "已立项"
    OVERDUE = "overdue", "逾期"
    CONCLUDED = "concluded", "已办结"


class Failure(Code):
    """What a unit and its responsible person are held accountable for: LP20's four failures,
    then AL13's four triggers (the fourth, the bottom of the year's ranking, is year-end
    scoring's, never a case's)."""

    UNAWARE = "unaware", "未及时了解掌握项目建设进度和存在问题"
    MISREPORTED = "misreported", "未如实报送项目建设进度和存在问题"
    NO_ACTION_DELAY = "no_action_delay", "未采取有效措施协调解决问题导致项目建设严重延误"
    UNRESOLVED_UNREPORTED = (
        "unresolved_unreported",
        "未能协调解决问题又不及时上报办理情况，导致问题久拖不决",
    )
    MEETING_DECISION_LATE = "meeting_decision_late", "联席会议、专题会议形成的议定事项不能按时完成"
    SHIRKING_DELAY = "shirking_delay", "以各种理由对本部门应该负责的工作推诿、拖延"
    MAJOR_PROBLEM = (
        "major_problem",
        "项目迟迟不开工、开工即停工、施工进度缓慢、出现资金挪用、安全事故等重大问题",
    )
    BOTTOM_RANKING = "bottom_ranking", "年终分值排序靠后"


# AL13's triggers a case can meet (一、二、三), in the clause's order.
AL13_CASE_TRIGGERS = (Failure.MEETING_DECISION_LATE, Failure.SHIRKING_DELAY, Failure.MAJOR_PROBLEM)


class Measure(Code):
    """AL13: what the banner's party committee (旗委) does to those held accountable."""

    ADMONITION = "admonition", "诫勉谈话"
    CRITICISM = "criticism", "通报批评"
