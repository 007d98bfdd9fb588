"""The county's own identity: the profile's name and prefixes until an administrator edits them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from keyproj.db.models import AdminChange, CountyIdentity
from keyproj.errors import ValidationError
from keyproj.services.admin.changelog import actor_of
from keyproj.services.cases.numbering import next_notice_number, next_supervision_number
from keyproj.services.reference import identity

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
EDITED = {
    "county_name": "示范县",
    "notice_issuer": "示范县重点项目工作领导小组办公室",
    "warning_notice_prefix": "示重点办预警",
    "supervision_issuer": "示范县人民政府督查室",
    "supervision_notice_prefix": "示督立",
}


@pytest.fixture
def admin(session, county):
    county.with_people("admin")
    return actor_of(session, county.people["admin"])


def test_an_install_never_edited_numbers_its_documents_from_the_profile(session, profile):
    shown = identity.county_identity(session, profile)
    assert (shown.county_name, shown.edited_at) == ("连平县", None)
    assert next_notice_number(session, profile, 2026) == "连重点办预警〔2026〕1号"
    assert next_supervision_number(session, profile, 2026) == "连督立〔2026〕1号"


def test_lp13_the_notice_takes_the_prefix_the_administrator_set(session, profile, admin):
    assert next_notice_number(session, profile, 2026) == "连重点办预警〔2026〕1号"
    identity.save_identity(session, admin, NOW, profile, EDITED)
    assert next_notice_number(session, profile, 2026) == "示重点办预警〔2026〕1号"
    assert next_supervision_number(session, profile, 2026) == "示督立〔2026〕1号"
    shown = identity.county_identity(session, profile)
    assert (shown.county_name, shown.edited_at) == ("示范县", NOW)


def test_the_change_is_logged_field_by_field(session, profile, admin):
    identity.save_identity(session, admin, NOW, profile, EDITED)
    change = session.scalars(select(AdminChange)).one()
    assert change.action == "identity_changed"
    assert "本县名称：连平县 → 示范县" in (change.details or "")
    assert "预警催办通知字号前缀：连重点办预警 → 示重点办预警" in (change.details or "")


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("county_name", "  ", "不能为空"),
        ("warning_notice_prefix", "示预警〔", "不能含数字、括号、空格或“号”"),
        ("supervision_notice_prefix", "督2", "不能含数字、括号、空格或“号”"),
        ("notice_issuer", "办" * 101, "100"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_saved(
    session, profile, admin, field, value, reason
):
    with pytest.raises(ValidationError) as refused:
        identity.save_identity(session, admin, NOW, profile, {**EDITED, field: value})
    assert reason in refused.value.by_field()[field]
    assert session.get(CountyIdentity, 1) is None
    assert session.scalars(select(AdminChange)).first() is None
