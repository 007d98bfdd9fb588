"""One way a handler ends its changes: committed when accepted, rolled back and kept when refused."""

from __future__ import annotations

import pytest
from flask import get_flashed_messages
from sqlalchemy import select

from keyproj.db.models import Unit
from keyproj.errors import Conflict, ValidationError
from web.commit import commit_or_refuse
from web.db import db_session


def unit_names(session) -> list[str]:
    """The names of the units whose code starts with TC, as another connection sees them."""
    session.expire_all()
    return list(session.scalars(select(Unit.name).where(Unit.code.like("TC%"))))


def add_unit(code: str, name: str) -> None:
    """A change made through the request's session, as a service would."""
    db_session().add(Unit(code=code, name=name, kind="town"))
    db_session().flush()


def test_accepted_changes_are_committed_and_the_user_told(app, session):
    with app.test_request_context("/"):
        with commit_or_refuse(Conflict) as outcome:
            add_unit("TC1", "新建镇")
        outcome.flash("已保存")
        assert outcome.refusal is None
        assert get_flashed_messages(with_categories=True) == [("success", "已保存")]
    assert unit_names(session) == ["新建镇"]


def test_a_refusal_rolls_back_and_its_message_is_what_the_user_reads(app, session):
    with app.test_request_context("/"):
        with commit_or_refuse(ValidationError, Conflict) as outcome:
            add_unit("TC2", "半途镇")
            raise Conflict("该任务已由他人认领")
        outcome.flash("已保存")
        assert isinstance(outcome.refusal, Conflict)
        assert get_flashed_messages(with_categories=True) == [("error", "该任务已由他人认领")]
        # the session is usable after the rollback, and the change is gone from it too
        assert db_session().scalar(select(Unit).where(Unit.code == "TC2")) is None
    assert unit_names(session) == []


def test_an_error_that_is_not_a_refusal_propagates_uncommitted(app, session):
    def failing_handler() -> None:
        with commit_or_refuse(Conflict):
            add_unit("TC3", "故障镇")
            raise ValueError("bug")

    with app.test_request_context("/"), pytest.raises(ValueError, match="bug"):
        failing_handler()
    assert unit_names(session) == []
