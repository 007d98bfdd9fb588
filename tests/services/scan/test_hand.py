"""Warnings by hand from daily supervision (LP12), and warnings received through the API (LP12):
each starts its case on the scan's path; the API checks as the file import does."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from keyproj.db.models import Case, EarlyWarning
from keyproj.errors import ImportRowError, NotFound, PermissionDenied, ValidationError
from keyproj.services.scan.hand import HandWarning, raise_by_hand, receive_feedback
from tests.builders.clock import bj


@pytest.fixture
def road(county):
    county.with_people("zdb", "chengguan", "shiqiao")
    return county.with_projects("road").road


def test_lp12_lp13_the_key_office_raises_a_warning_from_daily_supervision_into_its_triage(
    county, road, profile
):
    now = county.at(bj(2026, 3, 6, 9))
    data = HandWarning(road.id, "progress", "yellow", "现场督查发现主体工程停工15天")
    warning = raise_by_hand(county.session, profile, county.people["zdb"], data, now)

    assert (warning.rule_id, warning.period, warning.source) == (
        "supervision_progress",
        "2026-03-06-1",
        "supervision",
    )
    assert warning.evidence["summary"] == "现场督查发现主体工程停工15天"
    assert warning.evidence["requirements"] == ["LP12"]
    assert warning.evidence["raised_by"] == county.users["zdb"].display_name
    # LP13: it waits in the triage queue for the office's notice, as a scanned warning does.
    assert (warning.status, warning.case_id) == ("open", None)
    assert county.session.scalars(select(Case).where(Case.warning_id == warning.id)).all() == []
    # A second finding the same day is a warning of its own.
    second = raise_by_hand(county.session, profile, county.people["zdb"], data, now)
    assert second.period == "2026-03-06-2"


def test_lp12_only_the_key_office_raises_by_hand_and_bad_fields_are_named(county, road, profile):
    now = county.at(bj(2026, 3, 6, 9))
    data = HandWarning(road.id, "progress", "red", "停工")
    with pytest.raises(PermissionDenied):
        raise_by_hand(county.session, profile, county.people["chengguan"], data, now)
    with pytest.raises(NotFound):
        raise_by_hand(
            county.session,
            profile,
            county.people["zdb"],
            HandWarning(99999, "progress", "red", "x"),
            now,
        )
    with pytest.raises(ValidationError) as info:
        raise_by_hand(
            county.session,
            profile,
            county.people["zdb"],
            HandWarning(road.id, "soon", "purple", " "),
            now,
        )
    assert set(info.value.by_field()) == {"level", "colour", "evidence"}
    assert county.session.scalar(select(func.count()).select_from(EarlyWarning)) == 0


def item(road, **overrides):
    body = {
        "reference": "SX-2026-0031",
        "origin": "province",
        "project_code": road.code,
        "period": "2026-02",
        "level": "progress",
        "colour": "red",
        "message": "2月投资完成率低于序时进度60%",
    }
    body.update(overrides)
    return body


def test_lp12_a_warning_received_twice_is_raised_once_and_answered_with_the_same_id(
    county, road, profile
):
    now = county.at(bj(2026, 3, 6, 9))
    first = receive_feedback(county.session, profile, county.people["zdb"], item(road), now)
    again = receive_feedback(county.session, profile, county.people["zdb"], item(road), now)

    assert first.created == first.warning_ids
    assert first.cases_started == 0  # LP13: into the triage queue
    assert again.created == []
    assert again.warning_ids == first.warning_ids


def test_lp12_the_api_refuses_what_the_file_import_refuses_with_the_same_reasons(
    county, road, profile
):
    now = county.at(bj(2026, 3, 6, 9))
    bad = {"warnings": [item(road), item(road, origin="县", colour="紫")]}
    with pytest.raises(ImportRowError) as info:
        receive_feedback(county.session, profile, county.people["zdb"], bad, now)
    assert info.value.lines() == [
        "第2行「来源」：“县”应为 省 或 市（province / city）",
        "第2行「预警颜色」：“紫”应为 绿色、蓝色、黄色、红色",
    ]
    assert county.session.scalar(select(func.count()).select_from(EarlyWarning)) == 0
    with pytest.raises(PermissionDenied):
        receive_feedback(county.session, profile, county.people["chengguan"], item(road), now)
