"""``keyproj rank --period …``: the table, then one JSON line with towns and departments (GS2, HD5)."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from keyproj.db.session import make_engine
from tests.builders.cli import Run
from tests.builders.county import County


def test_rank_prints_the_table_and_ends_with_one_json_line(run: Run, tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with Session(engine) as session:
        county = County(session).with_projects("plant", "bridge")
        plant, bridge = county.projects["plant"], county.bridge
        county.plan(plant, 2026, [("2026-02", "100", "0"), ("2026-03", "300", "0")])
        county.plan(bridge, 2026, [("2026-03", "200", "0")])
        county.report(plant, "monthly", "2026-03", annual="100")  # 100 ÷ 400 = 25.00%
        county.report(bridge, "monthly", "2026-03", annual="150")  # 150 ÷ 200 = 75.00%
        session.commit()
    engine.dispose()
    result = run("rank", "--period", "2026-03")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert "第1名  石桥镇  计划200万元  完成150万元  75.00%" in result.output
    data = json.loads(lines[-1])
    assert [(u["unit"], u["rank"], u["rate"]) for u in data["towns"]] == [
        ("石桥镇", 1, "0.7500"),
        ("城关镇", 2, "0.2500"),
    ]
    assert [(u["unit"], u["reason"]) for u in data["departments"]] == [
        ("县交通运输局", "无重点项目，不参与排名")
    ]
    assert data["period"] == "2026-03"
    assert data["letters"] == []  # Lianping sends no HD5 letters


def test_rank_refuses_a_period_of_the_wrong_cadence(run: Run):
    result = run("rank", "--period", "2026-Q1")  # Lianping ranks monthly
    assert result.exit_code != 0
    assert "月报期次应如 2026-03" in result.output
