"""The supervision office files a matter itself (LP20): on any case, or on a problem it found.

Either way the matter is a warning of its own (rule ``supervision_finding``) whose case is
started at once and enters at the 督查立项 task (start data ``entry = "supervision"``): it
never waits in the key office's triage, and its deadline, reminders and replay are those of
every other case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyproj.clock import beijing_date
from keyproj.codes import (
    FINDING_RULE,
    OPEN_TASK,
    CaseUnitRole,
    Role,
    SupervisionOrigin,
    SupervisionState,
    WarningLevel,
    WarningSource,
)
from keyproj.codes.warning import Colour
from keyproj.db.models import (
    Case,
    CaseUnit,
    EarlyWarning,
    HumanTask,
    Project,
    SupervisionMatter,
    User,
)
from keyproj.errors import Conflict, NotFound, ValidationError
from keyproj.inputs import LONG_TEXT
from keyproj.policy import PolicyProfile
from keyproj.rules.base import Candidate, evidence
from keyproj.services.access import Viewer, require_role
from keyproj.services.cases.start import Matter, start_matters
from keyproj.services.org.directory import unit_by_code
from keyproj.services.scan.run import insert_warnings
from keyproj.services.supervision.ledger import FILE_TASK, RESULT_TASK, live_row
from keyproj.validation import Checks

LABELS = {
    "project_id": "项目",
    "summary": "督查事项",
    "lead_unit_code": "牵头责任单位",
    "phase_unit_codes": "阶段性责任单位",
}
CLAUSES = ("LP20",)


@dataclass(frozen=True)
class Finding:
    """A problem the supervision office found on a project, and the units answering for it."""

    project_id: int | None
    summary: str
    lead_unit_code: str
    phase_unit_codes: Sequence[str] = field(default_factory=tuple)


def may_file(viewer: Viewer) -> bool:
    """Only the supervision office files matters and records their results (LP20)."""
    return viewer.has(Role.SUPERVISION)


def file_finding(
    session: Session, profile: PolicyProfile, viewer: Viewer, finding: Finding, now: datetime
) -> SupervisionMatter:
    """File a problem found in supervision (LP20); its case waits at the 督查立项 task."""
    require_role(viewer, Role.SUPERVISION)
    checks = Checks(LABELS)
    summary = checks.text("summary", finding.summary, LONG_TEXT, required=True) or ""
    if finding.project_id is None:
        checks.fail("project_id", "必填")
    checks.done()
    project = session.get(Project, finding.project_id)
    if project is None:
        raise ValidationError.single("project_id", "项目", "项目不存在")
    lead = unit_by_code(session, finding.lead_unit_code, "lead_unit_code")
    phases = [unit_by_code(session, c, "phase_unit_codes") for c in finding.phase_unit_codes]
    if any(p.id == lead.id for p in phases):
        raise ValidationError.single("phase_unit_codes", "阶段性责任单位", "不能与牵头责任单位相同")
    units = [(lead.id, CaseUnitRole.LEAD)] + [(p.id, CaseUnitRole.PHASE) for p in phases]
    case = _start(session, profile, viewer, project, summary, units, now, origin_case=None)
    row = _row(case, viewer, SupervisionOrigin.FINDING, project, summary, now)
    row.lead_unit_id, row.phase_unit_ids = lead.id, [p.id for p in phases]
    session.add(row)
    session.flush()
    return row


def file_from_case(
    session: Session,
    profile: PolicyProfile,
    viewer: Viewer,
    case_id: int,
    summary: str,
    now: datetime,
) -> SupervisionMatter:
    """File a matter on any case (LP20); a major issue listed on it moves to the new filing."""
    require_role(viewer, Role.SUPERVISION)
    origin = session.get(Case, case_id)
    if origin is None:
        raise NotFound(f"案件 {case_id} 不存在或无权查看")
    checks = Checks(LABELS)
    text = checks.text("summary", summary, LONG_TEXT, required=True) or ""
    checks.done()
    _refuse_twice(session, case_id)
    warning = session.get_one(EarlyWarning, origin.warning_id)
    project = session.get(Project, warning.project_id) if warning.project_id else None
    if project is None:
        raise Conflict("该案件没有对应的项目，不能立项督查")
    units = [
        (u.unit_id, CaseUnitRole(u.role))
        for u in session.scalars(select(CaseUnit).where(CaseUnit.case_id == case_id))
    ]
    units.sort(key=lambda u: u[1] != CaseUnitRole.LEAD)
    case = _start(session, profile, viewer, project, text, units, now, origin_case=case_id)
    row = live_row(session, case_id)
    if row is None or row.state != SupervisionState.LISTED:
        row = _row(case, viewer, SupervisionOrigin.CASE, project, text, now)
        row.lead_unit_id = next((u for u, r in units if r == CaseUnitRole.LEAD), None)
        row.phase_unit_ids = [u for u, r in units if r == CaseUnitRole.PHASE]
        session.add(row)
    else:  # LP13's listed major issue is the matter now filed: it moves to the filing's case
        row.case_id = case.id
    row.origin_case_id = case_id
    session.flush()
    return row


def _refuse_twice(session: Session, case_id: int) -> None:
    """A case under supervision already is not filed again."""
    in_case = session.scalar(
        select(func.count()).where(
            HumanTask.case_id == case_id,
            HumanTask.name.in_((FILE_TASK, RESULT_TASK)),
            HumanTask.status.in_(OPEN_TASK),
        )
    )
    if in_case:
        raise Conflict("该案件已在督查室立项环节，请在待办任务中办理")
    filed = session.scalar(
        select(func.count()).where(
            SupervisionMatter.origin_case_id == case_id,
            SupervisionMatter.state.in_((SupervisionState.FILED, SupervisionState.OVERDUE)),
        )
    )
    if filed:
        raise Conflict("该案件已立项督查，尚未办结")


def _start(
    session: Session,
    profile: PolicyProfile,
    viewer: Viewer,
    project: Project,
    summary: str,
    units: list[tuple[int, CaseUnitRole]],
    now: datetime,
    origin_case: int | None,
) -> Case:
    """The matter's warning (LP20: 督查过程中发现的问题) and its case, entering at the filing."""
    day = beijing_date(now).isoformat()
    same_day = select(func.count()).where(
        EarlyWarning.project_id == project.id,
        EarlyWarning.rule_id == FINDING_RULE,
        EarlyWarning.period.like(f"{day}-%"),
    )
    number = (session.scalar(same_day) or 0) + 1
    basis = "督查室督查发现（LP20）"
    facts: dict[str, Any] = {"raised_by": _name(session, viewer)}
    if origin_case is not None:
        facts["origin_case_id"] = origin_case
    # A matter the supervision office files is a key matter to urge (LP13's strongest level).
    candidate = Candidate(
        FINDING_RULE,
        project.id,
        f"{day}-{number}",
        WarningLevel.URGING,
        Colour.RED,
        evidence(summary, CLAUSES, basis, **facts),
        source=WarningSource.SUPERVISION,
    )
    inserted = insert_warnings(session, [candidate], now)
    if not inserted:
        raise Conflict("同一项目同时登记了另一条督查事项，请刷新后重试")
    warning = session.get_one(EarlyWarning, inserted[0][0])
    data: dict[str, Any] = {"entry": "supervision", "supervision_summary": summary}
    if origin_case is not None:
        data["origin_case_id"] = origin_case
    return start_matters(session, [Matter((warning,), data=data, units=units)], profile, now)[0]


def _row(
    case: Case,
    viewer: Viewer,
    origin: SupervisionOrigin,
    project: Project,
    summary: str,
    now: datetime,
) -> SupervisionMatter:
    return SupervisionMatter(
        origin=origin,
        case_id=case.id,
        project_id=project.id,
        summary=summary,
        phase_unit_ids=[],
        state=SupervisionState.LISTED,
        listed_at=now,
        created_by_id=viewer.user_id,
    )


def _name(session: Session, viewer: Viewer) -> str:
    user = session.get_one(User, viewer.user_id)
    return user.display_name or user.username
