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


# --- hostile input: each refused with the field and the reason, nothing half-written ---------


def test_lp8_a_full_width_period_cannot_resubmit_a_locked_period(session, setup, profile):
    project, liaison, _ = setup
    reports.submit_report(session, liaison, project, "2026-10", data(), profile, TODAY)
    session.commit()
    for typed in ["２０２６-10", "2026-１0", "٢٠٢٦-10"]:
        with pytest.raises(ValidationError) as info:
            reports.submit_report(
                session,
                liaison,
                project,
                typed,
                data(cumulative_completed=Decimal("9999")),
                profile,
                TODAY,
            )
        assert "半角数字" in info.value.by_field()["period"]
        session.rollback()
    stored = reports.reports_of(session, project.id)
    assert [(r.period, r.cumulative_completed) for r in stored] == [("2026-10", Decimal("5000"))]


@pytest.mark.parametrize("period", ["0000-01", "0001-01", "1999-12"])
def test_lp8_a_period_before_2000_is_refused(session, setup, profile, period):
    project, liaison, _ = setup
    with pytest.raises(ValidationError) as info:
        reports.save_draft(session, liaison, project, period, data(), profile, TODAY)
    assert "年份应在2000年至2100年之间" in info.value.by_field()["period"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (Decimal("NaN"), "不能是 NaN 或无穷大"),
        (Decimal("Infinity"), "不能是 NaN 或无穷大"),
        (Decimal("1e14"), "不能超过 99,999,999,999,999.9999 万元"),
        (Decimal("1e30"), "不能超过 99,999,999,999,999.9999 万元"),
    ],
)
def test_al6_amounts_are_finite_and_fit_the_column(session, setup, profile, value, reason):
    project, liaison, _ = setup
    with pytest.raises(ValidationError) as info:
        reports.save_draft(
            session, liaison, project, "2026-10", data(total_investment=value), profile, TODAY
        )
    assert info.value.by_field() == {"total_investment": reason}
    assert reports.reports_of(session, project.id) == []


def test_al6_progress_percentage_is_finite(session, setup, profile):
    project, liaison, _ = setup
    with pytest.raises(ValidationError) as info:
        reports.save_draft(
            session, liaison, project, "2026-10", data(progress_pct=Decimal("NaN")), profile, TODAY
        )
    assert info.value.by_field() == {"progress_pct": "不能是 NaN 或无穷大"}


def test_al6_texts_refuse_nul_and_lone_surrogates_and_are_stored_normalised(
    session, setup, profile
):
    project, liaison, _ = setup
    bad = data(progress_text="路基\x00完成", issues_text="征地\ud800", measures_text="x" * 2001)
    with pytest.raises(ValidationError) as info:
        reports.save_draft(session, liaison, project, "2026-10", bad, profile, TODAY)
    assert info.value.by_field() == {
        "progress_text": "含有不允许的控制字符 U+0000",
        "issues_text": "含有无效字符（不成对的 UTF-16 代理码位）",
        "measures_text": "不能超过2000个字符",
    }
    good = data(progress_text="  Cafe\u0301 段\r\n完成  ", issues_text="\u200b")
    report = reports.save_draft(session, liaison, project, "2026-10", good, profile, TODAY)
    session.commit()
    session.expire_all()
    assert report.progress_text == "Caf\u00e9 段\n完成"
    assert report.issues_text is None  # a zero-width space is no content


def test_al6_a_zero_width_reason_is_no_reason_for_not_starting(session, setup, profile):
    project, liaison, _ = setup
    idle = data(start_status="not_started", started_on=None, not_started_reason="\u200b\ufeff")
    with pytest.raises(ValidationError) as info:
        reports.save_draft(session, liaison, project, "2026-10", idle, profile, TODAY)
    assert info.value.by_field() == {"not_started_reason": "未开工的项目须说明原因（AL6）"}


def test_al6_start_dates_lie_between_1990_and_2100(session, setup, profile):
    project, liaison, _ = setup
    old = data(started_on=date(1, 1, 1), expected_start=date(9999, 12, 31))
    with pytest.raises(ValidationError) as info:
        reports.save_draft(session, liaison, project, "2026-10", old, profile, TODAY)
    assert info.value.by_field() == {
        "started_on": "年份应在1990年至2100年之间",
        "expected_start": "年份应在1990年至2100年之间",
    }


@pytest.mark.parametrize(
    "procedures",
    [
        {"land": {"status": "approved", "extra": [[["deep"]]]}},
        {"land": {}},
        {"land": "approved"},
        {"land": {"status": "approved", "note": "\x00"}},
        {"land": {"status": "approved", "note": "备" * 201}},
        {"galaxy": {"status": "approved"}},
    ],
)
def test_al6_procedure_entries_hold_a_status_and_a_note_only(session, setup, profile, procedures):
    project, liaison, _ = setup
    with pytest.raises(ValidationError) as info:
        reports.save_draft(
            session, liaison, project, "2026-10", data(procedures=procedures), profile, TODAY
        )
    assert set(info.value.by_field()) == {"procedures"}
    assert reports.reports_of(session, project.id) == []
