"""The pages of issue 14's two gaps: the key office names the unit behind the office that follows
up a series' decided items (DC7 三(三)), and the meeting pages say who follows them up; under
Handan's profile a department records its own monthly meeting (HD4), and no other unit may."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from flask.testing import FlaskClient
from sqlalchemy import select

from keyproj.db.models import DecidedItem, Meeting, MeetingOffice, Unit
from keyproj.policy import load_profile
from keyproj.services.meetings.planning import daily_beat
from keyproj.services.reference.calendar import load_calendar
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.meetings import dancheng_asked
from tests.builders.pages import visible_text
from tests.builders.web import bearer, json_of, login
from tests.builders.words import problems, raw_words


@pytest.fixture
def handan(county: County) -> County:
    """城关镇 and 石桥镇 lead a project each; the beat of 1 March opened their March meetings."""
    county.with_projects("plant", "bridge").with_people("town", "other", "dept")
    county.session.flush()
    calendar = load_calendar(county.session)
    daily_beat(
        county.session, load_profile("handan"), calendar, date(2026, 3, 1), bj(2026, 3, 1, 9)
    )
    return county.committed()


def _as(client: FlaskClient, username: str) -> None:
    client.post("/logout")
    login(client, username)


def _text(client: FlaskClient, url: str) -> str:
    return visible_text(client.get(url).get_data(as_text=True))


def _own(county: County, unit_code: str) -> Meeting:
    return county.session.scalars(
        select(Meeting)
        .join(Unit, Unit.id == Meeting.host_unit_id)
        .where(Unit.code == unit_code, Meeting.held_on == date(2026, 3, 10))
    ).one()


def test_dc7_the_key_office_names_the_unit_behind_the_follow_up_office(dc_client, county):
    dc = dancheng_asked(county)
    login(dc_client, "zdb")
    before = _text(dc_client, "/meetings?year=2026")
    assert "逾期议定事项应由县委督查中心督办，但本县尚未指定其对应单位，暂由重点办督办" in before
    page = _text(dc_client, "/meetings/offices")
    assert "县委督查中心" in page
    assert "督办的会议：重点项目推进调度例会" in page
    assert problems(page, set(), raw_words()) == []
    refused = dc_client.post(
        "/meetings/offices",
        data={"office": "县委督查中心", "unit_code": "X99"},
        follow_redirects=True,
    )
    assert "对应单位：没有代码为“X99”的在用单位" in visible_text(refused.get_data(as_text=True))
    assert dc.session.scalars(select(MeetingOffice)).all() == []
    saved = dc_client.post("/meetings/offices", data={"office": "县委督查中心", "unit_code": "DCS"})
    assert saved.status_code == 303
    [row] = dc.session.scalars(select(MeetingOffice)).all()
    assert (row.office, row.unit.code) == ("县委督查中心", "DCS")
    after = _text(dc_client, "/meetings?year=2026")
    assert "逾期议定事项由县委督查中心（县委县政府督查室）督办" in after
    meeting = dc.session.scalars(select(Meeting)).first()
    assert meeting is not None
    assert "逾期议定事项由县委督查中心（县委县政府督查室）督办" in _text(
        dc_client, f"/meetings/{meeting.id}"
    )
    _as(dc_client, "town")
    assert dc_client.get("/meetings/offices").status_code == 403
    assert dc_client.post("/meetings/offices", data={"office": "县委督查中心"}).status_code == 403


def test_hd4_a_department_records_its_own_meeting_on_its_page(hd_client, handan):
    meeting = _own(handan, "T01")
    url = f"/meetings/{meeting.id}"
    with time_machine.travel(bj(2026, 3, 10, 11), tick=False):
        login(hd_client, "town")
        page = _text(hd_client, url)
        assert "城关镇责任部门（单位）月调度（2026-03-10）" in page
        assert handan.projects["plant"].name in page  # its own projects make the agenda
        assert handan.projects["bridge"].name not in page
        assert "记录会议" in page
        held = hd_client.post(
            f"{url}/hold",
            data={
                "att_unit_code": ["T01"],
                "att_person": ["王镇长"],
                "att_status": ["present"],
                "att_reason": [""],
                "minutes": "研究施工用电。",
                "item_matter": ["协调解决施工用电"],
                "item_owner_unit_code": ["D01"],
                "item_due_on": ["2026-03-20"],
                "item_acceptance": ["施工用电接通"],
                "item_project_code": [""],
            },
            follow_redirects=True,
        )
    text = visible_text(held.get_data(as_text=True))
    assert "会议已记录" in text
    assert "逾期议定事项由召开会议的责任部门（单位）督办" in text
    assert problems(text, {"town"}, raw_words()) == []  # the signed-in user's name
    handan.session.expire_all()
    [item] = handan.session.scalars(select(DecidedItem)).all()
    assert (item.owner_unit.code, item.chair_unit_id) == ("D01", handan.people["town"].unit_id)


def test_hd4_no_other_unit_records_a_departments_meeting_through_the_page(hd_client, handan):
    meeting = _own(handan, "T01")
    url = f"/meetings/{meeting.id}"
    data = {"att_person": ["王镇长"], "att_status": ["present"], "minutes": "越权记录。"}
    login(hd_client, "other")  # 石桥镇 holds a meeting of its own, not this one
    assert hd_client.get(url).status_code == 404
    assert hd_client.post(f"{url}/hold", data=data).status_code == 404
    year = _text(hd_client, "/meetings?year=2026")
    assert "石桥镇" in year
    assert "城关镇" not in year
    _as(hd_client, "zdb")  # the key office sees it, and leaves its recording to the department
    year = _text(hd_client, "/meetings?year=2026")
    assert "由各责任部门（单位）分别召开，各自记录参会情况、会议纪要和议定事项。" in year
    assert "政策配置未指定督办单位，逾期议定事项由重点办督办" in year  # the leaders' meetings
    assert problems(year, {"zdb"}, raw_words()) == []
    page = _text(hd_client, url)
    assert "记录会议" not in page
    assert hd_client.post(f"{url}/hold", data=data).status_code == 403
    handan.session.expire_all()
    assert handan.session.get_one(Meeting, meeting.id).state == "planned"


def test_hd4_the_api_names_each_meetings_holding_department_in_the_units_scope(hd_client, handan):
    other = bearer(handan.session, handan.users["other"])
    listed = json_of(hd_client.get("/api/v1/meetings?series=department", headers=other))
    assert {m["host_unit"]["code"] for m in listed["meetings"]} == {"T02"}
    office = bearer(handan.session, handan.users["zdb"])
    listed = json_of(hd_client.get("/api/v1/meetings?series=department", headers=office))
    held = sorted((m["held_on"], m["host_unit"]["name"]) for m in listed["meetings"])
    assert held == [
        ("2026-03-10", "城关镇"),
        ("2026-03-10", "石桥镇"),
        ("2026-04-10", "城关镇"),
        ("2026-04-10", "石桥镇"),
    ]
    mayor = json_of(hd_client.get("/api/v1/meetings?series=mayor", headers=office))
    assert [m["host_unit"] for m in mayor["meetings"]] == [None]
    one = json_of(hd_client.get(f"/api/v1/meetings/{_own(handan, 'T01').id}", headers=office))
    assert one["follow_up"] == "逾期议定事项由召开会议的责任部门（单位）督办"
