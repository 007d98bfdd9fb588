"""When a year plan is due and may be revised under the profile, and what each window records.

AL4: the quarterly reverse-schedule plan by the end of March, recalibrated in early May with the
unit head's signature; AL5: otherwise locked, one adjustment in mid-June on a formal request and
the government's decision; HD1: the monthly plan by the end of February, naming its responsible
leader and person. Profiles without these values keep LP6's rule: a revision needs a reason.
"""

from __future__ import annotations

import calendar as stdcal
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from keyproj.clock import BEIJING, now_utc
from keyproj.codes import PlanStatus, Role
from keyproj.codes.plans import PlanKind
from keyproj.db.models import PlanVersion, Project
from keyproj.errors import Conflict, PermissionDenied
from keyproj.inputs import LONG_TEXT
from keyproj.policy.model import Plans
from keyproj.services.access import Viewer
from keyproj.services.projects import plans
from keyproj.validation import Checks

NAME_LIMIT = 50
LABELS = {
    "responsible_leader": "牵头责任领导",
    "responsible_person": "具体责任人",
    "request": "调整申请（正式文件）",
    "government_decision": "政府调整决定",
}


@dataclass(frozen=True)
class PlanRecords:
    """What a window asks a version to record besides its figures."""

    responsible_leader: str | None = None
    responsible_person: str | None = None
    request: str | None = None


def filing_due(rules: Plans, year: int) -> date | None:
    """The day the year's plan is due where the profile names a month (AL4 March, HD1 February)."""
    month = rules.filing_by_end_of_month
    if month is None:
        return None
    return date(year, month, stdcal.monthrange(year, month)[1])


def is_late(version: PlanVersion, rules: Plans, year: int) -> bool:
    """True for a year's first plan submitted after the profile's filing day."""
    due = filing_due(rules, year)
    sent = version.submitted_at
    if due is None or sent is None or version.kind != PlanKind.INITIAL:
        return False
    return sent.astimezone(BEIJING).date() > due  # the filing day is a Beijing calendar day


def window(rules: Plans, year: int, kind: PlanKind) -> tuple[date, date] | None:
    """The first and last day of the calibration (AL4) or adjustment (AL5) window, if any."""
    month, days = (
        (rules.calibration_month, rules.calibration_days)
        if kind == PlanKind.CALIBRATION
        else (rules.adjustment_month, rules.adjustment_days)
    )
    if month is None or not days:
        return None
    return date(year, month, days[0]), date(year, month, days[1])


def revision_kind(rules: Plans, year: int, today: date) -> PlanKind:
    """What a revision of an approved plan made ``today`` is; refused outside the windows (AL5)."""
    for kind in (PlanKind.CALIBRATION, PlanKind.ADJUSTMENT):
        span = window(rules, year, kind)
        if span and span[0] <= today <= span[1]:
            return kind
    if rules.revisions_only_in_windows:
        open_in = "、".join(
            f"{span[0]:%m月%d日}至{span[1]:%m月%d日}（{kind.label}）"
            for kind in (PlanKind.CALIBRATION, PlanKind.ADJUSTMENT)
            if (span := window(rules, year, kind))
        )
        raise Conflict(f"年度计划一经确定不得擅自调整，只能在{open_in}提出（AL4、AL5）")
    return PlanKind.REVISION


def draft_plan(
    session: Session,
    viewer: Viewer | None,
    project: Project,
    year: int,
    data: plans.PlanData,
    records: PlanRecords,
    rules: Plans,
    today: date,
) -> PlanVersion:
    """A draft version, of the kind the day allows, with what its window asks recorded."""
    approved = plans.current_version(session, project.id, year) is not None
    kind = revision_kind(rules, year, today) if approved else PlanKind.INITIAL
    records = _check_records(records, kind, rules)
    version = plans.draft_version(session, viewer, project, year, data, rules.breakdown)
    version.kind = kind
    version.responsible_leader = records.responsible_leader
    version.responsible_person = records.responsible_person
    version.request = records.request
    session.flush()
    return version


def sign_plan(session: Session, viewer: Viewer, version: PlanVersion) -> None:
    """The lead unit's head signs a calibrated plan before it is submitted (AL4)."""
    if not (viewer.has(Role.UNIT_HEAD) and viewer.unit_id == version.plan.project.lead_unit_id):
        raise PermissionDenied("只有牵头责任单位主要负责人可以签字")
    if version.status != PlanStatus.DRAFT:
        raise Conflict(f"计划第{version.number}版已{version.status.label}，无需签字")
    version.signed_by_id, version.signed_at = viewer.user_id, now_utc()
    session.flush()


def submit_plan(
    session: Session, viewer: Viewer | None, version: PlanVersion, rules: Plans
) -> None:
    """Send a draft for approval; a calibration must carry the unit head's signature (AL4)."""
    unsigned = version.kind == PlanKind.CALIBRATION and version.signed_at is None
    if unsigned and rules.calibration_signed_by_unit_head:
        raise Conflict("5月初校准后的计划须经牵头责任单位主要负责人签字后报送（AL4）")
    plans.submit_version(session, viewer, version)


def approve_plan(
    session: Session,
    viewer: Viewer | None,
    version: PlanVersion,
    rules: Plans,
    note: str | None = None,
    decision: str | None = None,
) -> None:
    """The key office approves; a mid-June adjustment records the government's decision (AL5)."""
    checks = Checks(LABELS)
    decision = checks.text("government_decision", decision, LONG_TEXT)
    if version.kind == PlanKind.ADJUSTMENT and rules.adjustment_needs_decision and not decision:
        checks.fail(
            "government_decision", "年中集中调整须记录政府研究决定（文件名称或文号）（AL5）"
        )
    checks.done()
    plans.approve_version(session, viewer, version, note)
    version.government_decision = decision
    session.flush()


def _check_records(records: PlanRecords, kind: PlanKind, rules: Plans) -> PlanRecords:
    checks = Checks(LABELS)
    named = rules.names_responsible
    leader = checks.text("responsible_leader", records.responsible_leader, NAME_LIMIT, named)
    person = checks.text("responsible_person", records.responsible_person, NAME_LIMIT, named)
    asks = kind == PlanKind.ADJUSTMENT and rules.adjustment_needs_decision
    request = checks.text("request", records.request, LONG_TEXT, asks)
    checks.done()
    return PlanRecords(leader, person, request)
