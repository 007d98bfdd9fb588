"""Export and import of the project ledger (重点项目台账) as an .xlsx workbook.

An import is all-or-nothing: every row is checked before anything is written, and the writes
happen in the caller's transaction. A SAVEPOINT would not help: with SQLite's Python driver a
SAVEPOINT opened before any write starts the transaction itself and releasing it commits. So a
caller that sees any error from ``import_projects`` must roll back (``unit_of_work`` does).
"""

from __future__ import annotations

import zipfile
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import PlanStatus
from keyproj.db.models import AnnualPlan, Leader, PlanVersion, Project
from keyproj.errors import ImportRowError, ValidationError
from keyproj.services.access import Viewer
from keyproj.services.org.directory import save_leader, unit_by_name
from keyproj.services.projects import plans
from keyproj.services.projects.ledger.columns import (
    BY_HEADER,
    COLUMNS,
    HEADER_OF,
    CellError,
    Column,
    is_blank,
    normalise_header,
    plain,
    read_cell,
    write_cell,
)
from keyproj.services.projects.project import (
    ProjectData,
    check_project_data,
    create_project,
    list_projects,
    project_by_code,
    project_data,
    update_project,
)

SHEET_TITLE = "重点项目台账"
HEADER_SEARCH_ROWS = 20
PENDING = (PlanStatus.DRAFT, PlanStatus.SUBMITTED)
Problem = tuple[int, str, str]


@dataclass
class ImportResult:
    """What an import did."""

    created: int = 0
    updated: int = 0
    leaders_added: int = 0
    plans_filed: int = 0


@dataclass
class _Row:
    """One checked row, ready to write."""

    number: int
    data: ProjectData
    project: Project | None
    plan_amount: Decimal | None


