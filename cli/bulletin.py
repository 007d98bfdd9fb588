"""``keyproj bulletin --period …``: issue the period's bulletin, archive it, and write the DOCX."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cli.context import pass_runtime
from keyproj.clock import now_utc
from keyproj.db.session import unit_of_work
from keyproj.runtime import Runtime


@click.command("bulletin")
@click.option(
    "--period", "key", required=True, help="通报期次，如 2026-09（按月）或 2026-W12（按周）"
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="把通报写入该 Word 文件（.docx）；本期已印发的，导出存档的那一份。",
)
@pass_runtime
def bulletin_command(rt: Runtime, key: str, out: Path | None) -> None:
    """Issue the period's bulletin (LP19, DC7, GS1), numbered and archived; once a period."""
    from keyproj.services.bulletins.figures import bulletin_period
    from keyproj.services.bulletins.issue import archived, docx, issue
    from keyproj.services.bulletins.text import sections

    with unit_of_work(rt.sessions) as session:
        period = bulletin_period(rt.profile, key)
        found = archived(session, rt.profile, period.key)
        if found is None:
            found = issue(session, rt.profile, period.key, None, now_utc())
        else:
            click.echo(f"{period.label}通报已于此前印发，输出存档。")
        click.echo(f"{found.number}  {found.title}")
        for heading, lines in sections(found.figures):
            click.echo(heading)
            for line in lines:
                click.echo(f"  {line}")
        if out is not None:
            out.write_bytes(docx(found))
            click.echo(f"通报已写入 {out}")
        summary = {"number": found.number, "period": found.period, "figures": found.figures}
    click.echo(json.dumps(summary, ensure_ascii=False))
