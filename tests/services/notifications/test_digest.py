"""The daily digest (issue 15): a user who prefers it gets one notification and one mail a day
for their task notifications, instead of one each; nothing is lost or sent twice."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from keyproj.codes import NotificationKind, NotificationMode
from keyproj.db.models import OutgoingMail
from keyproj.errors import ValidationError
from keyproj.services.notifications import digest
from keyproj.services.notifications import inbox as notifications
from keyproj.services.notifications.store import Message, notify
from tests.builders.clock import bj
from tests.builders.notifications import notified


def task_message(n: int) -> Message:
    return Message(
        NotificationKind.TASK_READY, f"新待办任务：第{n}项", f"请办理第{n}项。", "/inbox"
    )


def mails(session, user) -> int:
    query = (
        select(func.count()).select_from(OutgoingMail).where(OutgoingMail.to_address == user.email)
    )
    return int(session.scalar(query) or 0)


@pytest.fixture
def people(county):
    """``town`` takes a digest, ``other`` takes each notification at once; both have mail."""
    town, other = county.users["town"], county.users["other"]
    town.email, other.email = "town@example.cn", "other@example.cn"
    digest.set_mode(county.session, town.id, "digest")
    county.session.flush()
    return town, other


def test_a_digest_user_sees_one_unread_entry_and_gets_one_mail_a_day(session, people):
    town, other = people
    for n in range(1, 4):
        notify(
            session,
            [(town.id, f"t{n}", task_message(n)), (other.id, f"t{n}", task_message(n))],
            bj(2026, 3, 2, 9 + n),
        )
    # The immediate user: three unread and three mails. The digest user: none yet.
    assert notifications.unread_count(session, other.id) == 3
    assert mails(session, other) == 3
    assert notifications.unread_count(session, town.id) == 0
    assert mails(session, town) == 0

    assert digest.send_digests(session, bj(2026, 3, 3, 8, 30)) == 1

    assert notifications.unread_count(session, town.id) == 1
    [entry] = [n for n in notifications.list_for_user(session, town.id) if n.read_at is None]
    assert entry.kind == NotificationKind.DAILY_DIGEST
    assert entry.title == "2026年3月3日通知汇总（3 条）"
    assert "· 新待办任务：第1项" in entry.body
    assert "· 新待办任务：第3项" in entry.body
    assert mails(session, town) == 1
    # The gathered ones stay in the list as read history.
    assert len(notifications.list_for_user(session, town.id)) == 4


def test_a_second_run_the_same_day_sends_nothing_and_keeps_new_ones_for_tomorrow(session, people):
    town, _ = people
    notify(session, [(town.id, "t1", task_message(1))], bj(2026, 3, 2, 10))
    assert digest.send_digests(session, bj(2026, 3, 3, 8, 30)) == 1
    notify(session, [(town.id, "t2", task_message(2))], bj(2026, 3, 3, 9))
    assert digest.send_digests(session, bj(2026, 3, 3, 9, 30)) == 0
    assert notifications.unread_count(session, town.id) == 1
    assert digest.send_digests(session, bj(2026, 3, 4, 8, 30)) == 1
    digests = notified(session, NotificationKind.DAILY_DIGEST)["town"]
    assert [d.title for d in digests] == [
        "2026年3月3日通知汇总（1 条）",
        "2026年3月4日通知汇总（1 条）",
    ]
    assert mails(session, town) == 2


def test_other_kinds_still_reach_a_digest_user_at_once(session, people):
    town, _ = people
    escalated = Message(NotificationKind.ESCALATED, "提请县政府", "案件已提请县政府。")
    notify(session, [(town.id, "e1", escalated)], bj(2026, 3, 2, 10))
    assert notifications.unread_count(session, town.id) == 1
    assert mails(session, town) == 1


def test_switching_back_to_immediate_shows_what_was_held(session, people):
    town, _ = people
    notify(session, [(town.id, "t1", task_message(1))], bj(2026, 3, 2, 10))
    assert digest.mode_of(session, town.id) == NotificationMode.DIGEST
    digest.set_mode(session, town.id, "immediate")
    assert notifications.unread_count(session, town.id) == 1
    assert digest.send_digests(session, bj(2026, 3, 3, 8, 30)) == 0


def test_an_unknown_mode_is_refused_naming_the_field(session, people):
    town, _ = people
    with pytest.raises(ValidationError, match="通知方式"):
        digest.set_mode(session, town.id, "weekly")
    assert digest.mode_of(session, town.id) == NotificationMode.DIGEST


def test_task_notifications_from_case_events_are_held_for_the_digest(county):
    session = county.session
    digest.set_mode(session, county.users["zdb"].id, "digest")
    session.commit()
    county.start(bj(2026, 2, 12, 9))
    assert notifications.dispatch_case_events(session, county.at(bj(2026, 2, 12, 9, 5))) == 1
    assert notifications.unread_count(session, county.users["zdb"].id) == 0
    assert digest.send_digests(session, bj(2026, 2, 13, 8, 30)) == 1
    [entry] = notified(session, NotificationKind.DAILY_DIGEST)["zdb"]
    assert "发出预警催办通知" in entry.body
