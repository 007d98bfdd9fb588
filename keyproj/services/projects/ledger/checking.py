"""The checks of ledger rows, a chunk at a time: cells, the project's facts, unit, leader, plan.

Units and leaders are read once per import; the stored projects and plans of a chunk's codes
in one query each, so a 50,000-row ledger costs about a hundred queries instead of 200,000.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import RowMapping, select
from sqlalchemy.orm import Session

from keyproj.codes import PlanStatus
from keyproj.db.models import AnnualPlan, Leader, PlanPeriod, PlanVersion, Project, Unit
from keyproj.errors import ValidationError
from keyproj.services.projects.ledger.breakdown import (
    PeriodRow,
    check_breakdown,
    same_periods,
    where,
)
from keyproj.services.projects.ledger.columns import HEADER_OF, CellError, Column, plain, read_cell
from keyproj.services.projects.ledger.sheet import Cells
from keyproj.services.projects.ledger.spool import BreakdownSpool
from keyproj.services.projects.plans import PlanPeriodData
from keyproj.services.projects.project import ProjectData, check_project_data, project_columns

PENDING = (PlanStatus.DRAFT, PlanStatus.SUBMITTED)
DATA_FIELDS = tuple(f.name for f in fields(ProjectData))
Problem = tuple[int, str, str]
Given = dict[str, list[PeriodRow]]  # a chunk's breakdown rows by code


@dataclass(slots=True)
class CheckedRow:
    """One row that passed, as the columns to write."""

    number: int
    project_id: int | None  # None: a new project
    values: dict[str, Any]  # the project's columns, with lead_unit_id
    leader_name: str | None
    plan_amount: Decimal | None  # an approved annual plan to file
    plan_id: int | None  # the year's plan already there (only rejected versions), if any
    # The plan's breakdown: its rows' numbers in period order, the rows kept in the spool
    # under the code as the breakdown sheet gives it (a chunk's rows are read back to write).
    periods: Sequence[int] = ()
    breakdown_code: str = ""


@dataclass(frozen=True, slots=True)
class _Stored:
    """A stored project's facts and the state of its plan for the import's year."""

    id: int
    data: dict[str, Any]  # the ProjectData fields
    plan_id: int | None = None
    current_amount: Decimal | None = None
    pending: bool = False
    periods: list[PlanPeriodData] = field(default_factory=list)  # of the approved version


@dataclass
class RowChecker:
    """Checks rows against the database and against the rows checked before them."""

    session: Session
    year: int
    columns: dict[int, Column]
    today: date  # a new or changed planned completion before it is refused
    cycle: str = "monthly"  # the profile's plan breakdown
    breakdown: BreakdownSpool = field(default_factory=BreakdownSpool)
    codes: dict[str, int] = field(default_factory=dict)  # code → row it was first seen on
    new_leaders: list[str] = field(default_factory=list)
    units: dict[str, tuple[int, str]] = field(default_factory=dict)  # name → (id, code)
    leaders: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for unit_id, code, name in self.session.execute(select(Unit.id, Unit.code, Unit.name)):
            self.units[name] = (unit_id, code)
        self.leaders = {name: i for i, name in self.session.execute(select(Leader.id, Leader.name))}

    def check(self, chunk: Sequence[tuple[int, Cells]]) -> tuple[list[CheckedRow], list[Problem]]:
        """The chunk's rows that passed, and every problem of those that did not."""
        parsed = [(number, *self._read(cells)) for number, cells in chunk]
        codes = {str(p.get("code")).strip() for _, p, _ in parsed if p.get("code")}
        # A code seen in an earlier chunk is refused as a duplicate: its rows were taken then.
        given = self.breakdown.take(codes - self.codes.keys())
        stored = self._stored(codes, given)
        passed: list[CheckedRow] = []
        problems: list[Problem] = []
        for number, values, row_problems in parsed:
            checked = self._check_row(number, values, row_problems, stored, given, problems)
            problems.extend((number, HEADER_OF.get(f, f), r) for f, r in row_problems.items())
            if checked is not None:
                passed.append(checked)
        return passed, problems

    def _read(self, cells: Cells) -> tuple[dict[str, Any], dict[str, str]]:
        parsed: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for column in self.columns.values():
            try:
                parsed[column.field] = read_cell(column, cells[column.field])
            except CellError as exc:
                problems[column.field] = str(exc)
        return parsed, problems

    def _check_row(
        self,
        number: int,
        parsed: dict[str, Any],
        problems: dict[str, str],
        stored: dict[str, _Stored],
        breakdown: Given,
        elsewhere: list[Problem],
    ) -> CheckedRow | None:
        """The row to write, or None noting its problems (those of its breakdown rows in ``elsewhere``)."""
        code = str(parsed["code"]).strip() if parsed.get("code") else None
        project = stored.get(code) if code else None
        if code and code in self.codes:
            problems.setdefault("code", f"项目代码 {code} 与第{self.codes[code]}行重复")
        elif code:
            self.codes[code] = number
        stored_completion = project.data.get("planned_completion") if project else None
        data = _project_data(project, self.columns, parsed, problems)
        data = _check_fields(data, problems, self.today, stored_completion)
        unit = self._unit(data, problems)
        self._note_leader(data.leader_name)
        amount = parsed.get("annual_investment")
        _check_within_total(amount, data, problems)
        annual = amount
        if amount is not None and project is not None and "annual_investment" not in problems:
            amount = self._plan_to_file(project, amount, problems)
        before = len(elsewhere)
        given = breakdown.pop(code, None) if code else None  # a duplicate within the chunk: none
        periods: list[PeriodRow] = []
        if given and "annual_investment" not in problems:
            periods = self._periods(number, given, annual, amount, project, elsewhere)
        if problems or unit is None or len(elsewhere) > before:
            return None
        values = project_columns(data) | {"lead_unit_id": unit}
        plan_id = project.plan_id if project is not None else None
        project_id = project.id if project is not None else None
        order = array("I", (row.number for row in periods)) if periods else ()
        leader = data.leader_name
        return CheckedRow(number, project_id, values, leader, amount, plan_id, order, code or "")

    def _periods(
        self,
        number: int,
        given: list[PeriodRow],
        annual: Decimal | None,
        filing: Decimal | None,
        project: _Stored | None,
        problems: list[Problem],
    ) -> list[PeriodRow]:
        """The row's checked breakdown; an approved plan's may only be repeated as it stands (AL5)."""
        periods, found = check_breakdown(given, annual, self.year, self.cycle, number)
        problems.extend(found)
        approved = project is not None and project.current_amount is not None
        if not found and filing is None and project is not None and approved:  # noqa: SIM102
            if not same_periods(periods, project.periods):
                reason = "与已批准的年度计划分解不一致，请通过计划调整修改（AL5）"
                problems.append((given[0].number, where("period"), reason))
        return periods

    def _unit(self, data: ProjectData, problems: dict[str, str]) -> int | None:
        """The id of the unit the row names, noting a problem when there is none."""
        if not data.lead_unit_code or "lead_unit_code" in problems:
            return None
        found = self.units.get(data.lead_unit_code.strip())
        if found is None:
            problems["lead_unit_code"] = f"未知单位“{data.lead_unit_code}”"
            return None
        data.lead_unit_code = found[1]
        return found[0]

    def _note_leader(self, name: str | None) -> None:
        name = name.strip() if name else None
        if name and name not in self.leaders and name not in self.new_leaders:
            self.new_leaders.append(name)

    def _plan_to_file(
        self, project: _Stored, amount: Decimal, problems: dict[str, str]
    ) -> Decimal | None:
        """The amount to file as a new approved plan, or None when the approved plan already says so."""
        if project.current_amount is not None:
            if project.current_amount != amount:
                problems["annual_investment"] = (
                    f"与已批准的年度计划（{plain(project.current_amount)}万元）不一致，"
                    "请通过计划调整修改（AL5）"
                )
            return None
        if project.pending:
            problems["annual_investment"] = (
                f"该项目{self.year}年度计划正在编制或审批中，请在系统中完成审批"
            )
            return None
        return amount

    def _stored(self, codes: set[str], given: Given) -> dict[str, _Stored]:
        """The stored projects among ``codes``, with their plans of the year (and the approved
        breakdown of those ``given`` one)."""
        if not codes:
            return {}
        rows = self.session.execute(select(Project.__table__).where(Project.code.in_(codes)))
        projects = {row.id: row._mapping for row in rows}
        if not projects:
            return {}
        plans = self._plans(list(projects))
        periods = self._approved_periods([i for i, row in projects.items() if row["code"] in given])
        names = {i: name for name, i in self.leaders.items()}
        unit_codes = {i: code for i, code in self.units.values()}
        out: dict[str, _Stored] = {}
        for project_id, row in projects.items():
            data = _data_of(row, unit_codes, names)
            plan_id, amount, pending = plans.get(project_id, (None, None, False))
            stored = periods.get(project_id, [])
            out[row["code"]] = _Stored(project_id, data, plan_id, amount, pending, stored)
        return out

    def _approved_periods(self, project_ids: list[int]) -> dict[int, list[PlanPeriodData]]:
        """Per project: the periods of the year's approved plan."""
        if not project_ids:
            return {}
        query = (
            select(
                AnnualPlan.project_id,
                PlanPeriod.period,
                PlanPeriod.planned_investment,
                PlanPeriod.planned_progress_pct,
                PlanPeriod.milestone,
                PlanPeriod.procedures,
            )
            .join(PlanPeriod, PlanPeriod.version_id == AnnualPlan.current_version_id)
            .where(AnnualPlan.year == self.year, AnnualPlan.project_id.in_(project_ids))
            .order_by(PlanPeriod.period_end)
        )
        out: dict[int, list[PlanPeriodData]] = {}
        for project_id, key, investment, pct, milestone, procedures in self.session.execute(query):
            period = PlanPeriodData(key, investment, pct, milestone, procedures)
            out.setdefault(project_id, []).append(period)
        return out

    def _plans(self, project_ids: list[int]) -> dict[int, tuple[int, Decimal | None, bool]]:
        """Per project: the year's plan, its approved amount and whether a version is pending."""
        current = self.session.execute(
            select(AnnualPlan.project_id, AnnualPlan.id, PlanVersion.annual_investment)
            .outerjoin(PlanVersion, AnnualPlan.current_version_id == PlanVersion.id)
            .where(AnnualPlan.year == self.year, AnnualPlan.project_id.in_(project_ids))
        )
        pending = set(
            self.session.scalars(
                select(AnnualPlan.project_id)
                .join(PlanVersion, PlanVersion.plan_id == AnnualPlan.id)
                .where(
                    AnnualPlan.year == self.year,
                    AnnualPlan.project_id.in_(project_ids),
                    PlanVersion.status.in_(PENDING),
                )
            )
        )
        return {pid: (plan_id, amount, pid in pending) for pid, plan_id, amount in current}


