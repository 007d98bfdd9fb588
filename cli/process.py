"""``keyproj process validate``: the checks a diagram passes before it is deployed (X3)."""

from __future__ import annotations

from pathlib import Path

import click

from keyproj.services.diagrams.validation import MAX_DIAGRAM_BYTES, validate_diagram


@click.group("process")
def process_group() -> None:
    """流程图（BPMN）：校验。"""


@process_group.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", help="流程编号（默认为文件名，如 warning_case）")
def validate(file: Path, key: str | None) -> None:
    """Check FILE as the diagram of process KEY: print every problem, naming its element."""
    key = key or file.stem
    with file.open("rb") as stream:
        data = stream.read(MAX_DIAGRAM_BYTES + 1)  # one byte more tells a too-large file apart
    problems = validate_diagram(data, key)
    if not problems:
        click.echo(f"{file.name}：校验通过，可作为流程“{key}”部署")
        return
    click.echo(f"{file.name}：发现 {len(problems)} 个问题，不能作为流程“{key}”部署", err=True)
    for problem in problems:
        click.echo(f"  {problem.message}  [{problem.rule}]", err=True)
    raise click.exceptions.Exit(1)
