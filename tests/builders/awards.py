"""Year-end evaluation fixtures (GS8, AL13, DC6) with hand-computed figures.

Guangshan's 2026: seven towns and five departments, every plan and report written so that the
year's completion rates are round numbers; three service units with pledges and scores.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import AwardKind
from keyproj.db.models import AwardRecord, Unit, YearEndEvaluation
from keyproj.services.awards.pledges import save_pledge, score
from tests.builders import factories
from tests.builders.county import County
from tests.builders.scoring import scored_departments

NOW = datetime(2027, 1, 8, 2, tzinfo=UTC)  # 8 January 2027, 10:00 in Beijing
TODAY = date(2027, 1, 8)
# unit code: (planned in 2026, completed by the week 52 report), 万元; None: no key project.
GS_UNITS = {
    "T01": ("400", "480"),  # 城关镇 120.00%, first (tied)
    "T02": ("300", "360"),  # 石桥镇 120.00%, first (tied)
    "T03": ("500", "450"),  # 十里镇 90.00%, third: outside the first two places
    "T04": ("200", "120"),  # 马畈镇 60.00%, fourth
    "T05": ("1000", "500"),  # 泼陂河镇 50.00%, second-last
    "T06": ("100", "30"),  # 仙居乡 30.00%, last
    "T07": None,  # 晏河乡 without a key project
    "D01": ("1000", "1000"),  # 县交通运输局 100.00%: the year's task completed
    "D02": ("500", "400"),  # 县水利局 80.00%: not completed
}
GS_NEW_UNITS = (
    ("T03", "十里镇", "town"),
    ("T04", "马畈镇", "town"),
    ("T05", "泼陂河镇", "town"),
    ("T06", "仙居乡", "town"),
    ("T07", "晏河乡", "town"),
    ("D02", "县水利局", "county_department"),
    ("D03", "县教育局", "county_department"),
    ("D04", "县卫健委", "county_department"),
    ("D05", "县自然资源局", "county_department"),
)
# service unit: its pledge outcome and the scores given by 城关镇, 石桥镇 and 县交通运输局.
SERVICE = {
    "D03": ("met", ("90", "80", None)),  # mean 85.00, first
    "D04": ("pending", ("95", "70", "88")),  # mean 84.33, second
    "D05": ("not_met", ("60", "75", None)),  # mean 67.50, last and the pledge not kept
}


def guangshan_year(county: County) -> County:
    """Guangshan's towns and departments with their 2026 plans and week-52 reports."""
    s = county.session
    for code, name, kind in GS_NEW_UNITS:
        factories.unit(s, code, name, kind)
    for code, figures in GS_UNITS.items():
        if figures is None:
            continue
        planned, done = figures
        p = factories.project(s, code, name=f"{code}年度重点项目")
        half = str(int(planned) // 2)
        county.plan(p, 2026, [("2026-06", half, "50"), ("2026-12", half, "100")])
        county.report(p, "weekly", "2026-W52", annual=done)
    s.flush()
    return county


def service_units(county: County) -> County:
    """Pledges of 县教育局, 县卫健委 and 县自然资源局 and the scores the towns and 县交通运输局 gave."""
    s = county.session
    county.with_people(*(u for u in ("zdb", "town", "other", "dept") if u not in county.people))
    scorers = [county.people[u] for u in ("town", "other", "dept")]
    for code, (outcome, given) in SERVICE.items():
        unit_id = s.scalar(select(Unit.id).where(Unit.code == code))
        assert unit_id is not None
        pledge = save_pledge(
            s, county.people["zdb"], unit_id, 2026, "手续即来即办\n要素保障到位", outcome, NOW
        )
        for scorer, value in zip(scorers, given, strict=True):
            if value is not None:
                score(s, scorer, pledge.id, value, "按承诺兑现情况打分", NOW)
    s.flush()
    return county


def alxa_departments(county: County) -> County:
    """Alxa's departments scored over 2026's third quarter (the scoring fixture)."""
    return scored_departments(county, "semimonthly")


def dancheng_projects(county: County) -> County:
    """Dancheng's projects at December 2026: one on schedule, one lagging (red), one slow (yellow).

    城关镇: 甲 planned 100 to December, done 100 (green); 乙 planned 400, done 200 (50%: red).
    县交通运输局: 丙 planned 300, done 240 (80%: yellow). 石桥镇: 丁 planned 100, done 120 (green).
    """
    s = county.session
    for code, name, planned, done in (
        ("T01", "甲园区道路", "100", "100"),
        ("T01", "乙污水管网", "400", "200"),
        ("D01", "丙物流中心", "300", "240"),
        ("T02", "丁农贸市场", "100", "120"),
    ):
        p = factories.project(s, code, name=name)
        county.plan(p, 2026, [("2026-12", planned, "100")])
        county.report(p, "monthly", "2026-12", annual=done, pct="100")
    county.with_people(*(u for u in ("zdb",) if u not in county.people))
    s.flush()
    return county


def stored_evaluation(session: Session, unit_code: str, now: datetime) -> int:
    """A confirmed evaluation of 2026 with one prize for ``unit_code`` and its record, written
    directly (a profile without year-end rules proposes none), for the pages that take its id."""
    unit = session.scalar(select(Unit).where(Unit.code == unit_code))
    assert unit is not None
    item = {
        "n": 1,
        "unit_id": unit.id,
        "unit": unit.name,
        "kind": "prize",
        "rule": "年度投资完成率120.00%，乡镇第1名；年度综合考评前2名分别奖励",
        "clause": "本地规定",
        "amount": "100",
        "project_id": None,
        "project": None,
    }
    row = YearEndEvaluation(
        profile="lianping",
        year=2026,
        basis="ranking",
        proposed_at=now,
        figures={"year": 2026, "basis": "ranking", "items": [item]},
        confirmed_at=now,
        struck={},
    )
    session.add(row)
    session.flush()
    session.add(
        AwardRecord(
            year=2026,
            unit_id=unit.id,
            kind=AwardKind.PRIZE,
            amount=Decimal(100),
            reason=item["rule"],
            clause="本地规定",
            evaluation_id=row.id,
            item=1,
            recorded_at=now,
        )
    )
    session.flush()
    return row.id
