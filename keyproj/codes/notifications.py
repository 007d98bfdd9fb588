"""Code lists of notifications: what each one is about, as users see it in their inbox."""

from __future__ import annotations

from keyproj.codes.base import Code


class NotificationKind(Code):
    """What a notification is about."""

    TASK_READY = "task_ready", "新待办任务"
    ESCALATED = "escalated", "提请县政府"
    NOTICE_COPY = "notice_copy", "预警催办通知抄送"
    CASE_CLOSED = "case_closed", "案件办结"
    TASK_DUE_SOON = "task_due_soon", "任务即将到期"
    TASK_OVERDUE = "task_overdue", "任务逾期"
    REPORT_DUE = "report_due", "报表待报送"
    WARNING_REMINDER = "warning_reminder", "预警提醒"
    BULLETIN_DUE = "bulletin_due", "通报待编发"
    REPORT_COPY = "report_copy", "月报抄送"
    REPORT_REVIEW = "report_review", "月报待审核"
    REPORT_FORWARDED = "report_forwarded", "月报审核报送"
    URGENT_ISSUE = "urgent_issue", "急需协调问题"
    WARNING_MERGED = "warning_merged", "预警并入案件"
    URGENT_REPORT_OVERDUE = "urgent_report_overdue", "急需协调问题逾期未报县政府"
    ISSUE_CLOSE = "issue_close", "问题销号"
    INSTRUCTION = "instruction", "县领导批示"
    INSTRUCTION_ANSWERED = "instruction_answered", "批示已答复"
    CASE_FOLLOWED = "case_followed", "关注案件动态"
    DAILY_DIGEST = "daily_digest", "每日通知汇总"
    SUPERVISION_LISTED = "supervision_listed", "重大问题列入督查台账"  # LP13
    SUPERVISION_OVERDUE = "supervision_overdue", "督查事项逾期"  # LP20
    INTERVIEW_PROPOSED = "interview_proposed", "约谈建议"  # HD6: the system found a trigger
    INTERVIEW_SCHEDULED = "interview_scheduled", "约谈通知"  # HD6
    INTERVIEW_REMINDER = "interview_reminder", "约谈提醒"  # HD6: the day before
    COMMITMENT_OVERDUE = "commitment_overdue", "约谈承诺事项逾期"  # HD6
    ITEM_OVERDUE = "item_overdue", "议定事项逾期"  # AL13 一是, DC3 三(三): to the office's 督办
    AGENDA_REQUEST = "agenda_request", "调度会议题征集"  # DC3
    AGENDA_REMINDER = "agenda_reminder", "调度会议题催报"
    AGENDA_REVIEW = "agenda_review", "议题待分包领导审核"
    TOUR_SCORING = "tour_scoring", "观摩点评待打分"  # DC4, GS2
    INSPECTION_MISSED = "inspection_missed", "联合检查组本周未检查"  # GS5
    VISITS_SHORT = "visits_short", "现场走访次数不足"  # GS3, DC2
    SPOT_CHECKS_DUE = "spot_checks_due", "抽查计划待完成"  # LP10
    ABSENCE_CRITICISM = "absence_criticism", "会议无故缺席通报批评"  # DC7 三(一)
    SLOW_REPORTED = "slow_reported", "进度缓慢项目报告"  # AL3 第三条(二)5


class NotificationMode(Code):
    """How a user takes the per-task notifications: each at once, or gathered once a day."""

    IMMEDIATE = "immediate", "即时通知"
    DIGEST = "digest", "每日汇总"
