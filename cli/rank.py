"""``keyproj rank --period …``: the period's ranking table, then one JSON line (HD5, GS2)."""

from __future__ import annotations

import json

import click

from cli.context import pass_runtime
from keyproj.clock import now_utc
from keyproj.db.session import unit_of_work
from keyproj.runtime import Runtime


@click.command("rank")
@click.option("--period", "key", required=True, help="期次，如 2026-Q1（按季）或 2026-03（按月）")
@click.option("--save", is_flag=True, help="保存本次排名；有提醒函制度（HD5）的同时向后几名发函")
@pass_runtime
def rank_command(rt: Runtime, key: str, save: bool) -> None:
    """Rank towns and county departments by investment completion rate against plan."""
    from keyproj.rules.base import amount
    from keyproj.services.rankings.compute import rank
    from keyproj.services.rankings.runs import issue_letters, save_run

    with unit_of_work(rt.sessions) as session:
        if save:
            run, ranking = save_run(session, rt.profile, key, None, now_utc())
            letters = (
                issue_letters(session, rt.profile, run, None, now_utc())
                if rt.profile.measures
                else []
            )
            numbers = [letter.number for letter in letters]
        else:
            ranking, numbers = rank(session, rt.profile, key), []
    click.echo(f"{ranking.period.label}投资完成率排名（{rt.profile.profile.name}）")
    for group in ranking.groups:
        click.echo(f"【{group.label}】")
        for row in group.rows:
            place = "".join({"top": "（前列）", "bottom": "（后列）"}[p] for p in row.places)
            rank_text = f"第{row.rank}名" if row.rank else "不排名"
            click.echo(
                f"  {rank_text}  {row.unit}  计划{amount(row.planned)}万元  完成{amount(row.completed)}万元  "
                f"{row.rate_text}{place}{'  ' + row.reason if row.reason else ''}"
            )
    click.echo(ranking.rule)
    for number in numbers:
        click.echo(f"已发提醒函：{number}")
    out = ranking.as_json()
    out["letters"] = numbers
    click.echo(json.dumps(out, ensure_ascii=False))
