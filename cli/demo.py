"""``keyproj demo``: create the database if needed and load the demo county on the active profile."""

from __future__ import annotations

from datetime import date

import click

from cli.context import pass_runtime
from cli.options import date_option
from keyproj.clock import today_beijing
from keyproj.codes import ROLES
from keyproj.demo.loader import DemoAlreadyLoaded, DemoSummary, load_and_scan
from keyproj.runtime import Runtime
from keyproj.services.reference.setup import init_database


@click.command("demo")
@date_option("演示数据的“今天”（YYYY-MM-DD），默认为北京时间今天。")
@pass_runtime
def demo(rt: Runtime, on: date | None) -> None:
    """Load the demo county (示范县): 52 projects with plans, reports, issues and accounts,
    then run the first scan, so its warnings and cases are there when the pages open."""
    today = on or today_beijing()
    init_database(rt.engine)
    try:
        summary = load_and_scan(rt.sessions, rt.profile, today)
    except DemoAlreadyLoaded as exc:
        # Not a failure: the database already holds what was asked for.
        click.echo(f"{exc}，未重复载入（如需重新载入，请换用新的数据库）。")
        return
    _echo_summary(summary)


def _echo_summary(s: DemoSummary) -> None:
    """The counts, then every demo account with the shared password."""
    click.echo(
        f"已载入演示数据：示范县，政策配置 {s.profile_id}（{s.profile_name}），数据日期 {s.today}"
    )
    click.echo(
        f"  单位 {s.units} 个，县领导 {s.leaders} 名，用户 {s.users} 个，联络员 {s.liaisons} 名"
    )
    click.echo(
        f"  重点项目 {s.projects} 个，年度计划 {s.plans} 份，进度报表 {s.reports} 份"
        f"（另有草稿 {s.report_drafts} 份），问题台账 {s.issues_open + s.issues_resolved} 条"
        f"（未解决 {s.issues_open} 条）"
    )
    click.echo(
        f"  首次预警扫描：新增预警 {s.warnings} 条，启动督办案件 {s.cases} 件，"
        f"待重点办研判 {s.queued} 条"
    )
    for name, reason in s.scan_errors.items():
        click.echo(f"  扫描未完成（{name}）：{reason}")
    click.echo(f"演示账号（密码均为 {s.password}）：")
    for account in s.accounts:
        roles = "、".join(ROLES[r] for r in account.roles)
        click.echo(
            f"  {account.username:<12} {account.display_name:<4}\t{account.unit_name}\t{roles}"
        )
