"""Code lists of projects: registry facts, plans, progress reports and the issue ledger."""

from __future__ import annotations

from keyproj.codes.base import Code


class ProjectLevel(Code):
    """A project's level (LP2)."""

    PROVINCIAL = "provincial", "省重点"
    CITY = "city", "市重点"
    COUNTY = "county", "县重点"
    CENTRAL_BUDGET = "central_budget", "中央预算内"


class ProjectNature(Code):
    """New, continued, preliminary or completed (建设性质)."""

    NEW = "new", "新开工"
    CONTINUED = "continued", "续建"
    PRELIMINARY = "preliminary", "前期"
    COMPLETED = "completed", "竣工"


class ProjectStage(Code):
    """GS7 milestones, with the AL12 stages folded into the common sequence; in order."""

    PLANNING = "planning", "谋划储备"
    PREPARATION = "preparation", "前期手续"
    SITE_READY = "site_ready", "三通一平"
    UNDER_CONSTRUCTION = "under_construction", "主体施工"
    ACCEPTANCE = "acceptance", "竣工验收"
    IN_USE = "in_use", "投入使用"


class PlanStatus(Code):
    """A plan version: draft → submitted → approved (or rejected); an approved one is superseded."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已退回"
    SUPERSEDED = "superseded", "已被替代"


class ReportStatus(Code):
    """A progress report: draft → (the unit head's sign-off) → submitted, then locked."""

    DRAFT = "draft", "草稿"
    PENDING_SIGN_OFF = "pending_sign_off", "待单位负责人签字"
    SUBMITTED = "submitted", "已报送"


# Why a report that exists is not yet submitted, as the LP8 warning and the reminders say it.
REPORT_WAITING = {
    ReportStatus.DRAFT: "仍为草稿",
    ReportStatus.PENDING_SIGN_OFF: "待单位负责人签字",
}


class StartStatus(Code):
    """开（复）工情况 of a report (AL6)."""

    NOT_STARTED = "not_started", "未开工"
    STARTED = "started", "已开工"
    RESTARTED = "restarted", "已复工"
    SUSPENDED = "suspended", "停工"
    COMPLETED = "completed", "已竣工"


# A start was reported (AL6, AL7): the project started at some point, whatever it does now.
STARTED = (StartStatus.STARTED, StartStatus.RESTARTED, StartStatus.SUSPENDED, StartStatus.COMPLETED)


class ProcedureItem(Code):
    """An approval a project needs (AL6 approvals, AL10 procedure list)."""

    FEASIBILITY = "feasibility", "可研"
    SITE_SELECTION = "site_selection", "规划选址"
    ENVIRONMENT = "environment", "环评"
    LAND = "land", "土地"
    ENERGY = "energy", "能评"
    PROJECT_APPROVAL = "project_approval", "立项"
    DESIGN = "design", "设计"
    WATER_CONSERVATION = "water_conservation", "水保"
    TENDERING = "tendering", "招标"


class ProcedureStatus(Code):
    """Where one approval stands."""

    NOT_NEEDED = "not_needed", "无需办理"
    NOT_STARTED = "not_started", "未办理"
    IN_PROGRESS = "in_progress", "办理中"
    APPROVED = "approved", "已批复"


class IssueCategory(Code):
    """The seven categories of the major-issue ledger (LP7)."""

    APPROVAL = "approval", "报批事项"
    PLANNING_DESIGN = "planning_design", "规划设计及概算变更"
    LAND = "land", "征地拆迁"
    FUNDING = "funding", "资金筹措"
    COORDINATION = "coordination", "建设协调"
    STABILITY = "stability", "社会稳定"
    OTHER = "other", "其他"


class IssueStatus(Code):
    """A ledger entry is open until it is resolved; open sorts before resolved."""

    OPEN = "open", "未解决"
    CLOSE_REQUESTED = "close_requested", "待重点办确认销号"
    RESOLVED = "resolved", "已解决"
