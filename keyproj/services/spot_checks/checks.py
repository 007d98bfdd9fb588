"""A spot check made on site (LP10): its record, and where its finding goes: a warning that
waits in the key office's triage for its notice and case like any other (LP11–LP13), and the project's issue ledger, from which
the key office draws up the issue list (LP13: 根据……抽查情况……梳理汇总问题清单)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyproj.clock import beijing_date
from keyproj.codes import COLOURS, ISSUE_CATEGORIES, WARNING_LEVELS, Role, WarningSource
from keyproj.codes.sitework import SPOT_CHECK_RULE
from keyproj.db.base import length_of
from keyproj.db.models import EarlyWarning, Project, SpotCheck
from keyproj.errors import Conflict, ValidationError
from keyproj.inputs import ADMIN_YEARS, DOCUMENT_TEXT
from keyproj.policy import PolicyProfile
from keyproj.rules.base import Candidate, evidence
from keyproj.services.access import Viewer, require_role
from keyproj.services.projects.issues import IssueData, open_issue
from keyproj.services.scan.run import insert_warnings
from keyproj.services.scan.starting import start_missing_cases
from keyproj.services.spot_checks.plans import cycle_of, plan_for
from keyproj.validation import Checks

LABELS = {
    "project_id": "项目",
    "checked_on": "抽查日期",
    "checkers": "抽查人员",
    "findings": "发现问题",
    "level": "预警等级",
    "colour": "预警颜色",
    "category": "问题类别",
    "owner_unit_code": "负责协调单位",
}
CLAUSES = ("LP10",)


@dataclass(frozen=True)
class Escalation:
    """How a finding goes on: a warning of ``level`` and ``colour``, and/or an issue."""

    level: str | None = None
    colour: str | None = None
    category: str | None = None  # LP7 category of the issue to open
    owner_unit_code: str | None = None


@dataclass(frozen=True)
class CheckData:
    """What the checkers recorded."""

    project_id: int | None
    checked_on: date | None
    checkers: str
    findings: str | None = None
    escalation: Escalation = Escalation()


def record_check(
    session: Session, profile: PolicyProfile, viewer: Viewer, data: CheckData, now: datetime
) -> SpotCheck:
    """Record a check; its finding raises a warning and/or opens an issue when asked."""
    require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    today = beijing_date(now)
    checks = Checks(LABELS)
    checkers = checks.text("checkers", data.checkers, length_of(SpotCheck.checkers), True)
    findings = checks.text("findings", data.findings, DOCUMENT_TEXT)
    if checks.required("checked_on", data.checked_on):
        checks.day("checked_on", data.checked_on, ADMIN_YEARS)
        if checks.ok("checked_on") and data.checked_on and data.checked_on > today:
            checks.fail("checked_on", "不能晚于今天")
    _check_escalation(checks, data.escalation, findings)
    checks.required("project_id", data.project_id)
    checks.done()
    project = session.get(Project, data.project_id)
    if project is None:
        raise ValidationError.single("project_id", "项目", "项目不存在")
    assert data.checked_on is not None
    plan = plan_for(session, cycle_of(profile, data.checked_on).key)
    check = SpotCheck(
        plan_id=plan and plan.id,
        project_id=project.id,
        checked_on=data.checked_on,
        checkers=checkers,
        findings=findings,
        recorded_by_id=viewer.user_id,
        recorded_at=now,
    )
    session.add(check)
    esc = data.escalation
    if esc.level and esc.colour and findings:
        check.warning_id = _raise(session, profile, project, check, esc, now).id
    if esc.category and esc.owner_unit_code and findings:
        issue = IssueData(
            esc.category, _title(findings), esc.owner_unit_code, data.checked_on, findings
        )
        check.issue_id = open_issue(session, viewer, project, issue, today, profile).id
    session.flush()
    return check


def _check_escalation(checks: Checks, esc: Escalation, findings: str | None) -> None:
    """A warning needs level and colour, an issue category and owner; both need findings."""
    if esc.level or esc.colour:
        for name, value, allowed in (
            ("level", esc.level, WARNING_LEVELS),
            ("colour", esc.colour, COLOURS),
        ):
            if checks.required(name, value):
                checks.choice(name, value, allowed)
    if esc.category or esc.owner_unit_code:
        if checks.required("category", esc.category):
            checks.choice("category", esc.category, ISSUE_CATEGORIES)
        checks.required("owner_unit_code", esc.owner_unit_code)
    wanted = esc.level or esc.colour or esc.category or esc.owner_unit_code
    if wanted and not findings:
        checks.fail("findings", "发出预警或列入问题清单须写明发现的问题")


def _title(findings: str) -> str:
    """The issue's summary: the finding's first line, cut to the column's length."""
    first = findings.strip().splitlines()[0]
    return first[:60] + ("…" if len(first) > 60 else "")


def _raise(
    session: Session,
    profile: PolicyProfile,
    project: Project,
    check: SpotCheck,
    esc: Escalation,
    now: datetime,
) -> EarlyWarning:
    """The finding's warning (rule ``spot_check_finding``), started like a hand-raised one."""
    day = beijing_date(now).isoformat()
    same_day = select(func.count()).where(
        EarlyWarning.project_id == project.id,
        EarlyWarning.rule_id == SPOT_CHECK_RULE,
        EarlyWarning.period.like(f"{day}-%"),
    )
    number = (session.scalar(same_day) or 0) + 1
    assert check.findings is not None
    assert esc.level
    assert esc.colour
    candidate = Candidate(
        SPOT_CHECK_RULE,
        project.id,
        f"{day}-{number}",
        esc.level,
        esc.colour,
        evidence(
            check.findings,
            CLAUSES,
            "县重点办随机抽查发现（LP10）",
            checked_on=check.checked_on.isoformat(),
            checkers=check.checkers,
        ),
        source=WarningSource.SUPERVISION,
    )
    inserted = insert_warnings(session, [candidate], now)
    if not inserted:
        raise Conflict("同一项目同时登记了另一条抽查预警，请刷新后重试")
    warning_id = inserted[0][0]
    start_missing_cases(session, profile, now, warning_ids=[warning_id])
    return session.get_one(EarlyWarning, warning_id)
