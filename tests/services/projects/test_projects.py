"""Projects service: creation, validation errors naming the field, scope of the list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from keyproj.errors import ValidationError
from keyproj.services.access import viewer_for
from keyproj.services.projects.project import create_project, list_projects, update_project
from tests.builders import factories


def test_project_is_created_with_its_lead_unit(session):
    factories.unit(session, "T01", "城关镇")
    project = factories.project(
        session, name="城关镇污水处理厂", total_investment=Decimal("8800.5")
    )
    session.commit()
    session.expire_all()
    assert project.lead_unit.name == "城关镇"
    assert project.total_investment == Decimal("8800.5000")


def test_duplicate_project_code_is_refused(session):
    factories.unit(session)
    first = factories.project(session)
    with pytest.raises(ValidationError) as info:
        create_project(session, factories.project_data(code=first.code))
    assert info.value.by_field() == {"code": f"项目代码 {first.code} 已存在"}


@pytest.mark.parametrize(
    ("override", "field", "reason_part"),
    [
        ({"code": "2026-44-1"}, "code", "格式不正确"),
        ({"total_investment": Decimal("-1")}, "total_investment", "不能为负数"),
        ({"level": "national"}, "level", "取值“national”无效"),
        ({"nature": ""}, "nature", "无效"),
        ({"name": "  "}, "name", "不能为空"),
    ],
)
def test_bad_project_field_is_named_with_reason(session, override, field, reason_part):
    factories.unit(session)
    with pytest.raises(ValidationError) as info:
        create_project(session, factories.project_data(**override))
    assert reason_part in info.value.by_field()[field]


def test_unknown_lead_unit_is_refused(session):
    with pytest.raises(ValidationError) as info:
        create_project(session, factories.project_data(lead_unit_code="NOPE"))
    assert info.value.by_field() == {"lead_unit_code": "未知单位“NOPE”"}


def test_code_change_cannot_take_another_projects_code(session):
    factories.unit(session)
    a, b = factories.project(session), factories.project(session)
    data = factories.project_data(code=b.code)
    with pytest.raises(ValidationError, match="已被其他项目使用"):
        update_project(session, a, data)


def test_unit_users_see_only_their_units_projects(session):
    factories.unit(session, "T01")
    factories.unit(session, "T02")
    mine = factories.project(session, "T01")
    factories.project(session, "T02")
    liaison = factories.user(session, "liaison1", "T01", "unit_liaison")
    office = factories.user(session, "office1", "ZDB", "key_office")
    assert [p.id for p in list_projects(session, viewer_for(session, liaison))] == [mine.id]
    assert len(list_projects(session, viewer_for(session, office))) == 2


# --- hostile input: each refused with the field and the reason ----------------------------


@pytest.mark.parametrize(
    ("override", "field", "reason"),
    [
        ({"code": "２０２６-441623-48-01-000001"}, "code", "半角数字"),
        ({"name": "道路\x00工程"}, "name", "含有不允许的控制字符 U+0000"),
        ({"name": "\u200b\u200b"}, "name", "不能为空（只有空白或不可见字符）"),
        ({"name": "工程\udc00"}, "name", "代理码位"),
        ({"name": "工" * 201}, "name", "不能超过200个字符"),
        ({"location": "地" * 201}, "location", "不能超过200个字符"),
        ({"description": "述" * 2001}, "description", "不能超过2000个字符"),
        (
            {"total_investment": Decimal("1e14")},
            "total_investment",
            "不能超过 99,999,999,999,999.9999 万元",
        ),
        ({"total_investment": Decimal("NaN")}, "total_investment", "不能是 NaN 或无穷大"),
        (
            {"planned_completion": date(9999, 12, 31)},
            "planned_completion",
            "年份应在1990年至2100年之间",
        ),
        ({"planned_start": date(1900, 1, 1)}, "planned_start", "年份应在1990年至2100年之间"),
        ({"approved_on": date(1, 1, 1)}, "approved_on", "年份应在1990年至2100年之间"),
        ({"lead_unit_code": "T0\x001"}, "lead_unit_code", "含有不允许的控制字符 U+0000"),
    ],
)
def test_hostile_project_fields_are_refused_with_the_field(session, override, field, reason):
    factories.unit(session)
    with pytest.raises(ValidationError) as info:
        create_project(session, factories.project_data(**override))
    assert reason in info.value.by_field()[field]
    assert (
        list_projects(
            session, viewer_for(session, factories.user(session, "zdb", "ZDB", "key_office"))
        )
        == []
    )


def test_a_nul_in_a_looked_up_name_is_a_field_error_not_a_database_error(session):
    factories.unit(session)
    with pytest.raises(ValidationError) as info:
        create_project(session, factories.project_data(leader_name="张\x00三"))
    assert info.value.by_field() == {"leader_name": "含有不允许的控制字符 U+0000"}
    office = viewer_for(session, factories.user(session, "zdb", "ZDB", "key_office"))
    with pytest.raises(ValidationError) as search:
        list_projects(session, office, search="路\x00")
    assert search.value.by_field() == {"q": "含有不允许的控制字符 U+0000"}


def test_project_text_is_stored_nfc_and_stripped(session):
    factories.unit(session)
    project = create_project(session, factories.project_data(name="  Cafe\u0301 改建工程 "))
    session.commit()
    session.expire_all()
    assert project.name == "Caf\u00e9 改建工程"


def test_a_planned_completion_in_the_past_is_refused_on_create_naming_the_field(session):
    factories.unit(session)
    data = factories.project_data(planned_completion=date(2026, 6, 30))
    with pytest.raises(ValidationError) as info:
        create_project(session, data, today=date(2026, 7, 1))
    assert info.value.by_field() == {
        "planned_completion": "计划竣工日期 2026-06-30 已过（今天是 2026-07-01）"
    }


@pytest.mark.parametrize("stage", ["under_construction", "acceptance", "in_use"])
def test_lp7_a_project_under_way_may_carry_a_past_planned_completion(session, stage):
    factories.unit(session)
    data = factories.project_data(planned_completion=date(2026, 6, 30), stage=stage)
    project = create_project(session, data, today=date(2026, 7, 1))
    assert project.planned_completion == date(2026, 6, 30)


def test_an_edit_may_keep_a_past_completion_but_not_move_it_into_the_past(session):
    factories.unit(session)
    project = create_project(session, factories.project_data(planned_completion=date(2026, 6, 30)))
    keep = factories.project_data(code=project.code, planned_completion=date(2026, 6, 30))
    update_project(session, project, keep, today=date(2026, 12, 1))
    moved = factories.project_data(code=project.code, planned_completion=date(2026, 11, 30))
    with pytest.raises(ValidationError) as info:
        update_project(session, project, moved, today=date(2026, 12, 1))
    assert info.value.by_field() == {
        "planned_completion": "计划竣工日期 2026-11-30 已过（今天是 2026-12-01）"
    }
