"""Code lists of decided items (议定事项, AL13 一是, DC3 三(三), GS6): where an item was decided
and where it stands."""

from __future__ import annotations

from keyproj.codes.base import Code

# The rule id of the warning that carries a decided item's case: a decided item is no early
# warning (its warning has its own source and status and stays off the warnings' lists), but
# every case hangs on a warning, and so the item's case does too.
DECIDED_ITEM_RULE = "decided_item"
# The diagram every decided item runs on (bpmn/decided_item.bpmn).
DECIDED_ITEM_PROCESS = "decided_item"


class DecisionOriginKind(Code):
    """Where an item was decided."""

    MEETING = "meeting", "调度会议"
    APPROVAL_MEETING = "approval_meeting", "联审联批会议"  # GS6
    TOUR = "tour", "观摩点评"
    INSPECTION = "inspection", "督导检查"


class DecidedItemState(Code):
    """Where a decided item stands."""

    IN_PROGRESS = "in_progress", "落实中"
    # The owner reported it done; the office has yet to check it against its acceptance.
    REPORTED = "reported", "待验收"
    OVERDUE = "overdue", "已逾期"
    DONE = "done", "已落实"
    REJECTED = "rejected", "未通过"  # the office did not accept the report: a new deadline runs


# The states of an item not yet carried out.
OPEN_ITEM_STATES = (
    DecidedItemState.IN_PROGRESS,
    DecidedItemState.OVERDUE,
    DecidedItemState.REJECTED,
    DecidedItemState.REPORTED,
)
