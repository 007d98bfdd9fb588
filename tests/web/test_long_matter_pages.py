"""Long matters on the pages (LP18 动态报告): the lead unit's report task with its deadline,
and the case page's cycles, each report with its date and whether it came on time."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import sessionmaker

from keyproj.services.cases.timers import sweep
from tests.builders.clock import bj
from tests.builders.forms import form
from tests.builders.web import casework_county, login

REPORT = "动态报告协调办理情况"


@pytest.fixture
def lm(session, clock):
    """城关镇's road case put on long-term follow-up on Thursday 24 September 2026 at 15:00;
    the first report is due Thursday 15 October (Mid-Autumn and National Day in between)."""
    county = casework_county(session)
    case = county.open_case(county.road, clock.at(bj(2026, 9, 24, 9)))
    county.notify(case, clock.at(bj(2026, 9, 24, 10)), phase_unit_codes=["D01"])
    for who in ("town", "dept"):  # the lead 城关镇 and the phase unit each answer their part
        county.complete(who, case, "respond", form("respond"), clock.at(bj(2026, 9, 24, 11)))
    outcome = form("report_outcome", result="partly")
    for who in ("town", "dept"):
        county.complete(who, case, "report_outcome", outcome, clock.at(bj(2026, 9, 24, 14)))
    long_term = form("evaluate", decision="long_term", opinion="征地涉及群众安置，需较长时间跟进")
    county.complete("zdb", case, "evaluate", long_term, clock.at(bj(2026, 9, 24, 15)))
    clock.at(bj(2026, 10, 13, 9))
    return county


def report_id(county) -> int:
    return county.task("long_progress_report", county.cases[0]).id


def test_lp18_the_lead_unit_sees_its_report_task_with_the_deadline(client, lm):
    login(client, "town")
    inbox = client.get("/inbox").get_data(as_text=True)
    assert REPORT in inbox
    assert "2026-10-15 23:59" in inbox
    page = client.get(f"/tasks/{report_id(lm)}").get_data(as_text=True)
    assert "2026-10-15 23:59" in page
    assert "剩余2个工作日" in page  # on Tue 13 Oct: the 14th and 15th (today not counted)
    for name in ("progress", "resolved", "next_steps"):
        assert f'name="{name}"' in page
    assert "尚未解决，继续跟进" in page
    assert 'id="overdue-flag"' not in page


def test_lp18_the_phase_unit_does_not_get_the_report_task(client, lm):
    login(client, "dept")
    assert REPORT not in client.get("/inbox").get_data(as_text=True)


def test_lp18_case_page_shows_the_cycles_reports_and_overdue_flag(client, lm, clock):
    login(client, "town")
    done = client.post(
        f"/tasks/{report_id(lm)}/complete",
        data={"progress": "已签订8户安置协议，剩余3户正在协商", "resolved": "no"},
    )
    assert done.status_code == 302
    moment = clock.at(bj(2026, 10, 28, 9))  # cycle 2 was due Tue 27 Oct
    sweep(sessionmaker(lm.session.get_bind(), expire_on_commit=False), moment)
    login(client, "zdb")
    html = client.get(f"/cases/{lm.cases[0].id}").get_data(as_text=True)
    section = html.split('id="long-matter"')[1].split("</section>")[0]
    assert "征地涉及群众安置，需较长时间跟进" in section
    assert '<dd class="long-matter__cycle">第2期</dd>' in section
    assert "2026-10-27 23:59" in section
    assert "已逾期，已提醒责任单位和重点办" in section
    cycle_1 = section.split('data-cycle="1"')[1].split("</tr>")[0]
    assert "2026-10-15 23:59" in cycle_1
    assert "2026-10-13 09:00" in cycle_1
    assert "按期报告" in cycle_1
    assert "已签订8户安置协议，剩余3户正在协商" in cycle_1
    cycle_2 = section.split('data-cycle="2"')[1].split("</tr>")[0]
    assert "已逾期，待报告" in cycle_2
    assert "（逾期已提醒）" in html  # beside the open task in 当前环节
    assert f"办理完成：{REPORT}" in html  # the report in the timeline
    assert "动态报告逾期，已发出提醒，任务仍待办理" in html
    task_page = client.get(f"/tasks/{report_id(lm)}").get_data(as_text=True)
    assert 'id="overdue-flag"' in task_page
