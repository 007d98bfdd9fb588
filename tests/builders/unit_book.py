"""A county for the reporting ledger per unit (台账), as of September 2026 under Lianping's profile,
every figure of it worked out by hand in ``unit_book_county``'s docstring."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from keyproj.services.projects.plans import PlanData, PlanPeriodData, file_approved
from tests.builders.county import County

# (period, 万元 in the period, cumulative %, milestone): 3000 万元 a year from July.
PLAN = (
    ("2026-07", "1000", "10", "完成征地拆迁"),
    ("2026-08", "1000", "20", "路基施工"),
    ("2026-09", "1000", "30", "路面铺设"),
)


def unit_book_county(county: County) -> County:
    """Figures on the county's road, school and bridge (created unless there) as of September:
    城关镇: the road (total 12000, plan 3000, to date 3000, done 2400 this year = 80% yellow,
    5400 in all; an open issue and a resolved one; team chief 李明, responsible 张三) and the
    school (plan 3000, to date 3000, no September report: 未报送). 城关镇's 小计: 24000, 6000,
    6000, 2400, 40%, 5400. 石桥镇: the bridge (12000, 3000, 3000, 3000 = 100% green, 3000).
    合计: 3 projects, 36000, 9000, 9000, 5400, 60%, 8400. 县交通运输局 leads nothing."""
    county.with_projects(*(k for k in ("road", "school", "bridge") if k not in county.projects))
    county.with_leader()
    road = county.road
    road.description = "新建城市主干道2.4公里"
    road.planned_start = date(2026, 3, 1)
    road.planned_completion = date(2027, 12, 31)
    county.team(road, "张三")
    for project in (road, county.school, county.bridge):
        parts = [PlanPeriodData(k, Decimal(i), Decimal(p), m) for k, i, p, m in PLAN]
        file_approved(
            county.session, project, 2026, PlanData(Decimal(3000), parts, "年度目标"), "monthly"
        )
    county.report(
        road, "monthly", "2026-09", "2400", "24", cumulative_completed=Decimal(5400),
        progress_text="路基完成",
    )  # fmt: skip
    county.report(county.school, "monthly", "2026-08", "900", "9")  # August's: not September's
    county.report(county.bridge, "monthly", "2026-09", "3000", "30")
    county.issue(road, "征地补偿未到位", date(2026, 8, 3))
    county.issue(road, "管线迁改", date(2026, 7, 1), status="resolved")
    return county.committed()
