"""``keyproj cases``: fire due timers now, verify a case's history, replay it step by step."""

from __future__ import annotations

import click

from cli.context import pass_runtime
from cli.options import RECORD_ID
from keyproj.clock import BEIJING, now_utc
from keyproj.runtime import Runtime
from keyproj.services.cases import audit as case_audit
from keyproj.services.cases.timers import sweep


@click.group("cases")
def cases_group() -> None:
    """预警案件（X1、X4）。"""


@cases_group.command("sweep")
@pass_runtime
def sweep_now(rt: Runtime) -> None:
    """Fire every timer that is due now (the workers do this every minute)."""
    result = sweep(rt.sessions, now_utc())
    click.echo(
        f"检查案件 {result.cases} 件，触发计时器 {result.timers} 个，跳过 {result.skipped} 件"
    )


@cases_group.command("verify")
@click.argument("case_id", type=RECORD_ID)
@pass_runtime
def verify(rt: Runtime, case_id: int) -> None:
    """Check a case's hash chain; exits 1 at the first edited, deleted or reordered event."""
    with rt.sessions() as session:
        problem = case_audit.verify_case(session, case_id)
    if problem is not None:
        raise click.ClickException(f"案件 {case_id} 的记录链不完整：{problem.message}")
    click.echo(f"案件 {case_id} 的记录链完整")


@cases_group.command("replay")
@click.argument("case_id", type=RECORD_ID)
@pass_runtime
def replay(rt: Runtime, case_id: int) -> None:
    """Rebuild a case from its log and compare every step's state with the recorded hash."""
    with rt.sessions() as session:
        report = case_audit.replay_case(session, case_id)
    for step in report.steps:
        mark = "一致" if step.matches else "不一致"
        when = step.occurred_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")
        click.echo(f"{step.seq:>4}  {when}  {step.kind:<20} {step.task_name or '':<20} {mark}")
    if report.chain_problem is not None:
        raise click.ClickException(report.chain_problem.message)
    if report.first_mismatch is not None or not report.final_matches_stored:
        raise click.ClickException("重放结果与记录不一致")
    click.echo(f"重放 {len(report.steps)} 步，每一步均与记录一致，最终状态与存储一致")
