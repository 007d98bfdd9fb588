"""Departments to score (AL11, AL12): projects with reports, approvals, issues and a bonus."""

from __future__ import annotations

from datetime import UTC, date, datetime

from keyproj.services.scoring.bonus import record_bonus
from tests.builders import factories
from tests.builders.clock import beijing
from tests.builders.county import County

NOW = datetime(2026, 10, 9, 2, tzinfo=UTC)
KEYS = {
    "semimonthly": ["2026-07-1", "2026-07-2", "2026-08-1", "2026-08-2", "2026-09-1", "2026-09-2"],
    "monthly": ["2026-07", "2026-08", "2026-09"],
}
A_PROCEDURES = {  # 规划, 建议书, 可研 approved; 初步设计 in progress: 3 of 4 stages
    "site_selection": {"status": "approved"},
    "project_approval": {"status": "approved"},
    "feasibility": {"status": "approved"},
    "design": {"status": "in_progress"},
}
B_PROCEDURES = {  # 协议 (in the ledger), 申请报告, 申报手续 passed; 批复 (可研 in progress) not
    "project_approval": {"status": "approved"},
    "site_selection": {"status": "approved"},
    "land": {"status": "approved"},
    "environment": {"status": "not_needed"},
    "energy": {"status": "not_needed"},
    "water_conservation": {"status": "approved"},
    "feasibility": {"status": "in_progress"},
}


def scored_departments(county: County, cycle: str) -> County:
    """县交通运输局 (D01) with projects A and B, 县水利局 (D02) with C, 县教育局 (D03) with none."""
    s = county.session
    factories.unit(s, "D02", "县水利局", "county_department")
    factories.unit(s, "D03", "县教育局", "county_department")
    keys = KEYS[cycle]
    a = factories.project(s, "D01", name="甲公路", planned_start=date(2026, 5, 1))
    county.plan(
        a,
        2026,
        [
            ("2026-07", "100", "0"),
            ("2026-08", "100", "0"),
            ("2026-09", "200", "0"),
            ("2026-10", "400", "0"),
        ],
    )
    for key in keys:
        county.report(a, cycle, key, annual="300", procedures=A_PROCEDURES)
    factories.issue(
        s, a, "征地", opened_on=date(2026, 7, 10), status="resolved", resolved_on=date(2026, 8, 20)
    )
    factories.issue(s, a, "迁改", opened_on=date(2026, 9, 1))
    factories.issue(
        s,
        a,
        "上季度已解决",
        opened_on=date(2026, 3, 1),
        status="resolved",
        resolved_on=date(2026, 6, 1),
    )
    b = factories.project(
        s, "D01", name="乙物流园", planned_start=date(2026, 8, 1), government_invested=False
    )
    county.plan(b, 2026, [("2026-09", "200", "0")])
    for key in keys[:-1]:  # the quarter's last report is missing
        county.report(
            b,
            cycle,
            key,
            annual="250",
            procedures=B_PROCEDURES,
            start_status="not_started",
            started_on=None,
        )
    c = factories.project(s, "D02", name="丙水库", planned_start=date(2026, 12, 1))
    county.plan(c, 2026, [("2026-11", "500", "0")])
    for i, key in enumerate(keys):
        late = beijing(date(2026, 8, 10)) if i == 0 else None  # the first one after its due day
        county.report(c, cycle, key, submitted=late)
    county.with_people(*(u for u in ("zdb", "dept") if u not in county.people))
    record_bonus(
        s, county.people["zdb"], a.lead_unit_id, "2026-Q3", "2.5", "牵头完成跨部门协调", NOW
    )
    s.flush()
    return county
