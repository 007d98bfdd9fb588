"""AL3 第三条(二)5: after Alxa's joint dispatch meeting the key office reports the slow projects
to 旗委、旗政府 in a document of their own — figures hand-computed from tests.builders.rankings,
the project's open issue and warning, the meeting's measures; numbered when sent; scoped."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from docx import Document
from sqlalchemy import func, select

from keyproj.db.models import Meeting, Notification, SlowReport
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.services.meetings import schedule, slow_report
from keyproj.services.meetings.planning import open_meeting
from keyproj.services.meetings.slow_document import report_docx
from keyproj.services.reference.calendar import load_calendar
from tests.builders.county import County
from tests.builders.meetings import ALXA_DAY, ALXA_HELD, alxa_held, dancheng_asked

ALXA = load_profile("alxa_left")
FEB_2 = date(2026, 2, 2)
SENT = datetime(2026, 4, 8, 2, tzinfo=UTC)  # 8 April 2026, 10:00 in Beijing


@pytest.fixture
def held(county: County) -> Meeting:
    return alxa_held(county)


def _produce(county: County, meeting: Meeting) -> SlowReport:
    return slow_report.produce(county.session, ALXA, county.people["zdb"], meeting.id, ALXA_HELD)


def test_al3_the_report_lists_each_slow_project_with_its_figures_issues_warnings_and_measures(
    county: County, held: Meeting
):
    row = _produce(county, held)
    assert (row.addressee, row.number, row.sent_at) == ("旗委、旗政府", None, None)
    assert row.figures["meeting"] == "2026年04月07日项目调度联席会议"
    assert (row.figures["period_label"], row.figures["colours"]) == ("2026年3月", ["黄色", "红色"])
    projects = row.figures["projects"]
    assert [(p["unit"], p["colour_label"], p["planned"], p["completed"], p["rate"]) for p in projects] == [
        ("县交通运输局", "黄色", "300.00", "240.00", "80.0%"),
        ("市水利局", "红色", "400.00", "100.00", "25.0%"),
        ("市教育局", "红色", "500.00", "250.00", "50.0%"),
        ("市卫健委", "红色", "200.00", "100.00", "50.0%"),
    ]  # fmt: skip
    roads = projects[0]
    assert roads["as_of"] == "2026-03-31"
    assert [i["title"] for i in roads["issues"]] == ["施工用地未移交"]
    assert roads["warnings"] == [
        {"label": "红色进度预警", "rule_id": "progress_lag", "period": "2026-03"}
    ]
    assert roads["measures"] == [
        {"matter": "协调移交施工用地", "owner_unit": "县交通运输局", "due_on": "2026-04-30"}
    ]
    assert [p["issues"] + p["warnings"] + p["measures"] for p in projects[1:]] == [[], [], []]
    assert row.figures["measures"] == [
        {"matter": "各部门每旬报送项目进展", "owner_unit": "市水利局", "due_on": "2026-04-20"}
    ]


def test_al3_the_docx_is_addressed_to_the_banner_and_says_each_projects_figures(
    county: County, held: Meeting
):
    row = _produce(county, held)
    slow_report.mark_sent(county.session, ALXA, county.people["zdb"], row.id, SENT)
    body = report_docx(county.session, ALXA, county.people["zdb"], row.id)
    lines = [p.text for p in Document(BytesIO(body)).paragraphs]
    assert "关于进度缓慢重点项目情况的报告" in lines
    assert "阿左发改报告〔2026〕1号" in lines
    assert "旗委、旗政府：" in lines
    assert lines[lines.index("旗委、旗政府：") + 1] == (
        "2026年04月07日项目调度联席会议听取了重点项目推进情况。现将2026年3月序时进度评价为"
        "黄色、红色的4个进度缓慢重点项目情况报告如下："
    )
    first = lines.index(next(t for t in lines if t.startswith("一、D01政府投资项目2026-03（")))
    assert lines[first].endswith("，责任单位：县交通运输局）")
    assert lines[first + 1].startswith(
        "截至2026-03-31，序时计划投资300.00万元，年度完成投资240.00万元，完成率80.0%；"
    )
    assert lines[first + 1].endswith("序时进度评价：黄色。")
    assert lines[first + 2 : first + 5] == [
        "存在问题：施工用地未移交。",
        "未解除预警：红色进度预警（2026-03）。",
        "会议议定措施：协调移交施工用地（县交通运输局，2026-04-30前）。",
    ]
    assert any(t.startswith("四、D04政府投资项目2026-03（") for t in lines)
    assert "会议议定的其他措施：各部门每旬报送项目进展（市水利局，2026-04-20前）。" in lines
    assert lines[-1] == "2026年04月08日"  # the day it was sent


def test_al3_marking_it_sent_numbers_it_once_and_tells_the_projects_units(
    county: County, held: Meeting
):
    row = _produce(county, held)
    with pytest.raises(PermissionDenied):
        slow_report.mark_sent(county.session, ALXA, county.people["dept"], row.id, SENT)
    sent = slow_report.mark_sent(county.session, ALXA, county.people["zdb"], row.id, SENT)
    assert (sent.number, sent.sent_at, sent.sent_by_id) == (
        "阿左发改报告〔2026〕1号", SENT, county.users["zdb"].id,
    )  # fmt: skip
    with pytest.raises(Conflict, match="该报告已报送（阿左发改报告〔2026〕1号）"):
        slow_report.mark_sent(county.session, ALXA, county.people["zdb"], row.id, SENT)
    told = county.session.scalars(
        select(Notification).where(Notification.kind == "slow_reported")
    ).all()
    assert [(n.user_id, n.title) for n in told] == [
        (county.users["dept"].id, "项目已报旗委、旗政府：D01政府投资项目2026-03")
    ]
    assert "（阿左发改报告〔2026〕1号），已报旗委、旗政府" in told[0].body


def test_al3_a_unit_reads_only_its_own_project_and_only_once_sent(county: County, held: Meeting):
    row = _produce(county, held)
    dept, town = county.people["dept"], county.people["town"]
    with pytest.raises(NotFound):
        slow_report.visible_report(county.session, dept, row.id)  # not sent yet
    slow_report.mark_sent(county.session, ALXA, county.people["zdb"], row.id, SENT)
    seen = slow_report.visible_report(county.session, dept, row.id)
    assert [p["unit"] for p in slow_report.rows_in_scope(seen, dept)] == ["县交通运输局"]
    with pytest.raises(NotFound):
        slow_report.visible_report(county.session, town, row.id)  # 城关镇 has no slow project
    with pytest.raises(NotFound):
        report_docx(county.session, ALXA, dept, row.id)  # the whole document is the offices'


def test_al3_the_report_is_produced_once_after_the_meeting_and_only_where_the_seed_says(
    county: County, held: Meeting
):
    with pytest.raises(PermissionDenied):
        slow_report.produce(county.session, ALXA, county.people["dept"], held.id, ALXA_HELD)
    _produce(county, held)
    with pytest.raises(Conflict, match="本次会议的进度缓慢项目报告已形成"):
        _produce(county, held)
    assert county.session.scalar(select(func.count()).select_from(SlowReport)) == 1


def test_al3_a_meeting_not_yet_held_has_no_report(county: County):
    county.with_people("zdb")
    s, slot = county.session, schedule.Slot(ALXA_DAY, ALXA_DAY)
    meeting = open_meeting(s, ALXA, load_calendar(s), "joint_dispatch", slot, ALXA_HELD)
    with pytest.raises(ValidationError) as refused:
        _produce(county, meeting)
    assert refused.value.by_field() == {"meeting": "会议召开并记录后才能形成进度缓慢项目报告"}


def test_al3_only_alxas_joint_dispatch_meeting_reports_its_slow_projects(county: County):
    dancheng_asked(county.with_people("zdb"))
    meeting = county.session.scalars(select(Meeting).where(Meeting.held_on == FEB_2)).one()
    dancheng = load_profile("dancheng")
    with pytest.raises(ValidationError) as refused:
        slow_report.produce(county.session, dancheng, county.people["zdb"], meeting.id, ALXA_HELD)
    assert refused.value.by_field() == {"meeting": "本类会议不报送进度缓慢项目报告"}
    assert [
        key for key in ("alxa_left", "dancheng", "guangshan", "handan", "lianping")
        if (m := load_profile(key).meetings) and any(s.slow_report_to for s in m.series.values())
    ] == ["alxa_left"]  # fmt: skip
    assert ALXA.citations["meetings.series.joint_dispatch.slow_report_to"] == "AL3"
