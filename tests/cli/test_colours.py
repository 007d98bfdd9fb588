"""``keyproj colours``: the HD3 evaluation from the command line, and its 专报 as a Word file."""

from __future__ import annotations

import json

import docx
from sqlalchemy.orm import Session

from keyproj.db.session import make_engine
from tests.builders.cli import Run
from tests.builders.county import County

PLAN = [("2026-07", "1000", "10"), ("2026-08", "1000", "20"), ("2026-09", "1000", "30")]


def test_HD3_colours_counts_each_unit_by_hand(run: Run, tmp_path):
    """Plan to date 3000 万元, 30%: 城关镇's road 2700/3000 = 90% (blue) and its school without a
    report; 石桥镇's bridge 2000/3000 = 66.7% (red)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with Session(engine) as session:
        county = County(session).with_projects("road", "school", "bridge")
        for project in (county.road, county.school, county.bridge):
            county.plan(project, 2026, PLAN)
        county.report(county.road, "monthly", "2026-09", "2700", "30")
        county.report(county.bridge, "monthly", "2026-09", "2000", "30")
        county.committed()
    engine.dispose()

    result = run("colours", "--period", "2026-09")

    assert result.exit_code == 0, result.output
    last = json.loads(result.output.strip().splitlines()[-1])
    assert (last["counts"]["blue"], last["counts"]["red"], last["counts"]["no_report"]) == (1, 1, 1)
    assert last["units"]["城关镇"]["blue"] == 1
    assert last["units"]["城关镇"]["no_report"] == 1
    assert last["units"]["石桥镇"]["red"] == 1
    assert (
        "  石桥镇：绿色0，蓝色0，黄色0，红色1，无年度计划0，未报送0，序时计划为零0" in result.output
    )


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