def _data_of(
    row: RowMapping, unit_codes: dict[int, str], leaders: dict[int, str]
) -> dict[str, Any]:
    """A stored project's facts (the fields of ProjectData) from its table row."""
    values = {name: row[name] for name in DATA_FIELDS if name in row}
    values["lead_unit_code"] = unit_codes.get(row["lead_unit_id"], "")
    values["leader_name"] = leaders.get(row["leader_id"]) if row["leader_id"] else None
    return values


def _project_data(
    project: _Stored | None,
    columns: dict[int, Column],
    parsed: dict[str, Any],
    problems: dict[str, str],
) -> ProjectData:
    """The row's facts: the stored ones (or defaults) overlaid with the row's readable cells."""
    if project is not None:
        values = dict(project.data)
    else:
        values = dict.fromkeys(
            ("code", "name", "level", "nature", "total_investment", "lead_unit_code")
        )
    for column in columns.values():
        name = column.field
        if name in ("serial", "annual_investment") or name in problems:
            continue
        if parsed[name] is not None or column.nullable:
            values[name] = parsed[name]
    return ProjectData(**values)


def _check_within_total(
    amount: Decimal | None, data: ProjectData, problems: dict[str, str]
) -> None:
    """A year cannot plan more than the whole project costs."""
    total = data.total_investment
    if amount is None or total is None or {"annual_investment", "total_investment"} & set(problems):
        return
    if amount > total:
        problems["annual_investment"] = (
            f"年度计划投资 {plain(amount)} 万元超过总投资 {plain(total)} 万元"
        )


def _check_fields(
    data: ProjectData, problems: dict[str, str], today: date, stored_completion: date | None
) -> ProjectData:
    """The data as it will be stored (text normalised), noting each field's problem."""
    try:
        return check_project_data(data, today, stored_completion)
    except ValidationError as exc:
        for error in exc.errors:
            problems.setdefault(error.field, error.reason)
        return data
