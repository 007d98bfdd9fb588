"""The meeting pages under Dancheng's profile (DC3, DC7): the year's schedule as the service
lists it, a unit's item, the leader's approval, the compiled agenda, attendance; scope."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from keyproj.db.models import AgendaSubmission, Meeting, MeetingAttendance
from keyproj.services.meetings.compiling import agenda_lines
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.meetings import dancheng_asked
from tests.builders.pages import visible_text
from tests.builders.web import bearer, client_under, json_of, login
from tests.builders.words import problems, raw_words

HELD = datetime(2026, 2, 2, 3, tzinfo=UTC)  # 2 February 2026, 11:00 in Beijing: the meeting's day


@pytest.fixture
def dc(county: County) -> County:
    """Dancheng's February meeting, its units asked (DC3)."""
    return dancheng_asked(county)


def _as(client: FlaskClient, username: str) -> None:
    client.post("/logout")
    login(client, username)


def _meeting(county: County) -> Meeting:
    return county.session.scalars(select(Meeting).where(Meeting.held_on == date(2026, 2, 2))).one()


def test_dc3_the_year_page_lists_the_first_mondays_with_octobers_moved(dc_client, dc):
    login(dc_client, "zdb")
    page = dc_client.get("/meetings?year=2026")
    assert page.status_code == 200
    text = visible_text(page.get_data(as_text=True))
    assert "重点项目推进调度例会" in text
    assert "2026-10-08" in text
    assert "2026-10-05（逢节假日顺延）" in text
    assert text.count("未开启") == 10  # February and March are opened by the beat job
    assert problems(text, set(), raw_words()) == []
    bad = dc_client.get("/meetings?year=twenty")
    assert bad.status_code == 400
    assert "年度" in bad.get_data(as_text=True)


def test_x5_a_year_without_holidays_is_said_in_chinese_on_the_meeting_page(dc_client, dc):
    login(dc_client, "zdb")
    page = dc_client.get("/meetings?year=2027")
    assert page.status_code == 200
    said = re.search(r'<p class="error">(.*?)</p>', page.get_data(as_text=True), re.S)
    assert said is not None
    assert "2027年的节假日安排尚未录入" in said.group(1)
    # The command and the file it names are the administrator's; no other Latin words.
    rest = re.sub(r"`[^`]*`|docs/calendar\.md", "", said.group(1))
    assert re.findall(r"[A-Za-z]{2,}", rest) == []


def test_dc3_item_approval_agenda_and_attendance_through_the_pages(dc_client, dc):
    meeting = _meeting(dc)
    url = f"/meetings/{meeting.id}"
    login(dc_client, "town")
    empty = dc_client.post(f"{url}/submissions", data={"project_code": dc.projects["plant"].code})
    assert empty.status_code == 422
    assert "项目进展情况：请填写项目进展情况" in empty.get_data(as_text=True)
    dc_client.post(f"{url}/submissions", data={
        "project_code": dc.projects["plant"].code, "progress": "主体完工", "requests": "协调电力接入",
    })  # fmt: skip
    [item] = dc.session.scalars(select(AgendaSubmission)).all()
    _as(dc_client, "leader01")
    assert "同意" in dc_client.get(url).get_data(as_text=True)
    dc_client.post(
        f"/meetings/submissions/{item.id}", data={"decision": "approve", "meeting": meeting.id}
    )
    _as(dc_client, "zdb")
    assert dc_client.post(f"{url}/compile").status_code == 303
    dc.session.expire_all()
    html = dc_client.get(url).get_data(as_text=True)
    for line in agenda_lines(_meeting(dc), "重点项目推进调度例会"):
        assert line in visible_text(html)
    assert "截至2026年1月，年度完成投资300.00万元" in html
    docx = dc_client.get(f"{url}/agenda.docx")
    assert docx.status_code == 200
    assert docx.headers["Content-Disposition"] == (
        f"attachment; filename*=UTF-8''{quote('2026年02月02日重点项目推进调度例会议题.docx')}"
    )
    assert docx.data[:2] == b"PK"
    held = dc_client.post(f"{url}/hold", data={
        "att_unit_code": ["T01", "T02", "D01"], "att_person": ["王镇长", "赵镇长", "孙局长"],
        "att_status": ["present", "leave", "absent"], "att_reason": ["", "赴省参加培训", ""],
        "minutes": "研究了电力接入问题。",
    }, follow_redirects=True)  # fmt: skip
    text = visible_text(held.get_data(as_text=True))
    assert "无故缺席：孙局长（已标记，已提出通报批评建议待确认）" in text
    assert "赴省参加培训" in text
    rows = dc.session.scalars(select(MeetingAttendance).order_by(MeetingAttendance.id)).all()
    assert [(r.person, r.status) for r in rows] == [
        ("王镇长", "present"),
        ("赵镇长", "leave"),
        ("孙局长", "absent"),
    ]
    assert problems(text, set(), raw_words()) == []


