"""``keyproj colours``: the HD3 four-colour evaluation of every project for a period."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cli.context import pass_runtime
from keyproj.clock import beijing_date, now_utc
from keyproj.codes import Role
from keyproj.db.session import unit_of_work
from keyproj.runtime import Runtime
from keyproj.services.access import Viewer
from keyproj.services.documents.layout import to_docx
from keyproj.services.evaluation.colours import colour_board
from keyproj.services.evaluation.special_report import special_report, summary

# The command speaks for the key office: every project of the county.
COUNTY_VIEWER = Viewer(user_id=0, unit_id=0, roles=frozenset({Role.ADMIN}))


@click.command("colours")
@click.option("--period", required=True, help="评价期次，如 2026-09（按配置的进度比对周期）。")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="同时把月度专报写入该 Word 文件（.docx）。",
)
@pass_runtime
def colours(rt: Runtime, period: str, out: Path | None) -> None:
    """Evaluate every project against its plan to date and print the counts by unit (HD3)."""
    with unit_of_work(rt.sessions) as session:
        board = colour_board(session, COUNTY_VIEWER, rt.profile, period)
        click.echo(summary(board))
        for row in board.units:
            counts = "，".join(f"{board.label(o)}{n}" for o, n in row.counts.items())
            click.echo(f"  {row.unit_name}：{counts}")
        if out is not None:
            doc = special_report(session, rt.profile, board, beijing_date(now_utc()))
            out.write_bytes(to_docx(doc))
            click.echo(f"专报已写入 {out}")
    click.echo(
        json.dumps(
            {
                "period": board.period.key,
                "counts": board.counts,
                "units": {r.unit_name: r.counts for r in board.units},
            },
            ensure_ascii=False,
        )
    )
