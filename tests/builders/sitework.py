"""Site work on the pages' county: a spot-check plan and a check with a finding (LP10), a visit
and a week flagged short of visits (GS3), and an industry chain (DC5)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.policy import load_profile
from keyproj.services.chains.editing import ChainData, save_chain
from keyproj.services.spot_checks.checks import CheckData, Escalation, record_check
from keyproj.services.spot_checks.plans import draw_plan
from keyproj.services.visits.records import VisitData, record_visit
from keyproj.services.visits.weeks import flag_week
from tests.builders.clock import bj
from tests.builders.county import County


def stored_sitework(
    session: Session, county: County, project_id: int, leader: str
) -> dict[str, Any]:
    """The records, committed; the page arguments they give (``chain_id``, ``week``,
    ``check_id``)."""
    office, now = county.people["zdb"], bj(2026, 3, 18, 10)
    lianping = load_profile("lianping")
    draw_plan(session, lianping, office, date(2026, 3, 18), now, seed=20260318)
    finding = CheckData(
        project_id,
        date(2026, 3, 17),
        "张三、李四",
        "现场施工人员不足，进度滞后",
        Escalation(category="coordination", owner_unit_code="T01"),
    )
    check = record_check(session, lianping, office, finding, now)
    visit = VisitData(project_id, "chief", date(2026, 3, 10), "onsite_office", leader, "协调征地")
    record_visit(session, office, lianping, visit, now)
    week = periods.parse("weekly", "2026-W11")
    flag_week(session, load_profile("guangshan"), week, now)
    project = session.get_one(county.projects["road"].__class__, project_id)
    chain = save_chain(
        session,
        office,
        None,
        ChainData(
            "城乡基础设施产业链",
            leader,
            "完善城乡基础设施",
            matters=[{"text": "完成征地", "owner_unit_code": "T01", "due_on": "2026-06-30"}],
            parks=["城关镇产业园"],
            companies=["城关建设公司"],
            projects=[project.code],
        ),
        now,
    )
    session.commit()
    return {"chain_id": chain.id, "week": week.key, "check_id": check.id}