def test_dc3_a_refused_agenda_item_keeps_what_the_unit_typed(dc_client, dc):
    url = f"/meetings/{_meeting(dc).id}"
    login(dc_client, "town")
    refused = dc_client.post(f"{url}/submissions", data={
        "project_code": dc.projects["plant"].code, "progress": " ",
        "issues": "电力线路未接入厂区", "requests": "请供电公司排期接入",
    })  # fmt: skip
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "项目进展情况：请填写项目进展情况" in html
    assert '<textarea id="issues" name="issues">电力线路未接入厂区</textarea>' in html
    assert '<textarea id="requests" name="requests">请供电公司排期接入</textarea>' in html
    assert dc.session.scalars(select(AgendaSubmission)).all() == []


def test_dc7_a_refused_meeting_record_keeps_attendance_minutes_and_items(dc_client, dc):
    url = f"/meetings/{_meeting(dc).id}"
    login(dc_client, "zdb")
    refused = dc_client.post(f"{url}/hold", data={
        "att_unit_code": ["T01", "T02"], "att_person": ["王镇长", "赵镇长"],
        "att_status": ["present", "leave"], "att_reason": ["", ""],
        "minutes": "研究了电力接入问题。",
        "item_matter": ["协调电力接入"], "item_owner_unit_code": ["T01"],
        "item_due_on": ["2026-03-31"], "item_acceptance": ["厂区通电"], "item_project_code": [""],
    })  # fmt: skip
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "请假须写明事由" in html
    assert 'name="att_person" value="赵镇长"' in html
    assert '<option value="leave" selected>请假</option>' in html
    assert '<textarea id="minutes" name="minutes">研究了电力接入问题。</textarea>' in html
    assert 'name="item_matter" value="协调电力接入"' in html
    assert 'name="item_due_on" placeholder="YYYY-MM-DD" value="2026-03-31"' in html
    dc.session.expire_all()
    assert dc.session.scalars(select(MeetingAttendance)).all() == []
    assert _meeting(dc).minutes is None


def test_hd4_the_key_office_cannot_open_a_department_meeting_each_department_holds_its_own(
    engine, tmp_path, county
):
    county.with_projects("plant").with_people("town").committed()
    county.at(bj(2026, 3, 2, 9))
    with client_under(engine, tmp_path, "handan") as client:
        login(client, "zdb")
        opened = client.post(
            "/meetings/open",
            data={"series": "department", "nominal_on": "2026-03-10"},
            follow_redirects=True,
        )
        assert "部门（单位）月调度须由各责任部门（单位）分别召开" in opened.get_data(as_text=True)


def test_units_not_asked_see_no_meeting_and_others_items_stay_hidden(dc_client, dc):
    meeting = _meeting(dc)
    login(dc_client, "dept")  # 县交通运输局 leads no project: not asked
    assert dc_client.get(f"/meetings/{meeting.id}").status_code == 404
    year = visible_text(dc_client.get("/meetings?year=2026").get_data(as_text=True))
    assert "2026-02-02" not in year
    assert "未开启" not in year
    _as(dc_client, "town")
    dc_client.post(f"/meetings/{meeting.id}/submissions", data={
        "project_code": dc.projects["plant"].code, "progress": "城关镇的议题"})  # fmt: skip
    _as(dc_client, "other")
    page = dc_client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "城关镇的议题" not in page
    assert "报送议题" in page
    assert dc_client.post(f"/meetings/{meeting.id}/compile").status_code == 403


