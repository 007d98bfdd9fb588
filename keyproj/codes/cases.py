"""Code lists of warning cases: statuses, outcomes, lanes, tasks, escalation reasons, timers, updates."""

from __future__ import annotations

from keyproj.codes.base import Code


class CaseStatus(Code):
    """A case is open (办理中) until its process ends (已办结), wherever it is shown."""

    OPEN = "open", "办理中"
    CLOSED = "closed", "已办结"


class CaseOutcome(Code):
    """How a case ended: the diagram sets ``case_outcome``; an end without one is plain closed."""

    HANDLED = "handled", "预警已处置"
    COUNTY_RESOLVED = "county_resolved", "县政府协调解决"  # LP16: no supervision needed
    SUPERVISED = "supervised", "督查办结"
    CLOSED = "closed", "已办结"
    LEADER_RESOLVED = "leader_resolved", "分包领导协调解决"  # DC1–DC2: no dispatch meeting needed
    ITEM_DONE = "item_done", "议定事项已落实"  # a decided item's case (bpmn/decided_item.bpmn)


class Lane(Code):
    """A lane of the diagrams: a role resolved to units (DESIGN: lanes and routing).

    The value is the lane's name in the diagram, so it is Chinese like its label.
    """

    KEY_OFFICE = "重点办", "重点办"
    RESPONSIBLE = "责任单位", "责任单位"
    COUNTY_GOV = "县政府", "县政府"
    SUPERVISION = "督查室", "督查室"
    # The office that follows up a meeting's decisions (DC7 三(三): 县委督查中心), mapped to a
    # unit by the county; the data names the unit, else the key office's units take it.
    FOLLOW_UP_OFFICE = "督办单位", "督办单位"


class CaseUnitRole(Code):
    """How a unit answers for a case (LP13)."""

    LEAD = "lead", "牵头责任单位"
    PHASE = "phase", "阶段性责任单位"
    FOLLOW_UP = "follow_up", "纪要事项责任单位"  # LP16: owns an on-site meeting's follow-up item
    # Follows up a decided item (DC7 三(三)); listed after the units that answer for it.
    FOLLOW_UP_OFFICE = "supervising", "督办单位"


class TaskStatus(Code):
    """A human task: ready → claimed → completed, or cancelled when a timer took the case elsewhere."""

    READY = "ready", "待认领"
    CLAIMED = "claimed", "已认领"
    COMPLETED = "completed", "已完成"
    CANCELLED = "cancelled", "已取消"


# Tasks still waiting for someone: in the inbox, remindable, claimable.
OPEN_TASK = (TaskStatus.READY, TaskStatus.CLAIMED)


class InboxStatus(Code):
    """The status filter of the inbox: ready for the unit, claimed by the viewer, past its deadline."""

    READY = "ready", "待认领"
    CLAIMED = "claimed", "我已认领"
    OVERDUE = "overdue", "已逾期"


class EscalationReason(Code):
    """Why a case went to the county government (LP16); the diagram sets ``escalation_reason``."""

    NOT_ACCEPTED = "not_accepted", "协调成效未获重点办认可"
    RESPONSE_LATE = "response_late", "责任单位逾期未响应"
    OUTCOME_LATE = "outcome_late", "责任单位逾期未报告协调成效"
    ROUTED = "routed", "重点办研判由县政府协调"  # LP16: the notice's routing, no unit round
    ITEM_OVERDUE = "item_overdue", "议定事项逾期未完成"  # AL13 一是: to the chairing office


