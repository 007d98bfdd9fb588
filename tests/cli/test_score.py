"""``keyproj score --period …``: the department scores, then one JSON line (AL11, AL12)."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from keyproj.db.session import make_engine
from tests.builders import factories
from tests.builders.cli import Run
from tests.builders.county import County


def _county(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with Session(engine) as session:
        county = County(session)
        p = factories.project(session, "D01", name="环城路")
        county.plan(p, 2026, [("2026-09", "200", "0")])
        county.report(p, "monthly", "2026-07", annual="100")
        county.report(p, "monthly", "2026-08", annual="100")
        session.commit()
    engine.dispose()


def test_score_prints_the_departments_and_ends_with_one_json_line(run: Run, tmp_path):
    _county(tmp_path)
    result = run("score", "--period", "2026-Q3")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output.strip().splitlines()[-1])
    # Lianping 20/20/30/15/15: no approvals reported 0; started 20; 100 ÷ 200 = 50 → 15;
    # 2 of 3 monthly reports (09 missing) = 66.67 → 10.00; no issues 15: 60.00
    (dept,) = data["departments"]
    assert (dept["unit"], dept["score"], dept["bonus"]) == ("县交通运输局", "60.00", "0.00")
    assert dept["projects"][0]["components"] == {
        "procedures": "0.00",
        "start_rate": "100.00",
        "milestones": "50.00",
        "reporting": "66.67",
        "issue_handling": "100.00",
    }
    assert "县交通运输局  60.00" in result.output


def test_score_of_a_year_weights_the_quarters(run: Run, tmp_path):
    _county(tmp_path)
    result = run("score", "--period", "2026")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output.strip().splitlines()[-1])
    (dept,) = data["departments"]
    # Q1, Q2: no report, nothing planned: 0 + 0 + 30 + 0 + 15 = 45 each. Q3: 60.00.
    # Q4: newest report (08) 100 ÷ 200 = 50 → 15; started 20; no Q4 reports 0; 15: 50.00.
    # Equal weights: (45 + 45 + 60 + 50) ÷ 4 = 50.00
    assert dept["quarters"] == ["45.00", "45.00", "60.00", "50.00"]
    assert dept["score"] == "50.00"


def test_score_refuses_a_period_that_is_not_a_quarter(run: Run):
    result = run("score", "--period", "2026-09")
    assert result.exit_code != 0
    assert "2026-Q1" in result.output
