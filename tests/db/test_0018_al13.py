"""Migration 0018 (AL13): accountability records kept on a case without a supervision matter."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from keyproj.db.migrate import alembic_config, current_revision
from keyproj.db.session import make_engine

RECORD = (
    "INSERT INTO accountability_records (id, matter_id, case_id, unit_id, person, failure,"
    " measure, recorded_at) VALUES ({id}, {matter}, 1, 1, '王镇长', '{failure}', '约谈',"
    " '2026-03-02 10:00:00+08:00')"
)


def test_0018_keeps_lp20_records_and_takes_al13_ones_without_a_matter(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'al13.db'}")
    config = alembic_config(engine)
    command.upgrade(config, "0017_supervision")
    with engine.begin() as conn:
        conn.execute(text("PRAGMA foreign_keys=OFF"))  # the rows' case, unit and matter aside
        conn.execute(text(RECORD.format(id=1, matter=7, failure="unaware")))
        with pytest.raises(IntegrityError), conn.begin_nested():  # before: a matter each
            conn.execute(text(RECORD.format(id=2, matter="NULL", failure="shirking_delay")))
    command.upgrade(config, "0018_al13")
    assert current_revision(engine) == "0018_al13"
    with engine.begin() as conn:
        conn.execute(text("PRAGMA foreign_keys=OFF"))
        conn.execute(text(RECORD.format(id=2, matter="NULL", failure="shirking_delay")))
        kept = conn.execute(text("SELECT id, matter_id FROM accountability_records ORDER BY id"))
        assert kept.all() == [(1, 7), (2, None)]
    command.downgrade(config, "0017_supervision")  # AL13's records go; LP20's stay
    with engine.connect() as conn:
        assert conn.execute(text("SELECT id FROM accountability_records")).all() == [(1,)]
