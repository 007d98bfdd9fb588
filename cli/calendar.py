"""``keyproj calendar``: deadlines in working days, importing a year, an administrator's corrections."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from cli.context import pass_runtime
from cli.options import FIRST_YEAR, LAST_YEAR, YEAR, BeijingDate, BoundedInt
from keyproj.clock import now_utc, today_beijing
from keyproj.db.session import unit_of_work
from keyproj.runtime import Runtime
from keyproj.services.admin import calendar as calendar_admin
from keyproj.services.admin.changelog import CLI_ACTOR
from keyproj.services.reference import calendar as calendar_service
from keyproj.services.reference import calendar_file
from keyproj.services.reference.calendar_file import CalendarImport, YearPlan

# Far beyond any deadline of the regulations (tens of working days), and within the calendar.
MAX_WORKING_DAYS = 1000
KIND_NAMES = calendar_service.KIND_LABELS


class Moment(click.ParamType):
    """An ISO-8601 moment with its offset, within the years the calendar can hold."""

    name = "ISO-8601"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        """The moment ``value`` names; a missing offset is refused rather than guessed."""
        if isinstance(value, datetime):
            return value
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"“{value}”不是时间，应如 2025-09-30T10:00:00+08:00", param, ctx)
        if moment.tzinfo is None:
            self.fail("需要带时区的时间，如 2025-09-30T10:00:00+08:00", param, ctx)
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            self.fail(f"“{value}”超出范围，应在{FIRST_YEAR}年至{LAST_YEAR}年之间", param, ctx)
        return moment


@click.group("calendar")
def calendar_group() -> None:
    """工作日日历（X5）。"""


@calendar_group.command("deadline")
@click.argument("start", type=Moment())
@click.argument("n", type=BoundedInt("N", 0, MAX_WORKING_DAYS))
@pass_runtime
def deadline(rt: Runtime, start: datetime, n: int) -> None:
    """Print the deadline N working days after START (ISO-8601 with offset)."""
    with rt.sessions() as session:
        cal = calendar_service.load_calendar(session)
    click.echo(cal.deadline(start, n).isoformat())


@calendar_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="只显示将新增、删除、改变的日期，不写入。")
@click.option("--replace", is_flag=True, help="文件不是完整的全年安排时，仍以它整年替换。")
@pass_runtime
def import_file(rt: Runtime, file: Path, dry_run: bool, replace: bool) -> None:
    """Load whole years of holidays and make-up working days from a CSV file (docs/calendar.md)."""
    with unit_of_work(rt.sessions) as session:
        plan = calendar_file.preview(session, file.read_bytes())
        _echo_plan(plan)
        if dry_run:
            click.echo("预览完毕，未写入任何数据。")
            return
        years = calendar_admin.apply_plan(session, CLI_ACTOR, now_utc(), plan, replace)
    click.echo(f"已导入节假日安排：{'、'.join(f'{y}年' for y in years)}")


@calendar_group.command("set")
@click.argument("day", type=BeijingDate())
@click.argument("kind", type=click.Choice(["holiday", "workday", "normal"]))
@click.option("--name", help="节日名称，如 春节")
@pass_runtime
def set_day(rt: Runtime, day: date, kind: str, name: str | None) -> None:
    """Mark DAY a holiday, a make-up working day, or an ordinary day (administrator correction)."""
    with unit_of_work(rt.sessions) as session:
        calendar_admin.correct_day(session, CLI_ACTOR, now_utc(), day, kind, name)
    click.echo(f"{day} 已设为 {KIND_NAMES.get(kind, '正常日')}")


@calendar_group.command("show")
@click.argument("year", type=YEAR, required=False)
@pass_runtime
def show(rt: Runtime, year: int | None) -> None:
    """List a year's holidays and make-up working days (this Beijing year by default)."""
    year = year or today_beijing().year
    with rt.sessions() as session:
        days = calendar_service.year_days(session, year)
    if not days:
        click.echo(f"{year}年没有节假日数据")
    for d in days:
        click.echo(f"{d.day}  {KIND_NAMES[d.kind]}  {d.name or ''}")


def _echo_plan(plan: CalendarImport) -> None:
    """Each year of the file and the days importing it adds, removes and changes."""
    for year in plan.years:
        click.echo(_year_line(year))
        for change in year.changes:
            before = KIND_NAMES[change.before] if change.before else None
            after = KIND_NAMES[change.after] if change.after else None
            what = f"{before} → {after}" if before and after else f"删除 {before}"
            if before is None:
                what = f"新增 {after}"
            click.echo(f"  {change.day}  {what}  {change.name or ''}".rstrip())


def _year_line(year: YearPlan) -> str:
    counts = (
        f"新增{year.count('added')}天，删除{year.count('removed')}天，改变{year.count('changed')}天"
    )
    state = "已有数据，将整年替换" if year.loaded else "尚无数据，将载入"
    whole = "完整" if year.covers else f"不完整：放假少于法定节假日{year.required}天"
    return f"{year.year}年（{state}）：文件中放假{year.holidays}天（{whole}）；{counts}"
