"""The issue ledger (LP7): seven categories, owner units, resolution."""

from __future__ import annotations

from datetime import date

import pytest

from keyproj.codes import ISSUE_CATEGORIES
from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.services.access import viewer_for
from keyproj.services.projects import issues
from keyproj.services.projects.issues import IssueData
from tests.builders import factories
from tests.builders.notifications import notified

TODAY = date(2026, 11, 23)


@pytest.fixture
def actors(session):
    factories.unit(session, "T01")
    factories.unit(session, "D01", kind="county_department")
    factories.unit(session, "T02")
    project = factories.project(session, "T01")
    liaison = viewer_for(session, factories.user(session, "liaison", "T01", "unit_liaison"))
    dept = viewer_for(session, factories.user(session, "dept", "D01", "unit_liaison"))
    other = viewer_for(session, factories.user(session, "other", "T02", "unit_liaison"))
    return project, liaison, dept, other


def test_lp7_all_seven_categories_can_be_recorded(session, actors):
    project, liaison, _, _ = actors
    for code in ISSUE_CATEGORIES:
        issues.open_issue(
            session, liaison, project, IssueData(code, f"{code}问题", "T01", TODAY), TODAY
        )
    listed = issues.list_issues(session, liaison, project_id=project.id, status="open")
    assert sorted(i.category for i in listed) == sorted(ISSUE_CATEGORIES)
    assert len(ISSUE_CATEGORIES) == 7


def test_lp7_unknown_category_and_unknown_unit_are_refused(session, actors):
    project, liaison, _, _ = actors
    with pytest.raises(ValidationError) as info:
        issues.open_issue(
            session, liaison, project, IssueData("weather", "暴雨", "T01", TODAY), TODAY
        )
    assert "weather" in info.value.by_field()["category"]
    with pytest.raises(ValidationError) as info:
        issues.open_issue(
            session, liaison, project, IssueData("land", "征地", "NOPE", TODAY), TODAY
        )
    assert info.value.by_field() == {"owner_unit_code": "未知单位“NOPE”"}


def test_owner_unit_resolves_and_a_second_resolution_is_refused(session, actors):
    project, liaison, dept, other = actors
    issue = issues.open_issue(
        session,
        liaison,
        project,
        IssueData("approval", "用地预审未批", "D01", date(2026, 9, 1)),
        TODAY,
    )
    with pytest.raises(PermissionDenied):
        issues.resolve_issue(session, other, issue, "已批", TODAY, TODAY)
    with pytest.raises(ValidationError, match="不能早于发现日期"):
        issues.resolve_issue(session, dept, issue, "已批", date(2026, 8, 1), TODAY)
    issues.resolve_issue(session, dept, issue, "自然资源局已出具预审意见", date(2026, 11, 2), TODAY)
    assert issue.status == "close_requested"
    with pytest.raises(Conflict, match="已申请销号，待重点办确认"):
        issues.resolve_issue(session, dept, issue, "再次", TODAY, TODAY)
    issues.confirm_close(session, _key_office(session), issue)
    assert issue.status == "resolved"
    assert issue.resolved_on == date(2026, 11, 2)
    with pytest.raises(Conflict):
        issues.resolve_issue(session, dept, issue, "再次", TODAY, TODAY)


def _key_office(session):
    return viewer_for(session, factories.user(session, "zdb", "ZDB", "key_office"))


def _requested(session, liaison, project):
    issue = issues.open_issue(
        session, liaison, project, IssueData("land", "3户拆迁未签约", "T01", TODAY), TODAY
    )
    issues.resolve_issue(session, liaison, issue, "已签约", TODAY, TODAY)
    return issue