@dataclass
class _Batch:
    """The rows checked so far and what they found."""

    rows: list[_Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    codes: dict[str, int] = field(default_factory=dict)
    new_leaders: list[str] = field(default_factory=list)


def export_projects(session: Session, viewer: Viewer, year: int) -> bytes:
    """The ledger of the projects the viewer may see, with each one's approved plan for ``year``."""
    projects = list_projects(session, viewer)
    amounts = _approved_amounts(session, [p.id for p in projects], year)
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = SHEET_TITLE
    _write_header(sheet)
    for serial, project in enumerate(projects, start=1):
        values = asdict(project_data(project))
        values.update(serial=serial, annual_investment=amounts.get(project.id))
        values["lead_unit_code"] = project.lead_unit.name
        sheet.append([write_cell(c, values.get(c.field)) for c in COLUMNS])
        for index, column in enumerate(COLUMNS, start=1):
            if column.kind == "date":
                sheet.cell(serial + 1, index).number_format = "yyyy-mm-dd"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _approved_amounts(session: Session, project_ids: list[int], year: int) -> dict[int, Decimal]:
    query = (
        select(AnnualPlan.project_id, PlanVersion.annual_investment)
        .join(PlanVersion, AnnualPlan.current_version_id == PlanVersion.id)
        .where(AnnualPlan.year == year, AnnualPlan.project_id.in_(project_ids))
    )
    return {pid: amount for pid, amount in session.execute(query)}


def _write_header(sheet: Worksheet) -> None:
    sheet.append([c.header for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(1, index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"


def import_projects(
    session: Session, data: bytes | str | Path, year: int, breakdown: str
) -> ImportResult:
    """Create or update projects (by 项目代码) from a ledger workbook; any bad row refuses the whole file."""
    if not 2000 <= year <= 2100:
        raise ValidationError.single("year", "年度", f"年度 {year} 不合理")
    sheet = _open_sheet(data)
    rows = list(sheet.iter_rows(min_row=1, values_only=True))
    header_row, columns = _locate_header(rows)
    batch = _Batch()
    for number, values in enumerate(rows[header_row:], start=header_row + 1):
        cells = {col.field: values[i] if i < len(values) else None for i, col in columns.items()}
        if all(is_blank(v) for f, v in cells.items() if f != "serial"):
            continue
        _check_row(session, batch, number, columns, cells, year)
    if batch.problems:
        raise ImportRowError(batch.problems)
    return _write(session, batch, year, breakdown)


def _open_sheet(data: bytes | str | Path) -> Worksheet:
    source = BytesIO(data) if isinstance(data, bytes) else data
    try:
        book = load_workbook(source, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise ValidationError.single("file", "文件", "无法读取，请上传 .xlsx 格式的台账") from None
    sheet = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
    return sheet


def _locate_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[int, Column]]:
    """The header's row number and the known columns by position; missing required ones refuse the file."""
    for number, values in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        columns: dict[int, Column] = {}
        for index, value in enumerate(values):
            column = BY_HEADER.get(normalise_header(value))
            if column is not None and column not in columns.values():
                columns[index] = column
        if len(columns) >= 2:
            present = {c.field for c in columns.values()}
            missing = [c for c in COLUMNS if c.required and c.field not in present]
            if missing:
                raise ImportRowError([(number, c.header, "缺少此列（必需列）") for c in missing])
            return number, columns
    raise ImportRowError([(1, "表头", "未找到表头行，表头应包含“项目名称”“项目代码”等列")])


def _check_row(
    session: Session,
    batch: _Batch,
    number: int,
    columns: dict[int, Column],
    cells: dict[str, Any],
    year: int,
) -> None:
    """Check one row and add it to the batch, or add its problems."""
    problems: dict[str, str] = {}
    parsed: dict[str, Any] = {}
    for column in columns.values():
        try:
            parsed[column.field] = read_cell(column, cells[column.field])
        except CellError as exc:
            problems[column.field] = str(exc)
    code = parsed.get("code")
    project = project_by_code(session, code) if code else None
    if code and code in batch.codes:
        problems.setdefault("code", f"项目代码 {code} 与第{batch.codes[code]}行重复")
    elif code:
        batch.codes[code] = number
    data = _project_data(project, columns, parsed, problems)
    _check_fields(data, problems)
    _resolve_unit(session, data, problems)
    _note_leader(session, batch, data.leader_name)
    amount = parsed.get("annual_investment")
    if amount is not None and project is not None and "annual_investment" not in problems:
        amount = _plan_to_file(session, project, year, amount, problems)
    batch.problems.extend((number, HEADER_OF.get(f, f), reason) for f, reason in problems.items())
    if not problems:
        batch.rows.append(_Row(number, data, project, amount))


def _project_data(
    project: Project | None,
    columns: dict[int, Column],
    parsed: dict[str, Any],
    problems: dict[str, str],
) -> ProjectData:
    """The row's facts: the stored ones (or defaults) overlaid with the row's readable cells."""
    if project is not None:
        values = asdict(project_data(project))
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


def _check_fields(data: ProjectData, problems: dict[str, str]) -> None:
    try:
        check_project_data(data)
    except ValidationError as exc:
        for error in exc.errors:
            problems.setdefault(error.field, error.reason)


def _resolve_unit(session: Session, data: ProjectData, problems: dict[str, str]) -> None:
    """Turn the unit name of the row into the unit's code."""
    if not data.lead_unit_code or "lead_unit_code" in problems:
        return
    try:
        data.lead_unit_code = unit_by_name(session, data.lead_unit_code, "lead_unit_code").code
    except ValidationError as exc:
        problems["lead_unit_code"] = exc.errors[0].reason


def _note_leader(session: Session, batch: _Batch, name: str | None) -> None:
    if not name or name in batch.new_leaders:
        return
    if session.scalar(select(Leader.id).where(Leader.name == name)) is None:
        batch.new_leaders.append(name)


def _plan_to_file(
    session: Session, project: Project, year: int, amount: Decimal, problems: dict[str, str]
) -> Decimal | None:
    """The amount to file as a new approved plan, or None when the approved plan already says so."""
    current = plans.current_version(session, project.id, year)
    if current is not None:
        if current.annual_investment != amount:
            problems["annual_investment"] = (
                f"与已批准的年度计划（{plain(current.annual_investment)}万元）不一致，"
                "请通过计划调整修改（AL5）"
            )
        return None
    plan = plans.plan_for(session, project.id, year)
    if plan is not None and any(v.status in PENDING for v in plan.versions):
        problems["annual_investment"] = f"该项目{year}年度计划正在编制或审批中，请在系统中完成审批"
        return None
    return amount


def _write(session: Session, batch: _Batch, year: int, breakdown: str) -> ImportResult:
    """Write the checked rows; runs only when every row passed."""
    result = ImportResult()
    for name in batch.new_leaders:
        save_leader(session, name)
        result.leaders_added += 1
    for row in batch.rows:
        if row.project is None:
            project = create_project(session, row.data)
            result.created += 1
        else:
            project = update_project(session, row.project, row.data)
            result.updated += 1
        if row.plan_amount is not None:
            plan = plans.PlanData(annual_investment=row.plan_amount)
            plans.file_approved(session, project, year, plan, breakdown)
            result.plans_filed += 1
    return result