def test_gs1_gs6_guangshans_year_page_shows_the_merged_spring_festival_meeting(
    engine: Engine, tmp_path: Path, county: County
):
    county.committed()  # the key office's zdb comes with the web tests' county
    with client_under(engine, tmp_path, "guangshan") as client:
        login(client, "zdb")
        text = visible_text(client.get("/meetings?year=2026").get_data(as_text=True))
    for name in ("重点项目周例会", "重点项目专题会", "重点项目推进汇报会", "联审联批工作会议"):
        assert name in text
    assert "2026-02-23（逢节假日顺延）（与2026-02-16合并召开）" in text
    # 51 weekly, 12 topic, 6 report and 26 joint approval meetings, none opened yet.
    assert text.count("未开启") == 51 + 12 + 6 + 26


def test_dc3_a_decided_item_held_on_the_page_is_listed_under_its_meeting_and_in_the_api(
    dc_client, dc
):
    meeting = _meeting(dc)
    url = f"/meetings/{meeting.id}"
    with time_machine.travel(HELD, tick=False):
        login(dc_client, "zdb")
        held = dc_client.post(f"{url}/hold", data={
            "att_unit_code": ["T01"], "att_person": ["王镇长"], "att_status": ["present"],
            "att_reason": [""], "minutes": "研究电力接入。",
            "item_matter": ["完成电力线路迁改"], "item_owner_unit_code": ["T01"],
            "item_due_on": ["2026-02-27"], "item_acceptance": ["供电公司验收"],
            "item_project_code": [""],
        }, follow_redirects=True)  # fmt: skip
        text = visible_text(held.get_data(as_text=True))
        assert "会议已记录" in text
        listed = text[text.index("议定事项") :]
        for shown in ("完成电力线路迁改", "城关镇", "2026-02-27", "供电公司验收", "落实中"):
            assert shown in listed
        office = bearer(dc.session, dc.users["zdb"])
        detail = json_of(dc_client.get(f"/api/v1/meetings/{meeting.id}", headers=office))
        [item] = detail["decided_items"]
        assert (item["matter"], item["due_on"], item["state"]) == (
            "完成电力线路迁改",
            "2026-02-27",
            "in_progress",
        )
        _as(dc_client, "other")  # 石桥镇 was asked too, but the item is 城关镇's
        others = visible_text(dc_client.get(url).get_data(as_text=True))
        assert "会议纪要" in others
        assert "完成电力线路迁改" not in others


def test_dc7_the_rows_filled_in_for_the_invited_units_need_no_names_to_record_the_meeting(
    dc_client, dc, clock
):
    clock.at(HELD)
    url = f"/meetings/{_meeting(dc).id}"
    login(dc_client, "zdb")
    form = dc_client.get(url).get_data(as_text=True)
    codes = re.findall(r'name="att_unit_code" value="([^"]+)"', form)
    assert codes  # one row per invited unit
    held = dc_client.post(f"{url}/hold", data={
        "att_unit_code": codes, "att_person": [""] * len(codes),
        "att_status": ["present"] * len(codes), "att_reason": [""] * len(codes),
        "minutes": "通报进度。",
    })  # fmt: skip
    assert held.status_code == 303
    rows = dc.session.scalars(select(MeetingAttendance)).all()
    assert len(rows) == len(codes)
    assert all(r.person.endswith("主要负责人") for r in rows)


def test_dc3_a_meeting_cannot_be_recorded_as_held_before_its_day(dc_client, dc, clock):
    clock.at(datetime(2026, 1, 30, 2, tzinfo=UTC))
    url = f"/meetings/{_meeting(dc).id}"
    login(dc_client, "zdb")
    refused = dc_client.post(f"{url}/hold", data={
        "att_unit_code": ["T01"], "att_person": ["王镇长"], "att_status": ["present"],
        "att_reason": [""], "minutes": "研究电力接入。",
    })  # fmt: skip
    assert refused.status_code == 422
    assert "会议日期：会议定于2026年2月2日召开，当天起才能记录为已召开" in visible_text(
        refused.get_data(as_text=True)
    )
    dc.session.expire_all()
    assert _meeting(dc).state != "held"
