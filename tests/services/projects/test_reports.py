"""Periodic reports (LP8, AL6): validation, one report per period, lock on submit, amendments."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.projects import reports
from keyproj.services.projects.reports import ReportData
from tests.builders import factories

TODAY = date(2026, 11, 23)


def data(**overrides: object) -> ReportData:
    values: dict[str, object] = {
        "total_investment": Decimal("12000"),
        "cumulative_completed": Decimal("5000"),
        "annual_plan_investment": Decimal("6000"),
        "annual_completed": Decimal("3000"),
        "start_status": "started",
        "started_on": date(2026, 3, 1),
        "progress_pct": Decimal("42.5"),
        "progress_text": "主体结构完成三层",
        "procedures": {"environment": {"status": "approved", "note": "县环保局批复"}},
    }
    values.update(overrides)
    return ReportData(**values)  # type: ignore[arg-type]


@pytest.fixture
def setup(session):
    factories.unit(session, "T01")
    factories.unit(session, "T02")
    project = factories.project(session, "T01")
    liaison = viewer_for(session, factories.user(session, "liaison", "T01", "unit_liaison"))
    head = viewer_for(session, factories.user(session, "head", "T01", "unit_head"))
    return project, liaison, head


def test_lp8_submitted_report_is_locked(session, setup, profile):
    project, liaison, _ = setup
    report = reports.submit_report(session, liaison, project, "2026-10", data(), profile, TODAY)
    session.commit()
    assert report.status == "submitted"
    assert report.submitted_at is not None
    with pytest.raises(ValidationError) as info:
        reports.save_draft(session, liaison, project, "2026-10", data(), profile, TODAY)
    assert "同一期次不能再报" in info.value.by_field()["period"]


def test_second_report_for_the_same_period_is_refused(session, setup, profile):
    project, liaison, _ = setup
    reports.submit_report(session, liaison, project, "2026-10", data(), profile, TODAY)
    with pytest.raises(ValidationError, match="同一期次不能再报"):
        reports.submit_report(session, liaison, project, "2026-10", data(), profile, TODAY)


def test_future_period_is_refused(session, setup, profile):
    project, liaison, _ = setup
    with pytest.raises(ValidationError) as info:
        reports.save_draft(session, liaison, project, "2026-12", data(), profile, TODAY)
    assert info.value.by_field() == {"period": "2026年12月尚未开始，不能填报未来期次"}


def test_current_period_may_be_reported(session, setup, profile):
    project, liaison, _ = setup
    report = reports.save_draft(session, liaison, project, "2026-11", data(), profile, TODAY)
    assert report.status == "draft"
    assert report.period_end == date(2026, 11, 30)


@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"cumulative_completed": Decimal("-5")}, "cumulative_completed", "金额不能为负数"),
        ({"progress_pct": Decimal("100.5")}, "progress_pct", "百分比必须在0到100之间"),
        ({"progress_pct": Decimal("-1")}, "progress_pct", "百分比必须在0到100之间"),
        (
            {"annual_completed": Decimal("6000")},
            "annual_completed",
            "年度完成投资不能大于累计完成投资",
        ),
        ({"start_status": "not_started", "started_on": None}, "not_started_reason", "须说明原因"),
        ({"started_on": None}, "started_on", "须填写开（复）工日期"),
        ({"started_on": date(2026, 12, 1)}, "started_on", "不能晚于今天"),
        ({"procedures": {"moon_landing": {"status": "approved"}}}, "procedures", "moon_landing"),
    ],
)
def test_al6_bad_field_is_named_with_its_reason(session, setup, profile, overrides, field, reason):
    project, liaison, _ = setup
    with pytest.raises(ValidationError) as info:
        reports.save_draft(session, liaison, project, "2026-10", data(**overrides), profile, TODAY)
    assert reason in info.value.by_field()[field]


def test_malformed_period_key_is_explained(session, setup, profile):
    project, liaison, _ = setup
    with pytest.raises(ValidationError, match="应如 2026-03"):
        reports.save_draft(session, liaison, project, "2026/10", data(), profile, TODAY)


def test_other_units_cannot_report_for_the_project(session, setup, profile):
    project, _, _ = setup
    outsider = viewer_for(session, factories.user(session, "outsider", "T02", "unit_liaison"))
    with pytest.raises(PermissionDenied):
        reports.save_draft(session, outsider, project, "2026-10", data(), profile, TODAY)


def test_al6_amendment_keeps_old_and_new_values_who_when_why(session, setup, profile):
    project, liaison, _ = setup
    report = reports.submit_report(session, liaison, project, "2026-10", data(), profile, TODAY)
    amendment = reports.amend(
        session,
        liaison,
        report,
        {"cumulative_completed": Decimal("5200")},
        "统计局核定数调整",
        TODAY,
    )
    session.commit()
    session.expire_all()
    assert report.cumulative_completed == Decimal("5200")
    assert amendment.changes == [
        {
            "field": "cumulative_completed",
            "label": "累计完成投资（万元）",
            "old": "5000",
            "new": "5200",
        }
    ]
    assert amendment.reason == "统计局核定数调整"
    assert amendment.amended_by_id == liaison.user_id
    assert amendment.amended_at is not None
    assert [a.id for a in report.amendments] == [amendment.id]


def test_al6_amendment_needs_a_reason_and_a_change(session, setup, profile):
    project, liaison, _ = setup
    report = reports.submit_report(session, liaison, project, "2026-10", data(), profile, TODAY)
    with pytest.raises(ValidationError, match="须说明原因"):
        reports.amend(session, liaison, report, {"progress_pct": Decimal(50)}, " ", TODAY)
    with pytest.raises(ValidationError, match="没有修改任何内容"):
        reports.amend(session, liaison, report, {"progress_pct": Decimal("42.5")}, "核对", TODAY)
    with pytest.raises(ValidationError, match="百分比"):
        reports.amend(session, liaison, report, {"progress_pct": Decimal(150)}, "核对", TODAY)
    session.refresh(report)
    assert report.progress_pct == Decimal("42.5")
    assert report.amendments == []


def test_draft_cannot_be_amended(session, setup, profile):
    project, liaison, _ = setup
    draft = reports.save_draft(session, liaison, project, "2026-10", data(), profile, TODAY)
    with pytest.raises(Conflict):
        reports.amend(session, liaison, draft, {"progress_pct": Decimal(50)}, "核对", TODAY)


def test_al6_sign_off_by_the_unit_head_locks_the_report(session, setup):
    project, liaison, head = setup
    alxa = load_profile("alxa_left")
    report = reports.submit_report(session, liaison, project, "2026-11-1", data(), alxa, TODAY)
    assert report.status == "pending_sign_off"
    with pytest.raises(PermissionDenied):
        reports.sign_off(session, liaison, report)
    reports.sign_off(session, head, report)
    assert report.status == "submitted"
    assert report.signed_off_by_id == head.user_id


def test_al6_semimonthly_periods_and_gs1_weekly_periods(session, setup):
    project, liaison, _ = setup
    alxa, guangshan = load_profile("alxa_left"), load_profile("guangshan")
    first_half = reports.save_draft(session, liaison, project, "2026-11-1", data(), alxa, TODAY)
    assert (first_half.period_end, first_half.status) == (date(2026, 11, 15), "draft")
    week = reports.save_draft(
        session, liaison, project, "2026-W47", replace(data()), guangshan, TODAY
    )
    assert week.period_end == date(2026, 11, 22)
    with pytest.raises(ValidationError, match="尚未开始"):
        reports.save_draft(session, liaison, project, "2026-W49", data(), guangshan, TODAY)