def test_part9_a_unit_cannot_close_its_own_issue_without_the_key_office(session, actors):
    project, liaison, _, _ = actors
    zdb = _key_office(session)
    issue = _requested(session, liaison, project)
    assert issue.status == "close_requested"
    assert issue.resolved_at is None
    assert issue.close_requested_by_id == liaison.user_id
    with pytest.raises(PermissionDenied, match="只有重点办可以确认"):
        issues.confirm_close(session, liaison, issue)
    # The key office heard of the request.
    assert [n.title for n in notified(session, "issue_close").get("zdb", [])] == [
        "销号申请待确认：3户拆迁未签约"
    ]
    issues.confirm_close(session, zdb, issue)
    assert issue.status == "resolved"
    assert issue.resolved_by_id == zdb.user_id
    assert "销号已确认：3户拆迁未签约" in [n.title for n in notified(session)["liaison"]]


def test_part9_the_key_office_refuses_a_request_with_its_reason(session, actors):
    project, liaison, _, _ = actors
    issue = _requested(session, liaison, project)
    zdb = _key_office(session)
    with pytest.raises(ValidationError) as info:
        issues.refuse_close(session, zdb, issue, "  ")
    assert info.value.by_field() == {"close_refusal": "不能为空（只有空白或不可见字符）"}
    assert issue.status == "close_requested"

    issues.refuse_close(session, zdb, issue, "签约材料未上传")
    assert issue.status == "open"
    assert issue.close_refusal == "签约材料未上传"
    assert issue.resolved_on is None
    assert "销号申请被退回：3户拆迁未签约" in [n.title for n in notified(session)["liaison"]]
    with pytest.raises(Conflict, match="没有待确认的销号申请"):
        issues.confirm_close(session, zdb, issue)


def test_part9_the_key_office_closes_at_once(session, actors):
    project, liaison, _, _ = actors
    issue = issues.open_issue(
        session, liaison, project, IssueData("land", "征地", "T01", TODAY), TODAY
    )
    issues.resolve_issue(session, _key_office(session), issue, "已协调", TODAY, TODAY)
    assert issue.status == "resolved"


def test_issue_list_respects_scope(session, actors):
    project, liaison, _, other = actors
    issues.open_issue(
        session, liaison, project, IssueData("funding", "资金缺口", "T01", TODAY), TODAY
    )
    assert len(issues.list_issues(session, liaison)) == 1
    assert issues.list_issues(session, other) == []


# --- hostile input: each refused with the field and the reason ----------------------------


@pytest.mark.parametrize(
    ("override", "field", "reason"),
    [
        ({"title": "\u200b"}, "title", "不能为空（只有空白或不可见字符）"),
        ({"title": "征地\x00"}, "title", "含有不允许的控制字符 U+0000"),
        ({"description": "情况\ud83d"}, "description", "代理码位"),
        ({"owner_unit_code": "T\x0001"}, "owner_unit_code", "含有不允许的控制字符 U+0000"),
        ({"opened_on": date(1, 1, 1)}, "opened_on", "年份应在2000年至2100年之间"),
        ({"urgent": "false"}, "urgent", "应为 true 或 false"),
    ],
)
def test_lp7_hostile_issue_fields_are_refused(session, actors, override, field, reason):
    project, liaison, _, _ = actors
    entry = IssueData("land", "征地未完成", "T01", TODAY)
    for name, value in override.items():
        setattr(entry, name, value)
    with pytest.raises(ValidationError) as info:
        issues.open_issue(session, liaison, project, entry, TODAY)
    assert reason in info.value.by_field()[field]
    assert issues.list_issues(session, liaison, project_id=project.id) == []


def test_lp7_an_issue_cannot_be_resolved_on_a_year_one_date(session, actors):
    project, liaison, _, _ = actors
    issue = issues.open_issue(
        session, liaison, project, IssueData("land", "征地", "T01", TODAY), TODAY
    )
    with pytest.raises(ValidationError) as info:
        issues.resolve_issue(session, liaison, issue, "已解决", date(1, 1, 1), TODAY)
    assert info.value.by_field() == {"resolved_on": "年份应在2000年至2100年之间"}
    assert issue.status == "open"
