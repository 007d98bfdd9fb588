"""The supervision ledger (督查台账) as its readers see it: rows, the xlsx, a unit's record.

LP13's 重大问题及责任分工汇总 is the ledger's listed rows; LP20's filings, deadlines, results and
accountability are the rest. The supervision office, the key office, county leaders, auditors
and administrators read the ledger; a unit's own staff read the unit's record too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from openpyxl import Workbook
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from keyproj.clock import BEIJING
from keyproj.codes import (
    RESPONSIBLE_UNIT_KINDS,
    UNIT_STAFF_ROLES,
    Failure,
    Role,
    SupervisionOrigin,
    SupervisionState,
    UnitKind,
)
from keyproj.db.models import AccountabilityRecord, Project, SupervisionMatter, Unit, User
from keyproj.errors import NotFound
from keyproj.paging import Page, Paging, fetch_page
from keyproj.services.access import Viewer, require_role
from keyproj.services.projects.ledger.cells import append_row
from keyproj.services.supervision.filing import may_file

READERS = (Role.SUPERVISION, Role.KEY_OFFICE, Role.LEADER, Role.AUDITOR, Role.ADMIN)
STATES = SupervisionState.labels()
FAILURES = Failure.labels()


@dataclass(frozen=True)
class Accountability:
    """One accountability record as the ledger and the unit's page show it."""

    unit_id: int
    unit: str
    person: str
    failure: str
    measure: str
    recorded_at: str
    recorded_by: str
    matter_id: int | None  # None: held on the case itself (AL13), not on a supervision matter
    case_id: int
    filing_number: str  # the filing's number, or what the record rests on (AL13 责任追究)


@dataclass(frozen=True)
class Row:
    """One matter of the ledger."""

    id: int
    origin: str
    case_id: int
    origin_case_id: int | None
    project: str
    summary: str
    lead_unit: str
    phase_units: str
    unit_ids: list[int]
    filing_number: str
    requirements: str
    due: str
    state: str
    state_label: str
    result: str
    listed: str
    filed: str
    concluded: str
    records: list[Accountability]


def may_read(viewer: Viewer) -> bool:
    """Whether the viewer reads the whole ledger."""
    return viewer.has(*READERS)


def rows(session: Session, viewer: Viewer, state: str | None = None) -> list[Row]:
    """The ledger's matters, the newest first; ``state`` keeps one state (listed: LP13's list)."""
    require_role(viewer, *READERS)
    return _rows(session, list(session.scalars(_matters(state))))


def page(session: Session, viewer: Viewer, state: str | None, paging: Paging) -> Page[Row]:
    """One page of the ledger (as ``rows``), with the total under the state chosen."""
    require_role(viewer, *READERS)
    found = fetch_page(session, _matters(state), paging)
    return Page(_rows(session, found.items), found.total, found.page, found.per_page)


def _matters(state: str | None) -> Select[SupervisionMatter]:
    query = select(SupervisionMatter).order_by(SupervisionMatter.id.desc())
    chosen = SupervisionState.parse(state)
    return query if chosen is None else query.where(SupervisionMatter.state == chosen)


def case_matters(session: Session, case_id: int) -> list[Row]:
    """The matters a case drives or was filed from (the case page's links, both ways)."""
    query = select(SupervisionMatter).where(
        or_(SupervisionMatter.case_id == case_id, SupervisionMatter.origin_case_id == case_id)
    )
    return _rows(session, list(session.scalars(query.order_by(SupervisionMatter.id))))


@dataclass(frozen=True)
class UnitRecord:
    """A unit's page: its name and kind, and the accountability records held against it (LP20)."""

    unit_id: int
    name: str
    kind: str
    records: list[Accountability]


def unit_record(session: Session, viewer: Viewer, unit_id: int) -> UnitRecord:
    """The unit's record, for the ledger's readers and the unit's own staff (others: NotFound)."""
    own = viewer.has(*UNIT_STAFF_ROLES) and viewer.unit_id == unit_id
    unit = session.get(Unit, unit_id)
    if unit is None or not (own or may_read(viewer)):
        raise NotFound(f"单位 {unit_id} 不存在或无权查看")
    found = session.scalars(
        select(AccountabilityRecord)
        .where(AccountabilityRecord.unit_id == unit_id)
        .options(selectinload(AccountabilityRecord.matter))
        .order_by(AccountabilityRecord.recorded_at.desc(), AccountabilityRecord.id)
    )
    records = list(found)
    return UnitRecord(unit.id, unit.name, UnitKind.label_of(unit.kind), _records(session, records))


@dataclass(frozen=True)
class FindingChoices:
    """What the finding form offers: the projects and the units that may answer for one."""

    projects: list[tuple[int, str]]
    units: list[tuple[str, str]]


