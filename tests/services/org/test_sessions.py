"""Browser sessions: one nonce a user, shared by their browsers, replaced when they sign out."""

from __future__ import annotations

from keyproj.clock import now_utc
from keyproj.services.org.auth import sign_in, sign_out
from keyproj.services.org.sessions import end_sessions, session_token, user_of_session
from tests.builders import factories


def signed_in(session, username: str) -> str:
    """The session token of a successful sign-in of ``username``."""
    token = sign_in(session, username, factories.PASSWORD, now_utc()).session_token
    assert token is not None
    return token


def test_every_browser_of_a_user_shares_the_session_until_sign_out(session, county):
    county.with_people("chengguan")
    user_id = county.chengguan.id
    first = signed_in(session, "chengguan")
    second = signed_in(session, "chengguan")
    assert first == second
    assert user_of_session(session, first) is county.chengguan
    sign_out(session, user_id, now_utc())
    assert user_of_session(session, first) is None
    third = signed_in(session, "chengguan")
    assert third != first
    assert user_of_session(session, third) is county.chengguan


def test_a_token_names_the_user_and_a_secret_no_one_can_guess(session, county):
    county.with_people("chengguan", "shiqiao")
    token = session_token(county.chengguan)
    user_id, nonce = token.split(":")
    assert user_id == str(county.chengguan.id)
    assert len(nonce) >= 32
    assert session_token(county.shiqiao).split(":")[1] != nonce
    # Someone else's id with this nonce is no session of theirs.
    assert user_of_session(session, f"{county.shiqiao.id}:{nonce}") is None


def test_malformed_tokens_are_no_session(session, county):
    county.with_people("chengguan")
    nonce = session_token(county.chengguan).split(":")[1]
    uid = county.chengguan.id
    for token in ("", str(uid), f"{uid}:", f":{nonce}", f"{uid}:{nonce}x", f"{uid}:{nonce[:-1]}",
                  f"99999999999:{nonce}", f"-1:{nonce}", f"０{uid}:{nonce}", f"{uid}:{nonce}\udc80"):  # fmt: skip
        assert user_of_session(session, token) is None, token
    assert user_of_session(session, f"{uid}:{nonce}") is county.chengguan


def test_a_deactivated_user_has_no_session(session, county):
    county.with_people("chengguan")
    token = session_token(county.chengguan)
    county.chengguan.active = False
    assert user_of_session(session, token) is None


def test_ending_the_sessions_of_one_user_leaves_the_others(session, county):
    county.with_people("chengguan", "shiqiao")
    mine, theirs = session_token(county.chengguan), session_token(county.shiqiao)
    end_sessions(county.chengguan)
    assert user_of_session(session, mine) is None
    assert user_of_session(session, theirs) is county.shiqiao
