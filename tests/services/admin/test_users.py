"""Accounts administered in the browser: created, roles, unit, password, unlock, disabled."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from keyproj.db.models import AdminChange, AuthEvent, Unit
from keyproj.errors import Conflict, NotFound, ValidationError
from keyproj.services.admin import units, users
from keyproj.services.admin.changelog import actor_of
from keyproj.services.org.auth import Client, sign_in
from keyproj.services.org.directory import UserData
from keyproj.services.org.sessions import user_of_session
from tests.builders import factories

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def admin(session, county):
    county.with_people("admin", "chengguan")
    return actor_of(session, county.people["admin"])


def actions(session) -> list[str]:
    return list(session.scalars(select(AdminChange.action).order_by(AdminChange.id)))


def new_user(**overrides: object) -> UserData:
    values: dict[str, object] = {
        "username": "liu",
        "display_name": "刘洋",
        "unit_code": "T02",
        "password": "Strong#2026",
        "roles": ["unit_liaison"],
    }
    return UserData(**{**values, **overrides})  # type: ignore[arg-type]


def test_a_created_account_signs_in_and_is_logged(session, admin):
    user = users.create(session, admin, NOW, new_user())
    assert sign_in(session, "liu", "Strong#2026", NOW).ok
    change = session.scalars(select(AdminChange)).one()
    assert (change.actor, change.target) == ("admin", "账号 liu（刘洋）")
    assert change.details == "石桥镇；单位联络员"
    assert user.unit.code == "T02"


def test_bad_account_data_is_refused_field_by_field_and_nothing_is_saved(session, admin):
    with pytest.raises(ValidationError) as refused:
        users.create(session, admin, NOW, new_user(username="a b", password="short", roles=[]))
    assert set(refused.value.by_field()) == {"username", "password", "roles"}
    assert actions(session) == []


def test_an_account_cannot_be_created_in_a_deactivated_unit(session, admin):
    dept = session.scalars(select(Unit).where(Unit.code == "D01")).one()
    units.set_unit_active(session, admin, NOW, dept.id, False)
    with pytest.raises(ValidationError) as refused:
        users.create(session, admin, NOW, new_user(unit_code="D01"))
    assert refused.value.by_field() == {"unit_code": "单位“县交通运输局”已停用"}


def test_roles_and_unit_changes_log_before_and_after(session, admin, county):
    town = county.users["chengguan"]
    users.set_roles(session, admin, NOW, town.id, ["unit_liaison", "unit_head"])
    users.move(session, admin, NOW, town.id, "T02")
    details = list(session.scalars(select(AdminChange.details).order_by(AdminChange.id)))
    assert details == ["单位联络员 → 单位联络员、单位负责人", "城关镇 → 石桥镇"]


def test_an_administrator_cannot_drop_their_own_admin_role_or_disable_themselves(
    session, admin, county
):
    me = county.users["admin"].id
    with pytest.raises(ValidationError, match="不能撤销自己的系统管理员角色"):
        users.set_roles(session, admin, NOW, me, ["key_office"])
    with pytest.raises(ValidationError, match="不能停用自己正在使用的账号"):
        users.set_active(session, admin, NOW, me, False)


def test_a_password_reset_ends_the_old_sessions_and_the_new_password_works(session, admin, county):
    signed = sign_in(session, "chengguan", factories.PASSWORD, NOW)
    assert user_of_session(session, signed.session_token or "") is not None
    users.reset_password(session, admin, NOW, county.users["chengguan"].id, "Fresh#2026pw")
    assert user_of_session(session, signed.session_token or "") is None
    assert sign_in(session, "chengguan", "Fresh#2026pw", NOW).ok
    assert actions(session) == ["password_reset"]


def test_a_disabled_account_is_signed_out_and_cannot_sign_in_but_is_kept(session, admin, county):
    signed = sign_in(session, "chengguan", factories.PASSWORD, NOW)
    user = users.set_active(session, admin, NOW, county.users["chengguan"].id, False)
    assert user_of_session(session, signed.session_token or "") is None
    assert not sign_in(session, "chengguan", factories.PASSWORD, NOW).ok
    with pytest.raises(Conflict):
        users.set_active(session, admin, NOW, user.id, False)
    users.set_active(session, admin, NOW, user.id, True)
    assert sign_in(session, "chengguan", factories.PASSWORD, NOW).ok
    assert actions(session) == ["user_disabled", "user_enabled"]


def test_unlocking_is_logged_in_both_records(session, admin, county):
    for _ in range(5):
        sign_in(session, "chengguan", "Wrong#2026", NOW)
    _, was_locked = users.unlock(session, admin, NOW, county.users["chengguan"].id, Client())
    assert was_locked
    assert actions(session) == ["user_unlocked"]
    unlocked = session.scalars(select(AuthEvent).where(AuthEvent.kind == "unlocked")).one()
    assert unlocked.actor == "admin"


def test_an_unknown_account_is_not_found(session, admin):
    with pytest.raises(NotFound):
        users.set_active(session, admin, NOW, 999999, False)