def finding_choices(session: Session, viewer: Viewer) -> FindingChoices | None:
    """The finding form's choices for the supervision office; None for everyone else."""
    if not may_file(viewer):
        return None
    projects = [
        (p.id, f"{p.code} {p.name}")
        for p in session.scalars(select(Project).order_by(Project.code))
    ]
    units = [
        (u.code, u.name)
        for u in session.scalars(
            select(Unit)
            .where(Unit.kind.in_(RESPONSIBLE_UNIT_KINDS), Unit.active.is_(True))
            .order_by(Unit.code)
        )
    ]
    return FindingChoices(projects, units)


HEADERS = (
    "序号", "来源", "案件", "项目", "督查事项", "牵头责任单位", "阶段性责任单位", "督查立项通知书",
    "办结期限", "状态", "列入时间", "立项时间", "办结时间", "督查结果", "问责情况",
)  # fmt: skip


def export(session: Session, viewer: Viewer, state: str | None = None) -> bytes:
    """The ledger as an xlsx workbook, one row per matter (the page's filter applies)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "督查台账"
    append_row(sheet, HEADERS)
    for n, row in enumerate(rows(session, viewer, state), start=1):
        records = "；".join(f"{r.unit}{r.person}：{r.failure}（{r.measure}）" for r in row.records)
        append_row(sheet,
            (
                n, row.origin, row.case_id, row.project, row.summary, row.lead_unit,
                row.phase_units, row.filing_number, row.due, row.state_label, row.listed,
                row.filed, row.concluded, row.result, records or "无",
            )
        )  # fmt: skip
    out = BytesIO()
    book.save(out)
    return out.getvalue()


# --- building the rows -------------------------------------------------------------------------


def _rows(session: Session, matters: list[SupervisionMatter]) -> list[Row]:
    unit_ids = {u for m in matters for u in m.unit_ids}
    units = _unit_names(session, unit_ids)
    projects = _project_names(session, {m.project_id for m in matters if m.project_id})
    records: dict[int, list[AccountabilityRecord]] = {}
    if matters:
        found = session.scalars(
            select(AccountabilityRecord)
            .where(AccountabilityRecord.matter_id.in_([m.id for m in matters]))
            .options(selectinload(AccountabilityRecord.matter))
            .order_by(AccountabilityRecord.id)
        )
        for record in found:
            records.setdefault(record.matter_id or 0, []).append(record)
    return [
        Row(
            id=m.id,
            origin=SupervisionOrigin.label_of(m.origin),
            case_id=m.case_id,
            origin_case_id=m.origin_case_id,
            project=projects.get(m.project_id or 0, "—"),
            summary=m.summary,
            lead_unit=units.get(m.lead_unit_id or 0, "—"),
            phase_units="、".join(units.get(u, "") for u in m.phase_unit_ids or []) or "—",
            unit_ids=m.unit_ids,
            filing_number=m.filing_number or "—",
            requirements=m.requirements or "",
            due=_day(m.due_at),
            state=m.state,
            state_label=SupervisionState.label_of(m.state),
            result=m.result or "",
            listed=_time(m.listed_at),
            filed=_time(m.filed_at),
            concluded=_time(m.concluded_at),
            records=_records(session, records.get(m.id, [])),
        )
        for m in matters
    ]


def _records(session: Session, found: list[AccountabilityRecord]) -> list[Accountability]:
    units = _unit_names(session, {r.unit_id for r in found})
    users = _user_names(session, {r.recorded_by_id for r in found if r.recorded_by_id})
    return [
        Accountability(
            unit_id=r.unit_id,
            unit=units.get(r.unit_id, ""),
            person=r.person,
            failure=Failure.label_of(r.failure),
            measure=r.measure,
            recorded_at=_time(r.recorded_at),
            recorded_by=users.get(r.recorded_by_id or 0, "—"),
            matter_id=r.matter_id,
            case_id=r.case_id,
            filing_number=_basis(r),
        )
        for r in found
    ]


def _basis(record: AccountabilityRecord) -> str:
    """What a record rests on: the supervision filing's number (LP20), or AL13 on the case."""
    if record.matter is None:
        return f"AL13责任追究（案件{record.case_id}）"
    return record.matter.filing_number or "—"


def _unit_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    query = select(Unit.id, Unit.name).where(Unit.id.in_(wanted))
    return {row.id: row.name for row in session.execute(query)}


def _project_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    query = select(Project.id, Project.name).where(Project.id.in_(sorted(ids)))
    return {row.id: row.name for row in session.execute(query)}


def _user_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    found = session.scalars(select(User).where(User.id.in_(sorted(ids))))
    return {u.id: u.display_name or u.username for u in found}


def _time(moment: datetime | None) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _day(moment: datetime | None) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d") if moment else "—"
