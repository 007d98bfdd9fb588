"""The daily interview jobs (HD6) as the worker runs them: Handan's proposes once, reminds
once; a profile without [interviews] does nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from keyproj.db.models import Interview
from tests.builders.clock import bj
from tests.builders.county import County


@pytest.fixture
def late(county: County) -> County:
    """A project of 城关镇 due to start on 1 March 2026 that has not; the clock on 2 March."""
    county.with_people("zdb")
    county.project("城关镇未开工项目", planned_start=date(2026, 3, 1))
    county.committed()
    county.at(bj(2026, 3, 2, 6))
    return county


def _count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Interview)) or 0


def test_hd6_the_daily_job_proposes_once(worker_under, late, engine):
    from workers import tasks

    worker_under("handan")
    assert tasks.propose_interviews() == 1
    assert tasks.propose_interviews() == 0
    assert _count(engine) == 1
    assert tasks.interview_reminders() == 0  # nothing scheduled, nothing promised


def test_a_profile_without_interviews_proposes_none(worker_under, late, engine):
    from workers import tasks

    worker_under("lianping")
    assert tasks.propose_interviews() == 0
    assert tasks.interview_reminders() == 0
    assert _count(engine) == 0
