"""API tokens: bounded lifetimes, a listing with ids (never the token), revocation by id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from keyproj.errors import NotFound, ValidationError
from keyproj.services.org import tokens

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize("days", [0, -1, tokens.MAX_DAYS + 1, 99_999_999])
def test_a_lifetime_outside_1_to_3650_days_is_refused_naming_the_field(days):
    with pytest.raises(ValidationError) as info:
        tokens.expiry_after(NOW, days)
    assert "1至3650" in info.value.by_field()["days"]


def test_lifetimes_within_the_bounds_and_none_for_no_expiry():
    assert tokens.expiry_after(NOW, 1) == NOW + timedelta(days=1)
    assert tokens.expiry_after(NOW, 3650) == NOW + timedelta(days=3650)
    assert tokens.expiry_after(NOW, None) is None


def test_issuing_a_token_beyond_ten_years_is_refused(session, county):
    county.with_people("chengguan")
    with pytest.raises(ValidationError) as info:
        tokens.issue_token(session, county.chengguan, "x", NOW, NOW + timedelta(days=3651))
    assert "最长3650天" in info.value.by_field()["expires_at"]
    assert tokens.token_listing(session) == []


def test_the_listing_gives_ids_owners_and_states_but_never_the_token(session, county):
    county.with_people("chengguan", "shiqiao", "zdb")
    raw_a = tokens.issue_token(session, county.chengguan, "市系统", NOW)
    tokens.issue_token(session, county.shiqiao, "省系统", NOW, NOW + timedelta(days=1))
    tokens.issue_token(session, county.chengguan, "旧接口", NOW)
    listing = tokens.token_listing(session)
    assert [(t.username, t.name) for t in listing] == [
        ("chengguan", "市系统"),
        ("shiqiao", "省系统"),
        ("chengguan", "旧接口"),
    ]
    assert listing[0].prefix == raw_a[: tokens.PREFIX_LENGTH]
    assert raw_a not in repr(listing)
    tokens.verify(session, raw_a, NOW + timedelta(hours=1))
    tokens.revoke(session, listing[2].id, NOW + timedelta(hours=2))
    later = NOW + timedelta(days=2)
    listing = tokens.token_listing(session)
    assert [t.state(later) for t in listing] == ["有效", "已过期", "已吊销"]
    assert listing[0].last_used_at == NOW + timedelta(hours=1)
    assert listing[2].revoked_at == NOW + timedelta(hours=2)
    assert [t.name for t in tokens.token_listing(session, "chengguan")] == ["市系统", "旧接口"]
    assert tokens.token_listing(session, "zdb") == []


def test_listing_the_tokens_of_an_unknown_user_is_not_found(session, county):
    with pytest.raises(NotFound, match="用户“nobody”不存在"):
        tokens.token_listing(session, "nobody")


@pytest.mark.parametrize("token_id", [0, 999_999, 2**31, 10**12])
def test_revoking_an_unknown_id_is_not_found(session, county, token_id):
    with pytest.raises(NotFound, match=f"令牌 {token_id} 不存在"):
        tokens.revoke(session, token_id, NOW)


def test_a_second_revocation_in_the_same_clock_tick_is_told_apart(session, county):
    county.with_people("chengguan")
    tokens.issue_token(session, county.chengguan, "旧接口", NOW)
    [token] = tokens.token_listing(session)
    assert tokens.revoke(session, token.id, NOW)[1] is True
    again, revoked_now = tokens.revoke(session, token.id, NOW)  # the same moment: no new revocation
    assert revoked_now is False
    assert again.revoked_at == NOW
