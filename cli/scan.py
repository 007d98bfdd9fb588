"""``keyproj scan``: raise warnings and start their cases; ``keyproj import warnings`` (LP12)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from cli.context import pass_runtime
from cli.ledger import import_group
from cli.options import date_option, import_errors
from keyproj.clock import beijing_date, now_utc
from keyproj.db.session import unit_of_work
from keyproj.rules import RULES, rule_title
from keyproj.runtime import Runtime
from keyproj.services.scan.jobs import scan_and_start
from keyproj.services.scan.run import import_feedback


@click.command("scan")
@date_option("按哪一天的数据扫描（YYYY-MM-DD），默认为北京时间今天；案件期限仍从现在起算。")
@pass_runtime
def scan(rt: Runtime, on: date | None) -> None:
    """Run every warning rule, raise new warnings once, start a case for each (LP11, X1)."""
    today = on or beijing_date(now_utc())
    result = scan_and_start(rt.sessions, rt.profile, today, now_utc)
    profile = rt.profile.profile
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
@pass_runtime
def import_warnings(rt: Runtime, file: Path) -> None:
    """Import warnings fed back by the provincial or city system from FILE (.csv or .json, LP12)."""
    with import_errors("未导入任何预警。"), unit_of_work(rt.sessions) as session:
        result = import_feedback(session, rt.profile, file, now_utc())
    click.echo(
        f"导入完成：文件中预警 {result.rows} 条，新增 {result.created} 条"
        f"（此前已导入 {result.existing} 条），自动发出通知启动处置案件 {result.cases_started} 件，"
        "其余进入待研判清单，由重点办研判处置。"
    )
