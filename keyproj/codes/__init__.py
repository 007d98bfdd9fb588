"""Every code list of the domain in one place, each code with its Chinese label.

A code list is a ``Code`` enum: members are the stored strings and carry ``label``, the text
users see. The ``*_LABELS``-style dictionaries below are views of the enums (code → label)
for form choices and lookups; they are derived, never written by hand.
"""

from __future__ import annotations

from keyproj.codes.admin import ADMIN_ACTIONS, AdminAction, DocumentKind
from keyproj.codes.attachments import AttachmentOwner
from keyproj.codes.awards import AwardKind, PledgeOutcome
from keyproj.codes.base import Code
from keyproj.codes.cases import (
    OPEN_TASK,
    OVERDUE_TIMERS,
    REMINDING_TIMERS,
    CaseOutcome,
    CaseStatus,
    CaseUnitRole,
    DefinitionStatus,
    DiagramChangeKind,
    EscalationReason,
    InboxStatus,
    Lane,
    TaskStatus,
    Timer,
    UpdateKind,
)
from keyproj.codes.decisions import (
    DECIDED_ITEM_PROCESS,
    DECIDED_ITEM_RULE,
    OPEN_ITEM_STATES,
    DecidedItemState,
    DecisionOriginKind,
)
from keyproj.codes.distribution import ReviewStatus
from keyproj.codes.interviews import (
    DETECTED_TRIGGERS,
    OPEN_INTERVIEW,
    CommitmentState,
    InterviewState,
    InterviewTrigger,
)
from keyproj.codes.meetings import AbsenceState, Attendance, MeetingState, SubmissionState
from keyproj.codes.notifications import NotificationKind, NotificationMode
from keyproj.codes.org import (
    COUNTY_WIDE_ROLES,
    RESPONSIBLE_UNIT_KINDS,
    UNIT_STAFF_ROLES,
    AuthEventKind,
    Role,
    TeamRole,
    UnitKind,
)
from keyproj.codes.projects import (
    REPORT_WAITING,
    STARTED,
    IssueCategory,
    IssueStatus,
    PlanStatus,
    ProcedureItem,
    ProcedureStatus,
    ProjectLevel,
    ProjectNature,
    ProjectStage,
    ReportStatus,
    StartStatus,
)
from keyproj.codes.reference import DayKind
from keyproj.codes.supervision import FINDING_RULE, Failure, SupervisionOrigin, SupervisionState
from keyproj.codes.tours import FindingSeverity, TourState
from keyproj.codes.warning import Colour, WarningLevel, WarningSource, WarningStatus

UNIT_KINDS = UnitKind.labels()
ROLES = Role.labels()
TEAM_ROLES = TeamRole.labels()
PROJECT_LEVELS = ProjectLevel.labels()  # LP2
PROJECT_NATURES = ProjectNature.labels()
PROJECT_STAGES = ProjectStage.labels()  # GS7
ISSUE_CATEGORIES = IssueCategory.labels()  # LP7
WARNING_LEVELS = WarningLevel.labels()  # LP13
COLOURS = Colour.labels()  # HD3
START_STATUSES = StartStatus.labels()  # AL6
PROCEDURE_ITEMS = ProcedureItem.labels()  # AL6, AL10
PROCEDURE_STATUSES = ProcedureStatus.labels()
PLAN_STATUSES = PlanStatus.labels()

__all__ = [
    "ADMIN_ACTIONS",
    "COLOURS",
    "COUNTY_WIDE_ROLES",
    "DECIDED_ITEM_PROCESS",
    "DECIDED_ITEM_RULE",
    "DETECTED_TRIGGERS",
    "FINDING_RULE",
    "ISSUE_CATEGORIES",
    "OPEN_INTERVIEW",
    "OPEN_ITEM_STATES",
    "OPEN_TASK",
    "OVERDUE_TIMERS",
    "PLAN_STATUSES",
    "PROCEDURE_ITEMS",
    "PROCEDURE_STATUSES",
    "PROJECT_LEVELS",
    "PROJECT_NATURES",
    "PROJECT_STAGES",
    "REMINDING_TIMERS",
    "REPORT_WAITING",
    "RESPONSIBLE_UNIT_KINDS",
    "ROLES",
    "STARTED",
    "START_STATUSES",
    "TEAM_ROLES",
    "UNIT_KINDS",
    "UNIT_STAFF_ROLES",
    "WARNING_LEVELS",
    "AbsenceState",
    "AdminAction",
    "AttachmentOwner",
    "Attendance",
    "AuthEventKind",
    "AwardKind",
    "CaseOutcome",
    "CaseStatus",
    "CaseUnitRole",
    "Code",
    "Colour",
    "CommitmentState",
    "DayKind",
    "DecidedItemState",
    "DecisionOriginKind",
    "DefinitionStatus",
    "DiagramChangeKind",
    "DocumentKind",
    "EscalationReason",
    "Failure",
    "FindingSeverity",
    "InboxStatus",
    "InterviewState",
    "InterviewTrigger",
    "IssueCategory",
    "IssueStatus",
    "Lane",
    "MeetingState",
    "NotificationKind",
    "NotificationMode",
    "PlanStatus",
    "PledgeOutcome",
    "ProcedureItem",
    "ProcedureStatus",
    "ProjectLevel",
    "ProjectNature",
    "ProjectStage",
    "ReportStatus",
    "ReviewStatus",
    "Role",
    "StartStatus",
    "SubmissionState",
    "SupervisionOrigin",
    "SupervisionState",
    "TaskStatus",
    "TeamRole",
    "Timer",
    "TourState",
    "UnitKind",
    "UpdateKind",
    "WarningLevel",
    "WarningSource",
    "WarningStatus",
]
