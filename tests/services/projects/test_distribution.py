"""LP8: a submitted monthly report is copied to the linked county leader, reviewed and forwarded
by the development-and-reform bureau, as the profile says."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from keyproj.codes import ReviewStatus
from keyproj.db.models import Notification, ReportReview
from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.paging import Paging
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.projects import distribution, reports
from keyproj.services.projects.reports import ReportData
from tests.builders import factories
from tests.builders.registries import drb_reviewer, leader_with_account

TODAY = date(2026, 11, 23)


def _data() -> ReportData:
    return ReportData(
        total_investment=Decimal("12000"),
        cumulative_completed=Decimal("5000"),
        annual_plan_investment=Decimal("6000"),
        annual_completed=Decimal("3000"),
        start_status="started",
        started_on=date(2026, 3, 1),
        progress_pct=Decimal("42.5"),
        issues_text="征地尚有2户未签约",
    )


@pytest.fixture
def world(session):
    factories.unit(session, "T01", "城关镇")
    factories.unit(session, "XFB2", "县人民政府办公室二", "county_gov_office")
    project = factories.project(session, "T01", name="城关镇环城路改建工程")
    _, leader_user = leader_with_account(session, "王强", "wangqiang", project)
    liaison = viewer_for(session, factories.user(session, "liaison", "T01", "unit_liaison"))
    reviewer = drb_reviewer(session)
    gov = factories.user(session, "gov", "XFB", "county_gov")
    return project, liaison, leader_user, reviewer, gov


def _inbox(session, user):
    return {
        n.kind: n
        for n in session.scalars(select(Notification).where(Notification.user_id == user.id))
    }


def test_lp8_submitted_report_is_copied_to_the_linked_leader(session, world, profile):
    project, liaison, leader_user, reviewer, _ = world
    report = reports.submit_report(session, liaison, project, "2026-10", _data(), profile, TODAY)
    copy = _inbox(session, leader_user)["report_copy"]
    assert copy.title == "月报抄送：城关镇环城路改建工程（2026年10月）"
    assert "累计完成投资5000万元" in copy.body
    assert "征地尚有2户未签约" in copy.body
    assert copy.link == f"/reports/{report.id}"
    shown = distribution.distribution_of(session, report)
    assert shown is not None
    assert shown.copied_to == "用户wangqiang"
    assert shown.status == ReviewStatus.AWAITING
    assert "report_review" in _inbox(session, reviewer)
    # The leader sees it among the reports copied to them.
    leader = viewer_for(session, leader_user)
    page = distribution.copied_to_me(session, leader, Paging(1, 20))
    assert [r.report_id for r in page.items] == [report.id]


def test_lp8_a_draft_is_copied_to_nobody(session, world, profile):
    project, liaison, leader_user, reviewer, _ = world
    reports.save_draft(session, liaison, project, "2026-10", _data(), profile, TODAY)
    assert _inbox(session, leader_user) == {}
    assert _inbox(session, reviewer) == {}
    assert session.scalars(select(ReportReview)).all() == []


def test_lp8_the_bureau_reviews_and_forwards_to_the_county_government(session, world, profile):
    project, liaison, _, reviewer, gov = world
    report = reports.submit_report(session, liaison, project, "2026-10", _data(), profile, TODAY)
    bureau = viewer_for(session, reviewer)
    assert [
        r.report_id for r in distribution.awaiting_review(session, bureau, Paging(1, 20)).items
    ] == [report.id]
    distribution.forward(session, bureau, report, "数据核实无误", profile)
    shown = distribution.distribution_of(session, report)
    assert shown is not None
    assert shown.status == ReviewStatus.FORWARDED
    assert shown.reviewed_by == "用户fgj"
    assert shown.forwarded_to == "县政府、市发改部门"
    assert shown.note == "数据核实无误"
    assert shown.forwarded_at is not None
    sent = _inbox(session, gov)["report_forwarded"]
    assert "数据核实无误" in sent.body
    assert distribution.awaiting_review(session, bureau, Paging(1, 20)).total == 0
    with pytest.raises(Conflict, match="已审核报送"):
        distribution.forward(session, bureau, report, None, profile)


def test_lp8_only_the_bureau_forwards(session, world, profile):
    project, liaison, _, _, gov = world
    report = reports.submit_report(session, liaison, project, "2026-10", _data(), profile, TODAY)
    for who in (liaison, viewer_for(session, gov)):
        with pytest.raises(PermissionDenied):
            distribution.forward(session, who, report, None, profile)
    assert session.scalars(select(ReportReview)).one().status == ReviewStatus.AWAITING


def test_lp8_a_review_note_too_long_is_refused_by_field(session, world, profile):
    project, liaison, _, reviewer, _ = world
    report = reports.submit_report(session, liaison, project, "2026-10", _data(), profile, TODAY)
    with pytest.raises(ValidationError) as info:
        distribution.forward(session, viewer_for(session, reviewer), report, "意" * 1001, profile)
    assert "审核意见" in str(info.value)
    assert session.scalars(select(ReportReview)).one().status == ReviewStatus.AWAITING


def test_lp8_where_the_profile_sets_no_review_none_is_asked(session, world):
    project, _, leader_user, reviewer, _ = world
    dancheng = load_profile("dancheng")  # copied to the leader (DC3), no bureau review
    report = reports.submit_report(session, None, project, "2026-10", _data(), dancheng, TODAY)
    shown = distribution.distribution_of(session, report)
    assert shown is not None
    assert shown.status == ReviewStatus.NOT_REQUIRED
    assert "report_copy" in _inbox(session, leader_user)
    assert _inbox(session, reviewer) == {}


def test_lp8_sign_off_copies_once(session, world):
    project, _, leader_user, _, _ = world
    head = viewer_for(session, factories.user(session, "head", "T01", "unit_head"))
    liaison2 = viewer_for(session, factories.user(session, "liaison2", "T01", "unit_liaison"))
    dancheng = load_profile("dancheng")  # the unit head signs before the report goes (DC3)
    report = reports.submit_report(session, liaison2, project, "2026-10", _data(), dancheng, TODAY)
    assert _inbox(session, leader_user) == {}  # waiting for the signature: not yet sent
    reports.sign_off(session, head, report, dancheng)
    assert list(_inbox(session, leader_user)) == ["report_copy"]
    assert len(session.scalars(select(ReportReview)).all()) == 1
