"""Case events → notifications (X2, LP8, LP13, LP16): who is told, once, even when run twice."""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from keyproj.db.models import CaseEvent, Notification, NotificationCursor, User
from keyproj.policy import load_profile
from keyproj.services.notifications import inbox as notifications
from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.notifications import notified


def dispatch(county, moment: datetime, **kwargs) -> int:
    created = notifications.dispatch_case_events(county.session, county.at(moment), **kwargs)
    county.session.commit()
    return created


def total(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Notification)) or 0)


def cursor(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(NotificationCursor.position)) or 0


def test_X2_new_task_goes_to_users_of_candidate_units_holding_the_lane_role(county):
    session = county.session
    factories.user(session, "town-head", "T01", "unit_head")
    factories.user(session, "town-leader", "T01", "leader")  # in the unit, not the lane's role
    factories.user(session, "zdb-gone", "ZDB", "key_office").active = False
    session.commit()
    county.start(bj(2026, 2, 12, 9))
    assert dispatch(county, bj(2026, 2, 12, 9, 5)) == 1
    [note] = notified(session)["zdb"]
    task = county.task("issue_notice")
    assert (note.kind, note.title, note.link) == (
        "task_ready",
        "新待办任务：发出预警催办通知",
        f"/tasks/{task.id}",
    )
    assert (note.case_id, note.task_id, note.read_at) == (county.case.id, task.id, None)
    assert note.body == (
        "项目“城关镇污水处理厂提标改造工程”的预警案件有新的待办任务“发出预警催办通知”"
        "（重点办），请于2026-02-24 23:59前办理。"
    )
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    dispatch(county, bj(2026, 2, 13, 10, 5))
    # The lead town and the phase department each about their own part (LP13); not the other
    # town, not a mere member.
    for unit, people in (("town", ["town", "town-head"]), ("dept", ["dept"])):
        respond = county.task("respond", unit=county.people[unit].unit_id)
        told = {
            name: rows
            for name, rows in notified(session, "task_ready").items()
            if any(r.task_id == respond.id for r in rows)
        }
        assert sorted(told) == people
        assert "2026-02-25 23:59" in told[unit][0].body


def test_task_done_before_dispatch_is_not_announced(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    dispatch(county, bj(2026, 2, 13, 10, 5))
    titles = [n.title for n in notified(county.session, "task_ready").get("zdb", [])]
    assert titles == []  # the notice was issued before anyone could be told about it


def test_dispatch_twice_creates_no_duplicates(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    first = dispatch(county, bj(2026, 2, 13, 10, 1))
    assert first == total(county.session) == 3  # respond: town and dept; the notice: 督查室
    assert dispatch(county, bj(2026, 2, 13, 10, 2)) == 0  # re-read inside the window: no copies
    assert dispatch(county, bj(2026, 2, 13, 12)) == 0
    assert total(county.session) == first


def test_watermark_trails_events_that_may_still_be_committing(county):
    county.start(bj(2026, 2, 12, 9))
    last = county.session.scalar(select(func.max(CaseEvent.id)))
    dispatch(county, bj(2026, 2, 12, 9, 1))
    # A transaction still open could commit an event with a smaller id: read again next time.
    assert cursor(county.session) < last
    dispatch(county, bj(2026, 2, 12, 10))
    assert cursor(county.session) == last


def test_LP8_notice_is_copied_to_linked_leader(county):
    county.link_leader()
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    dispatch(county, bj(2026, 2, 13, 10, 5))
    [note] = notified(county.session, "notice_copy")["leader01"]
    assert note.title == "预警催办通知抄送：连重点办预警〔2026〕1号"
    assert note.body == (
        "重点办已就项目“城关镇污水处理厂提标改造工程”发出进度预警催办通知（连重点办预警〔2026〕1号），"
        "牵头责任单位：城关镇。通知内容：该项目投资完成率低于序时进度，请抓紧协调推进。"
    )
    assert note.link == f"/cases/{county.case.id}"


def test_LP8_no_copy_to_the_leader_where_the_profile_asks_for_none(county):
    county.link_leader()
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    dispatch(county, bj(2026, 2, 13, 10, 5), profile=load_profile("handan"))
    assert sorted(notified(county.session, "notice_copy")) == ["dcs"]


def test_LP13_notice_goes_to_the_supervision_office(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    dispatch(county, bj(2026, 2, 13, 10, 5))
    copies = notified(county.session, "notice_copy")
    assert sorted(copies) == ["dcs"]  # the project has no linked leader
    assert "连重点办预警〔2026〕1号" in copies["dcs"][0].title


def test_LP16_escalation_notifies_the_county_government_office(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    county.submit("town", "respond", bj(2026, 2, 26, 0, 0, 5))  # too late: the case escalates
    dispatch(county, bj(2026, 2, 26, 0, 5))
    [note] = notified(county.session, "escalated")["xfb"]
    assert note.title == "预警案件提请县政府协调"
    assert "因责任单位逾期未响应，已提请县政府协调处置" in note.body
    assert [n.title for n in notified(county.session, "task_ready")["xfb"]] == [
        "新待办任务：县府办提请分管领导协调（LP16）"
    ]
    assert sorted(notified(county.session, "escalated")) == ["xfb"]


def test_closed_case_is_reported_to_the_key_office(county):
    county.with_people("zdb2").committed()
    county.start(bj(2025, 9, 30, 10))
    county.submit("zdb", "issue_notice", bj(2025, 9, 30, 15))
    for unit in ("town", "dept"):  # each its own part (LP13)
        county.submit(unit, "respond", bj(2025, 10, 9, 10))
    for unit in ("town", "dept"):
        county.submit(unit, "report_outcome", bj(2025, 10, 20, 10))
    county.submit("zdb", "evaluate", bj(2025, 10, 21, 10))
    dispatch(county, bj(2025, 10, 21, 11))
    closed = notified(county.session, "case_closed")
    assert sorted(closed) == ["zdb", "zdb2"]
    assert closed["zdb"][0].body == (
        "项目“城关镇污水处理厂提标改造工程”的预警案件已办结，办理结果：预警已处置。"
    )


def test_concurrent_dispatches_notify_each_event_once(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    now = county.at(bj(2026, 2, 13, 12))
    make = sessionmaker(county.session.get_bind(), expire_on_commit=False)
    barrier, results = threading.Barrier(2), []

    def run() -> None:
        with make() as session:
            barrier.wait()
            results.append(notifications.dispatch_case_events(session, now))
            session.commit()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [0, 3]
    assert total(county.session) == 3


def test_users_see_only_their_own_notifications(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    dispatch(county, bj(2026, 2, 13, 12))
    session = county.session
    town = session.scalar(select(User).where(User.username == "town"))
    dept = session.scalar(select(User).where(User.username == "dept"))
    assert notifications.unread_count(session, town.id) == 1
    [mine] = notifications.list_for_user(session, town.id)
    [theirs] = notifications.list_for_user(session, dept.id)
    now = county.at(bj(2026, 2, 13, 13))
    assert notifications.mark_read(session, town.id, [mine.id, theirs.id], now) == 1
    session.commit()
    session.expire_all()
    assert notifications.unread_count(session, town.id) == 0
    assert notifications.unread_count(session, dept.id) == 1  # not his to mark
    assert mine.read_at == now
    assert theirs.read_at is None
    assert notifications.mark_read(session, town.id, [mine.id], now) == 0  # already read
