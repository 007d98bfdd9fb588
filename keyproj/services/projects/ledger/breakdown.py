"""The plan breakdown sheet 「年度计划分解」: one row per project and period (LP6, AL4, HD1, GS7).

A sheet of its own, keyed by 项目代码 and 期次, rather than column groups on the main sheet: its
columns are the same for a monthly and a quarterly profile (twelve periods of four figures would
be 48 more columns on each project's row), a county office can sort and filter it by project or
by period as it fills it in, and a ledger without the sheet still imports as before.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from keyproj import periods
from keyproj.errors import ValidationError
from keyproj.inputs import LONG_TEXT
from keyproj.services.projects.ledger.columns import CellError, Column, plain, read_cell
from keyproj.services.projects.plans import PlanPeriodData

BREAKDOWN_TITLE = "年度计划分解"
BREAKDOWN_COLUMNS: tuple[Column, ...] = (
    Column("项目代码", "code", "text", width=26, required=True),
    Column("期次", "period", "period", width=12, required=True),
    Column("当期计划投资（万元）", "planned_investment", "amount", width=16, required=True),
    Column("累计形象进度（%）", "planned_progress_pct", "percent", width=14, required=True),
    Column("节点目标", "milestone", "text", width=40, max_length=LONG_TEXT),
    Column("手续办理", "procedures", "text", width=30, max_length=LONG_TEXT),
)
BREAKDOWN_HEADER_OF = {c.field: c.header for c in BREAKDOWN_COLUMNS}
Problem = tuple[int, str, str]


def where(field_name: str) -> str:
    """The column label of a breakdown problem: the sheet and the header, as 「年度计划分解：期次」."""
    return f"{BREAKDOWN_TITLE}：{BREAKDOWN_HEADER_OF[field_name]}"


@dataclass(slots=True)
class PeriodRow:
    """One breakdown row whose cells could be read; the period key is not yet checked."""

    number: int
    period: str
    planned_investment: Decimal
    planned_progress_pct: Decimal
    milestone: str | None
    procedures: str | None


def read_breakdown(
    rows: Iterator[tuple[int, dict[str, object]]] | None,
    keep: Callable[[str, PeriodRow], None],
    limit: int,
) -> list[Problem]:
    """Every breakdown row read cell by cell and each readable one kept by its project code;
    the problems of cells that could not be read (reading stops after ``limit`` of them)."""
    problems: list[Problem] = []
    for number, cells in rows or ():
        values: dict[str, object] = {}
        for column in BREAKDOWN_COLUMNS:
            try:
                values[column.field] = read_cell(column, cells.get(column.field))
            except CellError as exc:
                problems.append((number, where(column.field), str(exc)))
        if len(problems) > limit:  # the file is refused with the first ones: enough is known
            break
        if len(values) < len(BREAKDOWN_COLUMNS):
            continue
        keep(
            str(values["code"]),
            PeriodRow(
                number,
                sys.intern(str(values["period"])),  # a dozen keys shared by every project
                values["planned_investment"],  # type: ignore[arg-type]
                values["planned_progress_pct"],  # type: ignore[arg-type]
                values["milestone"],  # type: ignore[arg-type]
                values["procedures"],  # type: ignore[arg-type]
            ),
        )
    return problems


def unclaimed(codes: Iterable[tuple[str, int]]) -> list[Problem]:
    """The problems of breakdown rows naming (code, first row) a project the main sheet lacks."""
    return [
        (first, where("code"), f"项目代码 {code} 不在「重点项目台账」表中") for code, first in codes
    ]


def check_breakdown(
    rows: list[PeriodRow], annual: Decimal | None, year: int, cycle: str, main_row: int
) -> tuple[list[PeriodRow], list[Problem]]:
    """A project's periods, sorted; or the problems naming each row and column.

    The rows themselves are kept (not copies): a county's breakdown is hundreds of thousands.
    """
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    dated: list[tuple[date, PeriodRow]] = []
    for row in rows:
        try:
            period = periods.parse(cycle, row.period)
        except ValidationError as exc:
            problems.append((row.number, where("period"), exc.errors[0].reason))
            continue
        if period.start.year != year:
            problems.append((row.number, where("period"), f"期次 {row.period} 不属于{year}年"))
        elif row.period in seen:
            reason = f"期次 {row.period} 与第{seen[row.period]}行重复"
            problems.append((row.number, where("period"), reason))
        else:
            seen[row.period] = row.number
            dated.append((period.end, row))
    dated.sort(key=lambda pair: pair[0])
    last: PeriodRow | None = None
    for _, row in dated:
        if last is not None and row.planned_progress_pct < last.planned_progress_pct:
            reason = (
                f"累计形象进度 {plain(row.planned_progress_pct)}% 低于上一期"
                f"（{last.period}，{plain(last.planned_progress_pct)}%），累计进度不能下降"
            )
            problems.append((row.number, where("planned_progress_pct"), reason))
        last = row
    problems.extend(_total_problems(rows, annual, main_row))
    if problems:
        return [], problems
    return [row for _, row in dated], []


def _total_problems(rows: list[PeriodRow], annual: Decimal | None, main_row: int) -> list[Problem]:
    first = rows[0].number
    if annual is None:
        reason = f"「重点项目台账」第{main_row}行未填年度计划投资，无法分解"
        return [(first, where("planned_investment"), reason)]
    total = sum((row.planned_investment for row in rows), Decimal(0))
    if total == annual:
        return []
    reason = (
        f"各期计划投资合计 {plain(total)} 万元，与「重点项目台账」第{main_row}行"
        f"年度计划投资 {plain(annual)} 万元不一致"
    )
    return [(first, where("planned_investment"), reason)]


def as_data(row: PeriodRow) -> PlanPeriodData:
    """The row as the plans service takes a period."""
    return PlanPeriodData(
        row.period, row.planned_investment, row.planned_progress_pct, row.milestone, row.procedures
    )


def same_periods(given: list[PeriodRow], stored: list[PlanPeriodData]) -> bool:
    """True when the breakdown as read is the one stored (amounts compared by value)."""
    return [as_data(row) for row in given] == stored
