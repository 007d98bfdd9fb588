"""Migration 0030 (DC7 三(三), HD4): the county's meetings stay one a cadence day, a per-unit
series holds one a day for each department, and the follow-up offices get their table."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from keyproj.db.migrate import alembic_config, current_revision
from keyproj.db.session import make_engine

MEETING = (
    "INSERT INTO meetings (series, nominal_on, held_on, starts_at, chair, state, created_at{host})"
    " VALUES ('{series}', '2026-03-10', '2026-03-10', '09:00:00', '主持人', 'planned',"
    " '2026-03-01 01:00:00'{unit})"
)


def _meeting(series: str, unit: int | None = None) -> str:
    host = ", host_unit_id" if unit is not None else ""
    return MEETING.format(host=host, series=series, unit=f", {unit}" if unit is not None else "")


def test_0030_keeps_the_county_meetings_one_a_day_and_lets_each_department_hold_its_own(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'meetings.db'}")
    config = alembic_config(engine)
    command.upgrade(config, "0029_half_year")
    with engine.begin() as conn:
        conn.execute(text(_meeting("dispatch")))
    command.upgrade(config, "0030_chair_office")
    assert current_revision(engine) == "0030_chair_office"
    assert "meeting_offices" in inspect(engine).get_table_names()
    with engine.begin() as conn:
        conn.execute(text("PRAGMA foreign_keys=OFF"))  # the departments' units aside
        conn.execute(text(_meeting("department", 1)))
        conn.execute(text(_meeting("department", 2)))
    for duplicate in (_meeting("dispatch"), _meeting("department", 1)):
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text(duplicate))
    command.downgrade(config, "0029_half_year")
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT series FROM meetings ORDER BY id")).scalars()
        assert list(kept) == ["dispatch"]  # a department's own meeting has no place before
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(_meeting("dispatch")))
