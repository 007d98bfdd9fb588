"""Units administered in the browser: created, renamed, re-kinded, deactivated, never deleted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from keyproj.codes import AdminAction, Lane, UnitKind
from keyproj.db.models import AdminChange, Unit
from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.paging import Paging
from keyproj.services.admin import units
from keyproj.services.admin.changelog import actor_of, changes
from keyproj.services.cases.lanes import office_units

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def admin(session, county):
    county.with_people("admin", "chengguan")
    return actor_of(session, county.people["admin"])


def logged(session) -> list[tuple[str, str, str, str | None]]:
    rows = session.scalars(select(AdminChange).order_by(AdminChange.id))
    return [(r.actor, r.action, r.target, r.details) for r in rows]


def test_a_new_unit_is_logged_with_who_and_when(session, admin):
    unit = units.create_unit(session, admin, NOW, "T03", "龙源镇", "town")
    assert (unit.name, unit.kind, unit.active) == ("龙源镇", UnitKind.TOWN, True)
    change = session.scalars(select(AdminChange)).one()
    assert (change.actor, change.action, change.occurred_at) == ("admin", "unit_created", NOW)
    assert change.target == "单位 T03 龙源镇"


def test_a_taken_code_or_name_is_refused_naming_the_field(session, admin):
    with pytest.raises(ValidationError) as taken:
        units.create_unit(session, admin, NOW, "T01", "新镇", "town")
    assert taken.value.by_field() == {"code": "“T01”已被另一个单位使用"}
    with pytest.raises(ValidationError) as named:
        units.create_unit(session, admin, NOW, "T09", "城关镇", "town")
    assert "单位名称" in str(named.value)
    assert logged(session) == []


def test_renaming_and_changing_kind_log_the_old_and_new_value(session, admin):
    town = session.scalars(select(Unit).where(Unit.code == "T01")).one()
    units.update_unit(session, admin, NOW, town.id, "城关街道", "county_department")
    assert logged(session) == [
        ("admin", "unit_renamed", "单位 T01 城关街道", "城关镇 → 城关街道"),
        ("admin", "unit_kind_changed", "单位 T01 城关街道", "乡镇 → 县直部门"),
    ]


def test_a_unit_with_active_accounts_is_not_deactivated(session, admin):
    town = session.scalars(select(Unit).where(Unit.code == "T01")).one()
    with pytest.raises(ValidationError) as refused:
        units.set_unit_active(session, admin, NOW, town.id, False)
    assert "还有1个启用的账号" in refused.value.by_field()["active"]
    assert town.active


def test_a_deactivated_unit_keeps_its_row_and_comes_back(session, admin):
    dept = session.scalars(select(Unit).where(Unit.code == "D01")).one()
    units.set_unit_active(session, admin, NOW, dept.id, False)
    assert session.get(Unit, dept.id).active is False
    with pytest.raises(Conflict):
        units.set_unit_active(session, admin, NOW, dept.id, False)
    units.set_unit_active(session, admin, NOW, dept.id, True)
    assert [a for _, a, _, _ in logged(session)] == ["unit_deactivated", "unit_reactivated"]


def test_the_only_key_office_cannot_be_deactivated_or_re_kinded(session, admin, county):
    office = session.scalars(select(Unit).where(Unit.kind == UnitKind.KEY_OFFICE)).one()
    admin_user = county.users["admin"]
    admin_user.unit = session.scalars(select(Unit).where(Unit.code == "XFB")).one()
    session.flush()
    with pytest.raises(ValidationError) as refused:
        units.set_unit_active(session, admin, NOW, office.id, False)
    assert "唯一启用的重点办" in str(refused.value)
    with pytest.raises(ValidationError):
        units.update_unit(session, admin, NOW, office.id, office.name, "town")
    assert office_units(session, Lane.KEY_OFFICE) == [office.id]  # the lane keeps its unit


def test_only_administrators_may_change_units(session, county):
    county.with_people("zdb")
    with pytest.raises(PermissionDenied):
        actor_of(session, county.people["zdb"])
    with pytest.raises(PermissionDenied):
        changes(session, county.people["zdb"], Paging())


def test_the_log_is_paged_newest_first(session, admin, county):
    for n in range(3):
        units.create_unit(session, admin, NOW.replace(hour=n), f"X{n}", f"单位{n}", "town")
    page = changes(session, county.people["admin"], Paging(1, 2))
    assert (page.total, page.pages) == (3, 2)
    assert [c.target for c in page.items] == ["单位 X2 单位2", "单位 X1 单位1"]
    assert page.items[0].action == AdminAction.UNIT_CREATED
