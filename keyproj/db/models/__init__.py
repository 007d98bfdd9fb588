"""All models, imported here so that metadata and Alembic see every table."""

from keyproj.db.models.admin import AdminChange, CountyIdentity
from keyproj.db.models.attachment import Attachment
from keyproj.db.models.auth import ApiToken, AuthEvent
from keyproj.db.models.award import AwardRecord, ServicePledge, ServiceScore, YearEndEvaluation
from keyproj.db.models.bulletin import Bulletin
from keyproj.db.models.calendar import CalendarDay, CalendarYear
from keyproj.db.models.case import (
    Case,
    CaseEvent,
    CaseUnit,
    DocumentCounter,
    HumanTask,
    HumanTaskCandidate,
    ProcessDefinition,
)
from keyproj.db.models.decision import DecidedItem
from keyproj.db.models.diagram import DiagramChange
from keyproj.db.models.distribution import ReportReview
from keyproj.db.models.inspection import (
    InspectionAssignment,
    InspectionGap,
    InspectionGroup,
    InspectionRecord,
    InspectionReport,
)
from keyproj.db.models.instruction import CaseFollower, CaseInstruction
from keyproj.db.models.interview import Interview, InterviewCommitment
from keyproj.db.models.issue import ProjectIssue
from keyproj.db.models.meeting import (
    AgendaSubmission,
    Meeting,
    MeetingAttendance,
    MeetingInvite,
    MeetingOffice,
)
from keyproj.db.models.meeting_report import AbsenceProposal, SlowReport
from keyproj.db.models.notification import Notification, NotificationCursor, OutgoingMail
from keyproj.db.models.org import Leader, Liaison, Unit, User, UserRole
from keyproj.db.models.outbox import OutboxMessage
from keyproj.db.models.plan import AnnualPlan, PlanPeriod, PlanVersion
from keyproj.db.models.project import Project, ProjectTeamMember
from keyproj.db.models.ranking import HalfYearEvaluation, RankingRun, ReminderLetter
from keyproj.db.models.report import Report, ReportAmendment
from keyproj.db.models.scoring import ScoreBonus
from keyproj.db.models.sitework import (
    ChainItem,
    IndustryChain,
    SiteVisit,
    SpotCheck,
    SpotCheckEntry,
    SpotCheckPlan,
    VisitShortfall,
)
from keyproj.db.models.supervision import AccountabilityRecord, SupervisionMatter
from keyproj.db.models.tour import Tour, TourScore, TourScorer, TourStop
from keyproj.db.models.urgent import UrgentIssueReport
from keyproj.db.models.warning import EarlyWarning

__all__ = [
    "AbsenceProposal",
    "AccountabilityRecord",
    "AdminChange",
    "AgendaSubmission",
    "AnnualPlan",
    "ApiToken",
    "Attachment",
    "AuthEvent",
    "AwardRecord",
    "Bulletin",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseEvent",
    "CaseFollower",
    "CaseInstruction",
    "CaseUnit",
    "ChainItem",
    "CountyIdentity",
    "DecidedItem",
    "DiagramChange",
    "DocumentCounter",
    "EarlyWarning",
    "HalfYearEvaluation",
    "HumanTask",
    "HumanTaskCandidate",
    "IndustryChain",
    "InspectionAssignment",
    "InspectionGap",
    "InspectionGroup",
    "InspectionRecord",
    "InspectionReport",
    "Interview",
    "InterviewCommitment",
    "Leader",
    "Liaison",
    "Meeting",
    "MeetingAttendance",
    "MeetingInvite",
    "MeetingOffice",
    "Notification",
    "NotificationCursor",
    "OutboxMessage",
    "OutgoingMail",
    "PlanPeriod",
    "PlanVersion",
    "ProcessDefinition",
    "Project",
    "ProjectIssue",
    "ProjectTeamMember",
    "RankingRun",
    "ReminderLetter",
    "Report",
    "ReportAmendment",
    "ReportReview",
    "ScoreBonus",
    "ServicePledge",
    "ServiceScore",
    "SiteVisit",
    "SlowReport",
    "SpotCheck",
    "SpotCheckEntry",
    "SpotCheckPlan",
    "SupervisionMatter",
    "Tour",
    "TourScore",
    "TourScorer",
    "TourStop",
    "Unit",
    "UrgentIssueReport",
    "User",
    "UserRole",
    "VisitShortfall",
    "YearEndEvaluation",
]
