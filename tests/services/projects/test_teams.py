"""Project teams by profile (GS3 "1+3", DC1 site sign): roles, chiefs, import, the sign."""

from __future__ import annotations

import pytest

from keyproj.errors import ImportRowError, PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.org.leaders import LeaderData, register_leader
from keyproj.services.projects import site_sign
from keyproj.services.projects.teams import MemberData, import_teams, save_team, team_roles
from tests.builders import factories
from tests.builders.registries import docx_text, sheet

GUANGSHAN = load_profile("guangshan")
DANCHENG = load_profile("dancheng")


@pytest.fixture
def world(session):
    factories.unit(session, "T01", "城关镇")
    office = viewer_for(session, factories.user(session, "zdb", "ZDB", "key_office"))
    register_leader(session, office, LeaderData("王强", "副县长", "13800000001"))
    project = factories.project(session, "T01", name="城关镇环城路改建工程", location="城关镇")
    return office, project


def test_gs3_the_one_plus_three_team_and_dc1_site_sign_roles_come_from_the_profile():
    assert [r.value for r in team_roles(GUANGSHAN)] == [
        "chief",
        "assistant",
        "responsible",
        "helper",
    ]
    assert GUANGSHAN.cite("team.roles") == "GS3"
    assert [r.value for r in team_roles(DANCHENG)] == [
        "chief",
        "responsible",
        "construction_contact",
        "cooperating_contact",
        "discipline_inspector",
    ]
    assert DANCHENG.cite("team.site_sign") == "DC1"


def test_gs3_a_team_is_saved_and_its_chief_becomes_the_linked_leader(session, world):
    office, project = world
    save_team(
        session,
        office,
        project,
        [
            MemberData("chief", "王强"),
            MemberData("项目长助理", "陈刚", "发改局副局长"),
            MemberData("responsible", "刘洋", "镇长", "城关镇"),
            MemberData("帮办人员", "周敏", "副镇长", "城关镇", "13800000002"),
        ],
        GUANGSHAN,
    )
    assert [(m.role, m.name) for m in project.team] == [
        ("chief", "王强"),
        ("assistant", "陈刚"),
        ("responsible", "刘洋"),
        ("helper", "周敏"),
    ]
    assert project.team[0].position == "副县长"  # taken from the leaders' registry
    assert project.leader is not None
    assert project.leader.name == "王强"


def test_gs3_a_role_the_profile_does_not_name_is_refused(session, world):
    office, project = world
    with pytest.raises(ValidationError) as info:
        save_team(session, office, project, [MemberData("discipline_inspector", "吴军")], GUANGSHAN)
    assert "本县规章未设“派驻纪检监察员”" in info.value.by_field()["role"]
    assert project.team == []


def test_dc1_the_chief_must_be_a_registered_leader(session, world):
    office, project = world
    with pytest.raises(ValidationError, match="不在县领导名录中"):
        save_team(session, office, project, [MemberData("分包领导", "张三")], DANCHENG)


def test_gs3_only_the_key_office_sets_teams(session, world):
    _, project = world
    town = viewer_for(session, factories.user(session, "town", "T01", "unit_liaison"))
    with pytest.raises(PermissionDenied):
        save_team(session, town, project, [MemberData("chief", "王强")], GUANGSHAN)


def test_dc1_the_site_sign_lists_every_role_in_dc1_words(session, world):
    office, project = world
    save_team(
        session,
        office,
        project,
        [
            MemberData("chief", "王强"),
            MemberData("construction_contact", "郑强", "经理", "县城投公司", "13800000003"),
        ],
        DANCHENG,
    )
    sign = site_sign.site_sign(project, DANCHENG)
    assert sign.citation == "DC1"
    assert [(x.role, x.name) for x in sign.lines] == [
        ("项目分包领导", "王强"),
        ("责任单位责任人", ""),
        ("建设单位责任人", "郑强"),
        ("配合单位责任人", ""),
        ("派驻专职纪检监察员", ""),
    ]
    text = docx_text(site_sign.as_docx(sign))
    assert "城关镇环城路改建工程" in text
    assert "建设单位责任人|郑强|县城投公司　经理|13800000003" in text


def test_gs3_import_replaces_each_projects_team(session, world):
    office, project = world
    data = sheet(
        ["项目代码", "职责", "姓名", "职务", "单位", "联系电话"],
        [project.code, "项目长（分包县领导）", "王强", None, None, None],
        [project.code, "帮办人员", "周敏", "副镇长", "城关镇", 13800000002],
    )
    assert import_teams(session, office, data, GUANGSHAN) == 2
    assert [(m.role, m.phone) for m in project.team] == [
        ("chief", "13800000001"),
        ("helper", "13800000002"),
    ]


def test_gs3_import_names_the_bad_rows(session, world):
    office, project = world
    data = sheet(
        ["项目代码", "职责", "姓名"],
        [project.code, "项目长", "王强"],
        ["2026-000000-00-00-000000", "帮办人员", "周敏"],
        [project.code, "驻场纪检", "吴军"],  # a DC1 role: not in Guangshan's "1+3"
    )
    with pytest.raises(ImportRowError) as info:
        import_teams(session, office, data, GUANGSHAN)
    lines = info.value.lines()
    assert "第3行「项目代码」：未找到项目“2026-000000-00-00-000000”" in lines
    assert any(line.startswith("第4行「职责」") for line in lines)
