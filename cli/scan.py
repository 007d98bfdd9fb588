"""``keyproj scan``: raise warnings and start their cases; ``keyproj import warnings`` (LP12)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from cli.context import AppContext, pass_app
from cli.ledger import import_group
from keyproj.clock import beijing_date, now_utc
from keyproj.db.session import unit_of_work
from keyproj.errors import ImportRowError
from keyproj.rules import RULES, rule_title
from keyproj.services.scan.jobs import scan_and_start
from keyproj.services.scan.run import import_feedback


@click.command("scan")
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="按哪一天的数据扫描（YYYY-MM-DD），默认为北京时间今天；案件期限仍从现在起算。",
)
@pass_app
def scan(app: AppContext, on: datetime | None) -> None:
    """Run every warning rule, raise new warnings once, start a case for each (LP11, X1)."""
    today = on.date() if on else beijing_date(now_utc())
    result = scan_and_start(app.sessions, app.profile, today, now_utc)
    profile = app.profile.profile
    click.echo(
        f"预警扫描：{profile.name}（{profile.id}），数据日期 {today}；"
        f"新增预警 {result.new_warnings} 条，启动处置案件 {result.cases_started} 件，"
        f"未办结预警共 {result.open_warnings} 条。"
    )
    for rule_id in sorted(set(result.found_by_rule) | set(result.by_rule)):
        new, found = result.by_rule.get(rule_id, 0), result.found_by_rule.get(rule_id, 0)
        click.echo(f"  {rule_title(rule_id)}：符合条件 {found} 条，其中新增 {new} 条")
    titles = {rule.name: rule.title for rule in RULES} | {"cases": "启动处置案件"}
    for name, message in result.errors.items():
        click.echo(f"  未完成：{titles.get(name, name)}——{message}")
    click.echo(json.dumps(result.as_json(), ensure_ascii=False))
    if result.errors:
        raise click.exceptions.Exit(1)


@import_group.command("warnings")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_app
def import_warnings(app: AppContext, file: Path) -> None:
    """Import warnings fed back by the provincial or city system from FILE (.csv or .json, LP12)."""
    try:
        with unit_of_work(app.sessions) as session:
            result = import_feedback(session, app.profile, file, now_utc())
    except ImportRowError as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        click.echo(f"共{len(exc.rows)}处错误，未导入任何预警。", err=True)
        raise click.exceptions.Exit(1) from exc
    click.echo(
        f"导入完成：文件中预警 {result.rows} 条，新增 {result.created} 条"
        f"（此前已导入 {result.existing} 条），启动处置案件 {result.cases_started} 件。"
    )
