"""The county leaders' registry (DC1, GS3, LP8): linked accounts, who may keep it, import."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from keyproj.db.models import Leader, Project
from keyproj.errors import ImportRowError, PermissionDenied, ValidationError
from keyproj.paging import Paging
from keyproj.services.access import project_scope, viewer_for
from keyproj.services.org.leaders import LeaderData, import_leaders, leader_rows, register_leader
from tests.builders import factories
from tests.builders.registries import sheet


@pytest.fixture
def office(session):
    factories.unit(session, "T01", "城关镇")
    return viewer_for(session, factories.user(session, "zdb", "ZDB", "key_office"))


def test_dc1_a_leader_linked_to_an_account_sees_the_projects_they_lead(session, office):
    account = factories.user(session, "wangqiang", "XLD", "leader")
    road = factories.project(session, "T01", name="环城路")
    factories.project(session, "T01", name="第二小学")
    leader = register_leader(
        session, office, LeaderData("王强", "副县长", "13800000001", "wangqiang")
    )
    road.leader_id = leader.id
    session.flush()
    seen = session.scalars(select(Project.name).where(project_scope(viewer_for(session, account))))
    assert list(seen) == ["环城路"]
    page = leader_rows(session, Paging(1, 20))
    assert [(r.leader.name, r.username, r.projects) for r in page.items] == [
        ("王强", "wangqiang", 1)
    ]


def test_dc1_an_account_without_the_leader_role_is_refused(session, office):
    factories.user(session, "clerk", "T01", "unit_liaison")
    with pytest.raises(ValidationError) as info:
        register_leader(session, office, LeaderData("王强", username="clerk"))
    assert "没有“县领导”角色" in info.value.by_field()["username"]
    assert session.scalars(select(Leader)).all() == []


def test_dc1_one_account_serves_one_leader(session, office):
    factories.user(session, "wangqiang", "XLD", "leader")
    register_leader(session, office, LeaderData("王强", username="wangqiang"))
    with pytest.raises(ValidationError, match="已关联县领导王强"):
        register_leader(session, office, LeaderData("李明", username="wangqiang"))


def test_dc1_only_the_key_office_keeps_the_leaders(session, office):
    town = viewer_for(session, factories.user(session, "town", "T01", "unit_liaison"))
    with pytest.raises(PermissionDenied):
        register_leader(session, town, LeaderData("王强"))


def test_dc1_import_registers_leaders_and_names_bad_rows(session, office):
    factories.user(session, "wangqiang", "XLD", "leader")
    good = sheet(
        ["姓名", "职务", "联系电话", "用户名"],
        ["王强", "副县长", 13800000001, "wangqiang"],
        ["李明", "县委常委", None, None],
    )
    assert import_leaders(session, office, good) == 2
    assert {x.name: x.user_id is not None for x in session.scalars(select(Leader))} == {
        "王强": True,
        "李明": False,
    }
    bad = sheet(["姓名", "联系电话"], ["赵刚", "电话"])
    with pytest.raises(ImportRowError) as info:
        import_leaders(session, office, bad)
    [line] = info.value.lines()
    assert line.startswith("第2行「联系电话」")
