"""``keyproj score --period 2026-Q3``: the quarter's department scores, then one JSON line (AL11, AL12).

A bare year (``--period 2026``) prints the year-end scores, the quarters weighted (AL11).
"""

from __future__ import annotations

import json
import re

import click

from cli.context import pass_runtime
from keyproj.db.session import unit_of_work
from keyproj.runtime import Runtime


@click.command("score")
@click.option(
    "--period", "key", required=True, help="季度，如 2026-Q3；或年度，如 2026（年终得分）"
)
@pass_runtime
def score_command(rt: Runtime, key: str) -> None:
    """Score county departments for a quarter with the profile's weights (AL11, AL12)."""
    from keyproj.services.scoring.compute import as_json, score_quarter, year_end

    name = rt.profile.profile.name
    with unit_of_work(rt.sessions) as session:
        if re.fullmatch(r"[0-9]{4}", key):
            rows = year_end(session, rt.profile, int(key))
            click.echo(f"{key}年部门年终得分（{name}，各季度加权平均）")
            for row in rows:
                click.echo(
                    f"  {row['unit']}  {row['score'] or '不计分'}  各季度：{row['quarters']}"
                )
            click.echo(json.dumps({"year": int(key), "departments": rows}, ensure_ascii=False))
            return
        scores = score_quarter(session, rt.profile, key)
        data = as_json(scores)
    click.echo(f"{scores.period.label}部门考评得分（{name}）")
    for d in data["departments"]:
        shown = d["score"] if d["score"] is not None else f"不计分（{d['reason']}）"
        click.echo(f"  {d['unit']}  {shown}  加分{d['bonus']}")
    click.echo(scores.rule)
    click.echo(json.dumps(data, ensure_ascii=False))
