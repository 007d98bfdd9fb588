"""Code lists of the supervision ledger (督查台账, LP13, LP20): origins, states, the four failures."""

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
    """LP20's four failures a unit and its responsible person are held accountable for."""

    UNAWARE = "unaware", "未及时了解掌握项目建设进度和存在问题"
    MISREPORTED = "misreported", "未如实报送项目建设进度和存在问题"
    NO_ACTION_DELAY = "no_action_delay", "未采取有效措施协调解决问题导致项目建设严重延误"
    UNRESOLVED_UNREPORTED = (
        "unresolved_unreported",
        "未能协调解决问题又不及时上报办理情况，导致问题久拖不决",
    )
