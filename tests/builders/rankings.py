"""Ranking fixtures (HD5): Handan's departments with hand-computed rates, a stored letter."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.db.models import RankingRun, ReminderLetter, Unit
from keyproj.policy import load_profile
from keyproj.services.rankings.compute import rank
from tests.builders import factories
from tests.builders.county import County


def handan_departments(county: County) -> County:
    """Five departments' plans and monthly reports for the first quarter of 2026."""
    s = county.session
    for code, name in (
        ("D02", "市水利局"),
        ("D03", "市教育局"),
        ("D04", "市卫健委"),
        ("D05", "市城管局"),
    ):
        factories.unit(s, code, name, "county_department")
    months = ("2026-01", "2026-02", "2026-03", "2026-04")

    def project(unit: str, plan: tuple[str, str, str, str], month: str, annual: str) -> None:
        p = factories.project(s, unit, name=f"{unit}政府投资项目{month}")
        county.plan(p, 2026, [(m, inv, "0") for m, inv in zip(months, plan, strict=True)])
        county.report(p, "monthly", month, annual=annual)

    project("D01", ("100", "100", "100", "100"), "2026-03", "240")  # 240 ÷ 300 = 80.00%
    project("D02", ("100", "100", "200", "0"), "2026-03", "100")  # D02: (100 + 140) ÷ 600
    project("D02", ("0", "200", "0", "0"), "2026-02", "140")  # March missing; = 40.00%
    project("D03", ("0", "0", "500", "0"), "2026-03", "250")  # 250 ÷ 500 = 50.00%
    project("D04", ("100", "100", "0", "0"), "2026-03", "100")  # 100 ÷ 200 = 50.00%
    project("D05", ("100", "100", "100", "0"), "2026-03", "330")  # 330 ÷ 300 = 110.00%
    s.flush()
    return county


def stored_letter(
    session: Session, profile_id: str, unit_code: str, now: datetime
) -> tuple[int, int]:
    """(run id, letter id): a stored run of 2026-03 and a 提醒函 to ``unit_code`` pointing at it,
    written directly (a profile without HD5 issues none), for the pages that take their ids."""
    ranking = rank(session, load_profile(profile_id), "2026-03")
    run = RankingRun(
        profile=profile_id,
        period="2026-03",
        cadence="monthly",
        run_at=now,
        figures=ranking.as_json(),
    )
    session.add(run)
    session.flush()
    unit_id = session.scalar(select(Unit.id).where(Unit.code == unit_code))
    assert unit_id is not None
    letter = ReminderLetter(
        run_id=run.id, unit_id=unit_id, number=f"测提醒〔2026〕{run.id}号", year=2026, issued_at=now
    )
    session.add(letter)
    session.flush()
    return run.id, letter.id
