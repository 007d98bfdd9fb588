"""What follows a held meeting on the pages: Dancheng's 通报批评 of a unit absent without leave
confirmed by the key office and shown on the unit's record (DC7 三(一)), 替会 flagged; Alxa's
report of the slow projects produced, read, downloaded, sent and seen by its unit (AL3)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

import time_machine
from docx import Document
from flask.testing import FlaskClient
from sqlalchemy import select

from keyproj.db.models import AbsenceProposal, Meeting, SlowReport, Unit
from tests.builders.county import County
from tests.builders.meetings import ALXA_HELD, alxa_held, dancheng_asked
from tests.builders.pages import visible_text
from tests.builders.web import bearer, json_of, login
from tests.builders.words import problems, raw_words

HELD = datetime(2026, 2, 2, 3, tzinfo=UTC)  # 2 February 2026, 11:00 in Beijing
SENT = datetime(2026, 4, 7, 3, 10, tzinfo=UTC)  # ten minutes later: the session is live


def _as(client: FlaskClient, username: str) -> None:
    client.post("/logout")
    login(client, username)


def _text(client: FlaskClient, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200, url
    text = visible_text(page.get_data(as_text=True))
    assert problems(text, set(), raw_words()) == []
    return text


def _held_in_dancheng(county: County, client: FlaskClient) -> Meeting:
    dancheng_asked(county)
    meeting = county.session.scalars(
        select(Meeting).where(Meeting.held_on == date(2026, 2, 2))
    ).one()
    login(client, "zdb")
    client.post(f"/meetings/{meeting.id}/hold", data={
        "att_unit_code": ["T01", "T02", "D01"], "att_person": ["李副镇长", "赵镇长", "孙局长"],
        "att_status": ["substitute", "leave", "absent"], "att_reason": ["", "赴省参加培训", ""],
        "minutes": "研究了电力接入问题。",
    })  # fmt: skip
    return meeting


@time_machine.travel(HELD, tick=False)
def test_dc7_the_office_confirms_the_criticism_and_the_units_record_shows_it(
    dc_client, county: County
):
    meeting = _held_in_dancheng(county, dc_client)
    text = _text(dc_client, f"/meetings/{meeting.id}")
    assert "替会（一把手未参会：机制要求“坚持一把手参会，不得替会”）" in text
    part = text[text.index("无故缺席通报批评") :]
    assert "县交通运输局\n孙局长\n2026年02月02日重点项目推进调度例会无故缺席" in part
    assert "待重点办确认" in part
    proposal = county.session.scalars(select(AbsenceProposal)).one()
    refused = dc_client.post(
        f"/meetings/absences/{proposal.id}",
        data={"decision": "dismiss", "reason": "", "meeting": meeting.id},
        follow_redirects=True,
    )
    assert "不予通报批评的理由：请填写不予通报批评的理由" in visible_text(
        refused.get_data(as_text=True)
    )
    done = dc_client.post(
        f"/meetings/absences/{proposal.id}", data={"decision": "confirm"}, follow_redirects=True
    )
    assert "已通报批评，记入单位奖惩记录并通知该单位" in visible_text(done.get_data(as_text=True))
    unit = county.session.scalars(select(Unit).where(Unit.code == "D01")).one()
    _as(dc_client, "dept")  # 县交通运输局 was not asked to the meeting: its record tells it
    record = _text(dc_client, f"/units/{unit.id}/record")
    awards = record[record.index("表彰奖励与惩处") : record.index("会议无故缺席")]
    assert "通报批评" in awards
    assert "2026年02月02日重点项目推进调度例会无故缺席（应参会人：孙局长" in awards
    absences = record[record.index("会议无故缺席") :]
    assert "2026-02-02\n孙局长\n已通报批评" in absences
    inbox = _text(dc_client, "/notifications")
    assert "通报批评：县交通运输局会议无故缺席" in inbox
    _as(dc_client, "town")  # 城关镇 may not decide, nor read another unit's record
    assert dc_client.post(f"/meetings/absences/{proposal.id}", data={}).status_code == 403
    assert dc_client.get(f"/units/{unit.id}/record").status_code == 404


@time_machine.travel(ALXA_HELD, tick=False)
def test_al3_the_office_produces_sends_and_downloads_the_report_and_its_unit_sees_it(
    al_client, county: County
):
    meeting = alxa_held(county)
    login(al_client, "zdb")
    assert "形成进度缓慢项目报告" in _text(al_client, f"/meetings/{meeting.id}")
    made = al_client.post(f"/meetings/{meeting.id}/slow-report")
    row = county.session.scalars(select(SlowReport)).one()
    assert made.headers["Location"].endswith(f"/meetings/slow-reports/{row.id}")
    url = f"/meetings/slow-reports/{row.id}"
    text = _text(al_client, url)
    assert "关于进度缓慢重点项目情况的报告" in text
    assert "尚未报送" in text
    line = text[text.index("D01政府投资项目2026-03（") :]
    assert line.startswith("D01政府投资项目2026-03（")
    assert "县交通运输局\n2026-03-31\n300.00\n240.00\n80.0%\n黄色\n施工用地未移交" in line
    assert "协调移交施工用地（县交通运输局，2026-04-30前）" in line
    with time_machine.travel(SENT, tick=False):
        al_client.post(f"{url}/sent")
        sent = _text(al_client, url)
        assert "2026-04-07 11:10，文号阿左发改报告〔2026〕1号" in sent
        assert "已于2026-04-07 11:10报旗委、旗政府（阿左发改报告〔2026〕1号）" in _text(
            al_client, f"/meetings/{meeting.id}"
        )
        docx = al_client.get(f"{url}.docx")
        assert docx.status_code == 200
        paragraphs = [p.text for p in Document(BytesIO(docx.data)).paragraphs]
        assert "旗委、旗政府：" in paragraphs
        office = json_of(al_client.get(f"/api/v1/meetings/slow-reports/{row.id}",
                                       headers=bearer(county.session, county.users["zdb"])))  # fmt: skip
        assert (office["number"], len(office["projects"])) == ("阿左发改报告〔2026〕1号", 4)
    _as(al_client, "dept")
    own = _text(al_client, url)
    assert "以下为本单位列入报告的项目" in own
    assert "县交通运输局" in own
    assert "市水利局" not in own
    assert al_client.get(f"{url}.docx").status_code == 404
    mine = json_of(al_client.get(f"/api/v1/meetings/slow-reports/{row.id}",
                                 headers=bearer(county.session, county.users["dept"])))  # fmt: skip
    assert [p["unit"] for p in mine["projects"]] == ["县交通运输局"]
    assert "项目已报旗委、旗政府：D01政府投资项目2026-03" in _text(al_client, "/notifications")
    _as(al_client, "town")
    assert al_client.get(url).status_code == 404
    assert al_client.post(f"{url}/sent").status_code == 403
