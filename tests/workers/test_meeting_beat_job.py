"""The daily meeting beat as the worker runs it (HD4): under Handan's profile it opens each
responsible department's own monthly meeting, once however often it runs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from keyproj.db.models import Meeting, Unit
from tests.builders.clock import bj
from tests.builders.county import County


def _department_meetings(engine: Engine) -> list[tuple[str, date]]:
    with Session(engine) as session:
        rows = session.execute(
            select(Unit.code, Meeting.held_on)
            .join(Unit, Unit.id == Meeting.host_unit_id)
            .where(Meeting.series == "department")
            .order_by(Meeting.held_on, Unit.code)
        )
        return [(code, day) for code, day in rows]


def test_hd4_the_daily_beat_opens_each_departments_meeting_once(
    worker_under, county: County, engine
):
    from workers import tasks

    county.with_projects("plant", "bridge").committed()  # 城关镇 and 石桥镇 lead one each
    county.at(bj(2026, 3, 1, 8, 30))  # the job's time; it sees 45 days ahead
    worker_under("handan")
    tasks.meeting_beat()
    tasks.meeting_beat()
    march, april = date(2026, 3, 10), date(2026, 4, 10)
    assert _department_meetings(engine) == [
        ("T01", march),
        ("T02", march),
        ("T01", april),
        ("T02", april),
    ]
