"""``keyproj colours``: the HD3 evaluation from the command line, and its 专报 as a Word file."""

from __future__ import annotations

import json

import docx

from tests.builders.cli import Run


def test_HD3_colours_prints_the_counts_and_writes_the_special_report(run: Run, tmp_path):
    out = tmp_path / "专报.docx"
    result = run("colours", "--period", "2026-09", "--out", str(out))

    assert result.exit_code == 0, result.output
    last = json.loads(result.output.strip().splitlines()[-1])
    assert last["period"] == "2026-09"
    assert last["counts"] == {  # a county without projects: every count zero, none missing
        "green": 0,
        "blue": 0,
        "yellow": 0,
        "red": 0,
        "no_plan": 0,
        "no_report": 0,
        "zero_plan": 0,
    }
    texts = [p.text for p in docx.Document(str(out)).paragraphs if p.text]
    assert "重点项目四色评价专报（2026年9月）" in texts[1]
    assert "二、红色项目（0个）" in texts
    assert "无。" in texts


def test_HD3_colours_refuses_a_malformed_period(run: Run):
    result = run("colours", "--period", "2026-9")

    assert result.exit_code == 1
    assert "月报期次应如 2026-03" in result.output