class Timer(Code):
    """The diagram's deadline timers (boundary events), by element id."""

    NOTICE_OVERDUE = "notice_overdue", "通知逾期"
    RESPONSE_LATE = "response_late", "响应逾期"
    OUTCOME_LATE = "outcome_late", "成效逾期"
    EVALUATE_OVERDUE = "evaluate_overdue", "评估逾期"
    LONG_REPORT_REMIND = "long_report_remind", "动态报告即将到期"
    LONG_REPORT_OVERDUE = "long_report_overdue", "动态报告逾期"
    SUPERVISION_OVERDUE = "supervision_overdue", "督查逾期"  # LP20: past the filing's deadline
    COUNTY_GOV_ASSIGN_OVERDUE = "county_gov_assign_overdue", "县府办提请协调逾期"
    COUNTY_GOV_HANDLE_OVERDUE = "county_gov_handle_overdue", "县政府协调逾期"
    FOLLOW_UP_OVERDUE = "follow_up_overdue", "纪要事项逾期"
    REMINDER_LETTER_OVERDUE = "reminder_letter_overdue", "提醒函签收逾期"  # HD5
    INTERVIEW_OVERDUE = "interview_overdue", "约谈逾期"  # HD6
    TV_INQUIRY_OVERDUE = "tv_inquiry_overdue", "电视问政逾期"  # GS1: due with the notice
    LEADER_ONSITE_OVERDUE = "leader_onsite_overdue", "分包领导现场办公逾期"  # DC2
    AL13_ACCOUNTABILITY_OVERDUE = "al13_accountability_overdue", "责任追究逾期"  # AL13
    ITEM_REMIND = "item_remind", "议定事项即将到期"
    ITEM_OVERDUE = "item_overdue", "议定事项逾期"  # AL13 一是, DC3 三(三), GS6


# Timers that only remind (non-interrupting): the task they guard, by diagram name, stays open.
REMINDING_TIMERS: dict[str, str] = {
    Timer.NOTICE_OVERDUE: "issue_notice",
    Timer.EVALUATE_OVERDUE: "evaluate",
    Timer.LONG_REPORT_REMIND: "long_progress_report",
    Timer.LONG_REPORT_OVERDUE: "long_progress_report",
    Timer.SUPERVISION_OVERDUE: "supervision_result",
    Timer.COUNTY_GOV_ASSIGN_OVERDUE: "county_gov_assign",
    Timer.COUNTY_GOV_HANDLE_OVERDUE: "county_gov_handle",
    Timer.FOLLOW_UP_OVERDUE: "follow_up_item",
    Timer.REMINDER_LETTER_OVERDUE: "reminder_letter_ack",
    Timer.INTERVIEW_OVERDUE: "interview_record",
    Timer.TV_INQUIRY_OVERDUE: "tv_inquiry",
    Timer.LEADER_ONSITE_OVERDUE: "leader_onsite",
    Timer.AL13_ACCOUNTABILITY_OVERDUE: "al13_accountability",
    Timer.ITEM_REMIND: "carry_out_item",
    Timer.ITEM_OVERDUE: "carry_out_item",
}
# Of those, the ones that flag their task overdue on the case and task pages.
OVERDUE_TIMERS = frozenset(
    {
        Timer.NOTICE_OVERDUE,
        Timer.EVALUATE_OVERDUE,
        Timer.LONG_REPORT_OVERDUE,
        Timer.SUPERVISION_OVERDUE,
        Timer.COUNTY_GOV_ASSIGN_OVERDUE,
        Timer.COUNTY_GOV_HANDLE_OVERDUE,
        Timer.FOLLOW_UP_OVERDUE,
        Timer.REMINDER_LETTER_OVERDUE,
        Timer.INTERVIEW_OVERDUE,
        Timer.TV_INQUIRY_OVERDUE,
        Timer.LEADER_ONSITE_OVERDUE,
        Timer.AL13_ACCOUNTABILITY_OVERDUE,
        Timer.ITEM_OVERDUE,
    }
)


class UpdateKind(Code):
    """What a user adds to a case beside its tasks: a progress update (LP18 动态报告) or a comment."""

    PROGRESS_UPDATE = "progress_update", "动态进展"
    COMMENT = "comment", "意见"


class DefinitionStatus(Code):
    """A deployed diagram version; new cases start on the newest active one."""

    ACTIVE = "active", "在用"
    RETIRED = "retired", "已停用"  # X3: takes no new cases; its running cases keep it


class DiagramChangeKind(Code):
    """What was done to a diagram's versions (X3), recorded with who and when."""

    DEPLOY = "deploy", "部署新版本"
    RETIRE = "retire", "停用版本"
    MIGRATE = "migrate", "迁移在办案件"
