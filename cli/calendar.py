"""``keyproj calendar``: deadlines in working days, importing a year, an administrator's corrections."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from cli.context import pass_runtime
from keyproj.clock import today_beijing
from keyproj.db.session import unit_of_work
from keyproj.runtime import Runtime
from keyproj.services.reference import calendar as calendar_service


@click.group("calendar")
def calendar_group() -> None:
    """工作日日历（X5）。"""


@calendar_group.command("deadline")
@click.argument("start")
@click.argument("n", type=int)
@pass_runtime
def deadline(rt: Runtime, start: str, n: int) -> None:
    """Print the deadline N working days after START (ISO-8601 with offset)."""
    moment = parse_moment(start)
    with rt.sessions() as session:
        cal = calendar_service.load_calendar(session)
    click.echo(cal.deadline(moment, n).isoformat())


@calendar_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_runtime
def import_file(rt: Runtime, file: Path) -> None:
    """Load whole years of holidays and make-up working days from a CSV file (docs/calendar.md)."""
    with unit_of_work(rt.sessions) as session:
        years = calendar_service.import_file(session, file.read_text(encoding="utf-8"))
    click.echo(f"已导入节假日安排：{'、'.join(f'{y}年' for y in years)}")


@calendar_group.command("set")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.argument("kind", type=click.Choice(["holiday", "workday", "normal"]))
@click.option("--name", help="节日名称，如 春节")
@pass_runtime
def set_day(rt: Runtime, day: object, kind: str, name: str | None) -> None:
    """Mark DAY a holiday, a make-up working day, or an ordinary day (administrator correction)."""
    the_day = day.date()  # type: ignore[attr-defined]
    with unit_of_work(rt.sessions) as session:
        calendar_service.set_day(session, the_day, kind, name)
    click.echo(f"{the_day} 已设为 {calendar_service.KIND_LABELS.get(kind, '正常日')}")


@calendar_group.command("show")
@click.argument("year", type=int, required=False)
@pass_runtime
def show(rt: Runtime, year: int | None) -> None:
    """List a year's holidays and make-up working days (this Beijing year by default)."""
    year = year or today_beijing().year
    with rt.sessions() as session:
        days = calendar_service.year_days(session, year)
    if not days:
        click.echo(f"{year}年没有节假日数据")
    for d in days:
        click.echo(f"{d.day}  {calendar_service.KIND_LABELS[d.kind]}  {d.name or ''}")


def parse_moment(text: str) -> datetime:
    """An ISO-8601 moment; a missing offset is refused rather than guessed."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise click.BadParameter("需要带时区的时间，如 2025-09-30T10:00:00+08:00")
    return moment
