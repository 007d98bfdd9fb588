"""Code lists of interviews (约谈, HD6): the six triggers, where an interview stands and where
each commitment made at it stands."""

from __future__ import annotations

from keyproj.codes.base import Code


class InterviewTrigger(Code):
    """HD6's six cases in which the city government's leader in charge holds an interview."""

    BOTTOM_TWICE = "bottom_twice", "一是凡两次通报均排在后三位（HD6）"
    LEDGER_DATE_MISSED = (
        "ledger_date_missed",
        "二是按照台账计划，项目应开工、竣工而未按时开工、竣工（HD6）",
    )
    REQUIREMENT_NOT_ACTED = (
        "requirement_not_acted",
        "三是对市政府主要领导关于项目的具体要求落实不力，没有明确措施和明显工作进度（HD6）",
    )
    POOR_PREPARATION = (
        "poor_preparation",
        "四是因对项目前期论证不充分，导致项目在实施过程中无客观因素而无法实施（HD6）",
    )
    UNAPPROVED_CHANGE = (
        "unapproved_change",
        "五是未经市政府主要领导同意，擅自变更计划建设内容、重要进度节点（HD6）",
    )
    LEADER_REQUEST = "leader_request", "六是分管市领导认为确需约谈的其他情况（HD6）"


# The triggers the system finds in its own data; the key office records the others.
DETECTED_TRIGGERS = (
    InterviewTrigger.BOTTOM_TWICE,
    InterviewTrigger.LEDGER_DATE_MISSED,
    InterviewTrigger.REQUIREMENT_NOT_ACTED,
)


class InterviewState(Code):
    """proposed → scheduled → held; a proposed or scheduled one may be dismissed with a reason."""

    PROPOSED = "proposed", "待安排"
    SCHEDULED = "scheduled", "已安排"
    HELD = "held", "已约谈"
    DISMISSED = "dismissed", "不予约谈"


# An interview still to be held: the one a unit and the office are waiting on.
OPEN_INTERVIEW = (InterviewState.PROPOSED, InterviewState.SCHEDULED)


class CommitmentState(Code):
    """A commitment (承诺事项) made at the interview: open until the unit reports it done."""

    OPEN = "open", "落实中"
    DONE = "done", "已完成"
