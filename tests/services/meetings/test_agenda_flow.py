"""Dancheng's dispatch meeting of 2 February 2026 from the ask day to the minutes (DC3, DC7):
units asked around the 20th, items approved by the project's 分包领导, the agenda compiled with
the projects' figures, attendance with leave, all on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO
from typing import Any

import pytest
from chinese_calendar import constants
from docx import Document
from sqlalchemy import func, select

from keyproj.calendar import WorkCalendar
from keyproj.codes import MeetingState, SubmissionState
from keyproj.db.models import Meeting, MeetingAttendance, Notification
from keyproj.errors import NotFound, PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.services.meetings import holding
from keyproj.services.meetings.agenda import review, submit, visible_meeting
from keyproj.services.meetings.compiling import agenda_docx, compile_agenda
from keyproj.services.meetings.planning import daily_beat, reschedule
from tests.builders.county import County

CALENDAR = WorkCalendar.build(
    {d.year for d in constants.holidays}, constants.holidays, constants.workdays
)
DANCHENG = load_profile("dancheng")
ASK_DAY = datetime(2026, 1, 20, 1, tzinfo=UTC)  # 20 January 2026, 09:00 in Beijing
HELD_DAY = datetime(2026, 2, 2, 2, tzinfo=UTC)  # 2 February 2026, 10:00: the meeting's day


@pytest.fixture
def dancheng(county: County) -> County:
    county.with_projects("plant", "bridge").with_people("zdb", "town", "other", "dept")
    county.with_warning()
    county.report(
        county.projects["plant"], "monthly", "2026-01", annual="300", cumulative_completed="1800"
    )
    county.link_leader("leader01", county.projects["plant"])
    return county


def _feb_meeting(county: County) -> Meeting:
    daily_beat(county.session, DANCHENG, CALENDAR, date(2026, 1, 20), ASK_DAY)
    return county.session.scalars(select(Meeting).where(Meeting.held_on == date(2026, 2, 2))).one()


def _notes(county: County, username: str, kind: str) -> int:
    user = county.users[username]
    return county.session.scalar(
        select(func.count()).select_from(Notification).where(
            Notification.user_id == user.id, Notification.kind == kind
        )
    ) or 0  # fmt: skip


def test_dc3_on_the_20th_the_units_of_the_projects_are_asked_once(dancheng: County):
    meeting = _feb_meeting(dancheng)
    assert (meeting.state, meeting.ask_on, meeting.due_on) == (
        MeetingState.COLLECTING, date(2026, 1, 20), date(2026, 1, 26),
    )  # fmt: skip
    assert {i.unit.code for i in meeting.invites} == {"T01", "T02"}
    again = daily_beat(dancheng.session, DANCHENG, CALENDAR, date(2026, 1, 20), ASK_DAY)
    assert again["asked"] == 0
    assert _notes(dancheng, "town", "agenda_request") == 1
    assert _notes(dancheng, "dept", "agenda_request") == 0  # D01 leads no project


def test_dc3_a_unit_that_has_not_submitted_is_reminded_two_days_before_the_due_day(
    dancheng: County,
):
    meeting = _feb_meeting(dancheng)
    submit(dancheng.session, dancheng.people["town"], meeting.id,
           {"project_code": dancheng.projects["plant"].code, "progress": "主体完工"}, ASK_DAY)  # fmt: skip
    quiet = daily_beat(dancheng.session, DANCHENG, CALENDAR, date(2026, 1, 23), ASK_DAY)
    assert quiet["reminded"] == 0
    due = daily_beat(dancheng.session, DANCHENG, CALENDAR, date(2026, 1, 24), ASK_DAY)
    assert due["reminded"] == 1  # only 石桥镇's liaison
    assert (
        _notes(dancheng, "other", "agenda_reminder"),
        _notes(dancheng, "town", "agenda_reminder"),
    ) == (1, 0)


def test_dc3_the_leader_in_charge_approves_returns_and_only_they_may(dancheng: County):
    meeting = _feb_meeting(dancheng)
    s, plant = dancheng.session, dancheng.projects["plant"]
    item = submit(s, dancheng.people["town"], meeting.id,
                  {"project_code": plant.code, "progress": "主体完工", "requests": "协调电力接入"}, ASK_DAY)  # fmt: skip
    assert _notes(dancheng, "leader01", "agenda_review") == 1
    with pytest.raises(PermissionDenied):
        review(s, dancheng.people["zdb"], item.id, True, "", ASK_DAY)
    with pytest.raises(ValidationError) as refused:
        review(s, dancheng.people["leader01"], item.id, False, " ", ASK_DAY)
    assert refused.value.by_field() == {"note": "退回时请写明理由"}
    review(s, dancheng.people["leader01"], item.id, False, "请补充用地问题", ASK_DAY)
    again = submit(s, dancheng.people["town"], meeting.id,
                   {"project_code": plant.code, "progress": "主体完工，用地已落实"}, ASK_DAY)  # fmt: skip
    assert (again.id, again.state) == (item.id, SubmissionState.SUBMITTED)
    assert review(s, dancheng.people["leader01"], item.id, True, "", ASK_DAY).state == "approved"


def test_a_submission_names_each_wrong_field(dancheng: County):
    meeting = _feb_meeting(dancheng)
    with pytest.raises(ValidationError) as bad:
        submit(dancheng.session, dancheng.people["town"], meeting.id,
               {"project_code": dancheng.projects["bridge"].code, "progress": ""}, ASK_DAY)  # fmt: skip
    assert "不是本单位牵头的项目" in bad.value.by_field()["project_code"]
    with pytest.raises(ValidationError) as empty:
        submit(dancheng.session, dancheng.people["town"], meeting.id,
               {"project_code": dancheng.projects["plant"].code, "progress": " ", "issues": "x" * 2001}, ASK_DAY)  # fmt: skip
    assert empty.value.by_field() == {
        "progress": "请填写项目进展情况",
        "issues": "不能超过2000个字",
    }


def test_units_see_only_the_meetings_they_are_asked_to(dancheng: County):
    meeting = _feb_meeting(dancheng)
    assert visible_meeting(dancheng.session, dancheng.people["other"], meeting.id) == meeting
    with pytest.raises(NotFound):
        visible_meeting(dancheng.session, dancheng.people["dept"], meeting.id)


def test_dc3_compiled_agenda_carries_the_projects_current_figures_into_the_docx(dancheng: County):
    meeting = _feb_meeting(dancheng)
    s, plant = dancheng.session, dancheng.projects["plant"]
    item = submit(s, dancheng.people["town"], meeting.id,
                  {"project_code": plant.code, "progress": "主体完工", "issues": "电力未接入"}, ASK_DAY)  # fmt: skip
    review(s, dancheng.people["leader01"], item.id, True, "", ASK_DAY)
    submit(s, dancheng.people["other"], meeting.id,
           {"project_code": dancheng.projects["bridge"].code, "progress": "未审核的议题"}, ASK_DAY)  # fmt: skip
    with pytest.raises(PermissionDenied):
        compile_agenda(s, DANCHENG, dancheng.people["town"], meeting.id, ASK_DAY)
    compiled = compile_agenda(s, DANCHENG, dancheng.people["zdb"], meeting.id, ASK_DAY)
    assert compiled.state == MeetingState.COMPILED
    assert compiled.agenda is not None
    [row] = compiled.agenda["items"]  # the bridge's item is not approved: not on the agenda
    assert (row["project"], row["report_period"], row["annual_completed"]) == (
        plant.name,
        "2026-01",
        "300.00",
    )
    assert (row["cumulative_completed"], row["open_warnings"], row["colour"]) == (
        "1800.00",
        1,
        "无年度计划",
    )
    text = "\n".join(
        p.text
        for p in Document(
            BytesIO(agenda_docx(s, DANCHENG, dancheng.people["zdb"], meeting.id))
        ).paragraphs
    )
    assert "重点项目推进调度例会议题" in text
    assert (
        f"1. {plant.name}（城关镇）：截至2026年1月，年度完成投资300.00万元、累计完成投资1800.00万元"
        in text
    )
    assert "未解除预警1条" in text
    assert "问题：电力未接入" in text


ATTENDANCE = [
    {"unit_code": "T01", "person": "王镇长", "status": "present"},
    {"unit_code": "T02", "person": "赵镇长", "status": "leave", "reason": "赴省参加培训"},
    {"unit_code": "D01", "person": "孙局长", "status": "absent"},
]


def test_dc7_attendance_leave_needs_a_reason_and_absence_without_leave_is_flagged(dancheng: County):
    meeting = _feb_meeting(dancheng)
    s, office = dancheng.session, dancheng.people["zdb"]
    bad = [*ATTENDANCE[:1], {"unit_code": "T02", "person": "赵镇长", "status": "leave"},
           {"unit_code": "X9", "person": "", "status": "late"}]  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        holding.hold(s, DANCHENG, office, meeting.id, bad, "纪要", [], HELD_DAY)
    assert refused.value.by_field() == {
        "attendance[1].reason": "请假须写明事由",
        "attendance[2].unit_code": "没有代码为“X9”的单位",
        "attendance[2].status": "应为出席、替会、请假或无故缺席",
    }
    held = holding.hold(
        s, DANCHENG, office, meeting.id, ATTENDANCE, "研究了电力接入问题。", [], HELD_DAY
    )
    assert held.meeting.state == MeetingState.HELD
    assert [(r.person, r.status, r.reason) for r in held.attendance] == [
        ("王镇长", "present", None), ("赵镇长", "leave", "赴省参加培训"), ("孙局长", "absent", None),
    ]  # fmt: skip
    assert [r.person for r in held.absent_without_leave] == ["孙局长"]


def test_a_refused_decided_item_leaves_the_meeting_unheld(
    dancheng: County, monkeypatch: pytest.MonkeyPatch
):
    meeting = _feb_meeting(dancheng)
    seen: list[Any] = []

    def refuse(session, profile, viewer, meeting, rows, now):  # the decisions service's part
        seen.append(rows)
        raise ValidationError.single(
            "items[0].owner_unit_code", "议定事项第1项·责任单位", "没有该单位"
        )

    monkeypatch.setattr(holding, "record_decisions", refuse)
    items = [
        {
            "matter": "接入电力",
            "owner_unit_code": "ZZ",
            "due_on": "2026-02-20",
            "acceptance": "通电",
        }
    ]
    with pytest.raises(ValidationError):
        holding.hold(
            dancheng.session,
            DANCHENG,
            dancheng.people["zdb"],
            meeting.id,
            ATTENDANCE,
            "纪要",
            items,
            HELD_DAY,
        )
    assert seen == [items]
    assert meeting.state == MeetingState.COLLECTING
    assert meeting.minutes is None
    assert dancheng.session.scalar(select(func.count()).select_from(MeetingAttendance)) == 0


def test_dc3_the_office_moves_a_meeting_as_its_notice_says_and_the_due_day_follows(
    dancheng: County,
):
    meeting = _feb_meeting(dancheng)
    s, office = dancheng.session, dancheng.people["zdb"]
    with pytest.raises(ValidationError) as bad:
        reschedule(s, DANCHENG, CALENDAR, office, meeting.id,
                   {"held_on": "2026-02-30", "starts_at": "9点", "place": "x" * 201})  # fmt: skip
    assert bad.value.by_field() == {
        "held_on": "应为YYYY-MM-DD格式的日期",
        "starts_at": "应为HH:MM格式的时刻",
        "place": "不能超过200个字",
    }
    with pytest.raises(PermissionDenied):
        reschedule(s, DANCHENG, CALENDAR, dancheng.people["town"], meeting.id, {})
    moved = reschedule(s, DANCHENG, CALENDAR, office, meeting.id,
                       {"held_on": "2026-02-03", "starts_at": "15:00", "place": "县政府三楼会议室"})  # fmt: skip
    assert (moved.held_on, str(moved.starts_at), moved.place) == (
        date(2026, 2, 3),
        "15:00:00",
        "县政府三楼会议室",
    )
    assert moved.due_on == date(2026, 1, 27)  # still a week before (DC3)


def test_dc3_a_meeting_is_not_recorded_as_held_before_its_day(dancheng: County):
    meeting = _feb_meeting(dancheng)
    s, office = dancheng.session, dancheng.people["zdb"]
    eve = datetime(2026, 2, 1, 15, 59, tzinfo=UTC)  # 1 February, 23:59 in Beijing
    with pytest.raises(ValidationError) as refused:
        holding.hold(s, DANCHENG, office, meeting.id, ATTENDANCE, "纪要", [], eve)
    assert refused.value.by_field() == {
        "held_on": "会议定于2026年2月2日召开，当天起才能记录为已召开"
    }
    assert "会议日期" in str(refused.value)
    assert meeting.state == MeetingState.COLLECTING
    midnight = datetime(2026, 2, 1, 16, 0, tzinfo=UTC)  # 2 February, 00:00 in Beijing
    held = holding.hold(s, DANCHENG, office, meeting.id, ATTENDANCE, "纪要", [], midnight)
    assert held.meeting.state == MeetingState.HELD


def test_dc7_a_units_row_left_without_a_name_stands_for_its_principal(dancheng: County):
    meeting = _feb_meeting(dancheng)
    s, office = dancheng.session, dancheng.people["zdb"]
    rows = [
        {"unit_code": "T01", "person": "", "status": "present"},  # as the form fills it in
        {"unit_code": "D01", "person": "", "status": "absent"},
        {"unit_code": "T02", "person": "", "status": "substitute"},
        {"unit_code": "", "person": "", "status": "absent"},
    ]
    with pytest.raises(ValidationError) as refused:
        holding.hold(s, DANCHENG, office, meeting.id, rows, "纪要", [], HELD_DAY)
    assert refused.value.by_field() == {
        "attendance[2].person": "替会须填写实际参会人姓名",
        "attendance[3].person": "请填写参会人姓名，或填写单位代码",
    }
    nameless = [{"unit_code": "", "person": "孙局长", "status": "absent"}]
    with pytest.raises(ValidationError, match="无故缺席须填写单位代码"):  # DC7: still a unit
        holding.hold(s, DANCHENG, office, meeting.id, nameless, "纪要", [], HELD_DAY)
    held = holding.hold(s, DANCHENG, office, meeting.id, rows[:2], "纪要", [], HELD_DAY)
    towns = {u.code: u.name for u in (r.unit for r in held.attendance) if u}
    assert [(r.person, r.status) for r in held.attendance] == [
        (f"{towns['T01']}主要负责人", "present"),
        (f"{towns['D01']}主要负责人", "absent"),
    ]
    [proposal] = held.proposed  # DC7 三(一): the absent unit is still named for criticism
    assert proposal.person == f"{towns['D01']}主要负责人"
