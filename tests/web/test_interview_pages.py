"""The interview pages (HD6): the register in the viewer's scope, the key office's forms with
errors beside the field they name, the unit reporting a commitment done, the notice as DOCX,
and a profile without interviews saying so."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from docx import Document
from sqlalchemy import func, select

from keyproj.db.models import Interview, InterviewCommitment
from tests.builders.county import County
from tests.builders.interviews import scheduled, unit_id
from tests.builders.web import login

LATER = datetime(2026, 5, 8, 3, tzinfo=UTC)  # 8 May 2026, 11:00 in Beijing


@pytest.fixture
def hd(county: County) -> tuple[County, int]:
    """城关镇's interview scheduled for 8 May 2026 09:30; the clock at 8 May 11:00."""
    county.with_people("town", "other")
    row = scheduled(county)
    county.committed()
    county.at(LATER)
    return county, row.id


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_hd6_the_register_lists_the_units_own_and_another_unit_gets_not_found(hd_client, hd):
    _, interview_id = hd
    login(hd_client, "town")
    html = hd_client.get("/interviews").get_data(as_text=True)
    assert f'data-interview="{interview_id}"' in html
    assert "四是因对项目前期论证不充分" in html
    assert "已安排" in html
    hd_client.post("/logout")
    login(hd_client, "other")
    assert f'data-interview="{interview_id}"' not in hd_client.get("/interviews").get_data(
        as_text=True
    )
    assert hd_client.get(f"/interviews/{interview_id}").status_code == 404


def test_the_state_filter_shows_only_that_state(hd_client, hd):
    login(hd_client, "zdb")
    assert "没有约谈" in hd_client.get("/interviews?state=held").get_data(as_text=True)
    assert "没有约谈" not in hd_client.get("/interviews?state=scheduled").get_data(as_text=True)


def test_hd6_a_record_without_reason_is_refused_beside_the_field_and_nothing_saved(
    hd_client, hd, session
):
    login(hd_client, "zdb")
    data = {"unit_id": str(unit_id(session, "T02")), "trigger": "unapproved_change", "reason": ""}
    answer = hd_client.post("/interviews", data=data)
    assert answer.status_code == 422
    assert "事由：不能为空" in answer.get_data(as_text=True)
    assert _count(session, Interview) == 1
    data["reason"] = "未经同意将四车道改为两车道"
    answer = hd_client.post("/interviews", data=data)
    assert answer.status_code == 303
    assert _count(session, Interview) == 2


def test_hd6_holding_names_the_bad_row_then_the_unit_reports_its_commitment_done(
    hd_client, hd, session
):
    _, interview_id = hd
    login(hd_client, "zdb")
    form = {
        "held_on": "2026-05-08",
        "minutes": "单位主要负责同志作出检查",
        "commitment_text": ["完成选址论证", "报送整改方案"],
        "commitment_due_on": ["2026-06-30", "2026-05-07"],
    }
    answer = hd_client.post(f"/interviews/{interview_id}/hold", data=form)
    assert answer.status_code == 422
    assert "承诺事项第2行（完成期限）：完成期限 2026-05-07 早于约谈日期 2026-05-08" in (
        answer.get_data(as_text=True)
    )
    assert _count(session, InterviewCommitment) == 0
    assert 'value="完成选址论证"' in answer.get_data(as_text=True)  # the rows typed are kept
    form["commitment_due_on"] = ["2026-06-30", "2026-05-20"]
    assert hd_client.post(f"/interviews/{interview_id}/hold", data=form).status_code == 303
    hd_client.post("/logout")
    login(hd_client, "town")
    page = hd_client.get(f"/interviews/{interview_id}").get_data(as_text=True)
    assert "报送整改方案" in page
    assert "保存约谈情况" not in page  # the unit does not manage
    item = session.scalars(select(InterviewCommitment).order_by(InterviewCommitment.id)).all()[1]
    blank = hd_client.post(f"/interviews/commitments/{item.id}/done", data={"done_note": ""})
    assert blank.status_code == 422
    assert "完成情况：不能为空" in blank.get_data(as_text=True)
    note = {"done_note": "5月15日已报送"}
    assert hd_client.post(f"/interviews/commitments/{item.id}/done", data=note).status_code == 303
    session.expire_all()
    assert session.get_one(InterviewCommitment, item.id).state.value == "done"


def test_hd6_the_notice_downloads_with_its_number(hd_client, hd):
    _, interview_id = hd
    login(hd_client, "town")
    answer = hd_client.get(f"/interviews/{interview_id}/notice.docx")
    text = "\n".join(p.text for p in Document(BytesIO(answer.data)).paragraphs)
    assert "邯约谈〔2026〕1号" in text
    assert "城关镇：" in text


def test_a_profile_without_interviews_says_so(client, county):
    login(client, "zdb")
    html = client.get("/interviews").get_data(as_text=True)
    assert "本地制度未设约谈" in html
    assert "登记约谈" not in html


def test_hd6_moving_the_interview_names_a_past_time_then_a_dismissal_ends_it(
    hd_client, hd, session
):
    _, interview_id = hd
    login(hd_client, "zdb")
    form = {"scheduled_at": "2026-05-08T09:00", "place": "市政府第一会议室", "leader_id": ""}
    answer = hd_client.post(f"/interviews/{interview_id}/schedule", data=form)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert "约谈时间：约谈时间已过，请填写今后的时间" in html
    assert "约谈领导：请选择领导" in html
    answer = hd_client.post(
        f"/interviews/{interview_id}/dismiss", data={"dismissed_reason": "项目已调出年度计划"}
    )
    assert answer.status_code == 303
    page = hd_client.get(f"/interviews/{interview_id}").get_data(as_text=True)
    assert "项目已调出年度计划" in page
    assert "安排约谈" not in page
    assert "调整约谈安排" not in page
    assert session.get_one(Interview, interview_id).place == "市政府第三会议室"  # not moved


def test_hd6_the_key_office_runs_the_proposals_now_and_a_unit_may_not(hd_client, hd, session):
    county, _ = hd
    county.project("城关镇未开工项目", planned_start=date(2026, 5, 1))
    county.committed()
    login(hd_client, "town")
    assert hd_client.post("/interviews/proposals").status_code == 403
    hd_client.post("/logout")
    login(hd_client, "zdb")
    answer = hd_client.post("/interviews/proposals", follow_redirects=True)
    assert "已提出约谈建议1条" in answer.get_data(as_text=True)
    assert "城关镇未开工项目" in hd_client.get("/interviews?state=proposed").get_data(as_text=True)
    again = hd_client.post("/interviews/proposals", follow_redirects=True)
    assert "已提出约谈建议0条" in again.get_data(as_text=True)
