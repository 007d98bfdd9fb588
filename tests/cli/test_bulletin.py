"""``keyproj bulletin``: LP19's bulletin from the command line, archived once and written as DOCX."""

from __future__ import annotations

import json

import docx
from sqlalchemy.orm import Session

from keyproj.db.session import make_engine
from tests.builders.bulletins import september
from tests.builders.cli import Run
from tests.builders.county import County


def test_LP19_bulletin_issues_the_period_and_writes_the_docx(run: Run, tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with Session(engine) as session:
        september(County(session)).committed()
    engine.dispose()
    out = tmp_path / "通报.docx"

    result = run("bulletin", "--period", "2026-09", "--out", str(out))

    assert result.exit_code == 0, result.output
    last = json.loads(result.output.strip().splitlines()[-1])
    assert last["number"] == "连重点办通报〔2026〕1号"
    # 9690 ÷ 12000 completed against the plan to date.
    assert last["figures"]["investment"]["rate"] == "0.8075"
    texts = [p.text for p in docx.Document(str(out)).paragraphs if p.text]
    assert texts[1] == "连重点办通报〔2026〕1号"
    assert texts[2] == "连平县重点项目建设情况通报（2026年9月）"

    again = run("bulletin", "--period", "2026-09")  # the archive, not a second number
    assert again.exit_code == 0, again.output
    assert json.loads(again.output.strip().splitlines()[-1])["number"] == "连重点办通报〔2026〕1号"
    assert "此前印发" in again.output
