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
    assert issue.status == "resolved"
    assert issue.resolved_on == date(2026, 11, 2)
    with pytest.raises(Conflict):
        issues.resolve_issue(session, dept, issue, "再次", TODAY, TODAY)


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
