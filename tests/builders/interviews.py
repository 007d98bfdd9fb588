"""Interview fixtures (HD6): stored ranking runs with hand-set rates, Handan's profile, and an
interview recorded and scheduled through the services."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.db.models import Interview, InterviewCommitment, Leader, RankingRun, Unit
from keyproj.policy import load_profile
from keyproj.services.interviews import lifecycle
from keyproj.services.org.directory import save_leader
from tests.builders.county import County

HANDAN = load_profile("handan")
NOW = datetime(2026, 5, 6, 2, tzinfo=UTC)  # 6 May 2026, 10:00 in Beijing


def unit_id(session: Session, code: str) -> int:
    """The id of the unit with ``code``."""
    found = session.scalar(select(Unit.id).where(Unit.code == code))
    assert found is not None
    return found


def stored_run(
    session: Session, period: str, rates: dict[str, str], cadence: str = "quarterly"
) -> RankingRun:
    """A stored run of ``period`` ranking the departments ``rates`` (unit code → rate, e.g.
    "0.4000"), ranked 1, 2, 2, 4 by hand's rule, every unit in the bottom three flagged."""
    ordered = sorted(rates.items(), key=lambda item: -Decimal(item[1]))
    values = [Decimal(r) for _, r in ordered]
    rows = []
    for code, rate in ordered:
        unit = session.scalar(select(Unit).where(Unit.code == code))
        assert unit is not None
        lower = sum(1 for v in values if v < Decimal(rate))
        rows.append(_row(unit, rate, values.index(Decimal(rate)) + 1, lower < 3))
    figures: dict[str, Any] = {"period": period, "cadence": cadence, "top_n": 0, "bottom_n": 3}
    figures |= {"towns": [], "departments": rows, "rule": ""}
    run = RankingRun(
        profile="handan",
        period=period,
        cadence=cadence,
        run_at=datetime(2026, 1, 1, tzinfo=UTC),
        figures=figures,
    )
    session.add(run)
    session.flush()
    return run


def _row(unit: Unit, rate: str, rank: int, bottom: bool) -> dict[str, Any]:
    return {
        "unit_id": unit.id,
        "unit": unit.name,
        "planned": "100",
        "completed": str(Decimal(rate) * 100),
        "rate": rate,
        "rank": rank,
        "places": ["bottom"] if bottom else [],
        "reason": None,
        "projects": [],
    }


def city_leader(session: Session, name: str = "王副市长", username: str | None = None) -> Leader:
    """The city government's leader in charge (市政府主管领导), with an account when asked."""
    return save_leader(session, name, "副市长", username=username)


def scheduled(county: County, trigger: str = "poor_preparation", unit: str = "T01") -> Interview:
    """An interview of ``unit`` recorded by the key office and scheduled for 8 May 2026 09:30."""
    s = county.session
    leader = s.scalar(select(Leader).where(Leader.name == "王副市长")) or city_leader(s)
    data = lifecycle.Record(
        str(unit_id(s, unit)), trigger, "项目前期论证不充分，选址变更导致无法实施。", []
    )
    row = lifecycle.record(s, HANDAN, county.people["zdb"], data, NOW)
    form = {"scheduled_at": "2026-05-08 09:30", "place": "市政府第三会议室"}
    form["leader_id"] = str(leader.id)
    return lifecycle.schedule(s, HANDAN, county.people["zdb"], row.id, form, NOW)


def stored_interview(session: Session, unit_code: str, now: datetime) -> int:
    """The id of an interview of ``unit_code`` held with one open commitment, written directly
    (a profile without [interviews] records none), for the pages that take its id."""
    leader = city_leader(session, "周副市长")
    row = Interview(
        unit_id=unit_id(session, unit_code),
        trigger="bottom_twice",
        state="held",
        reason="两次通报均排在后三位。",
        evidence={"year": 2026, "bottom_places": 3, "runs": []},
        proposal_key=f"{unit_code}:bottom_twice:pages",
        created_at=now,
        leader_id=leader.id,
        scheduled_at=now,
        place="市政府第三会议室",
        number="测约谈〔2026〕1号",
        numbered_at=now,
        held_at=now,
        minutes="单位作出检查。",
        commitments=[
            InterviewCommitment(
                position=1, text="报送整改方案", due_on=date(2026, 4, 30), state="open"
            )
        ],
    )
    session.add(row)
    session.flush()
    return row.id
