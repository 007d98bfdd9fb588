"""Handan's measures on the pages (HD5 提醒函, HD6 约谈): the key office's form offers the six HD6
triggers as checkboxes, and the case page shows the letter's number and signature, or the
interview's triggers and commitments."""

from __future__ import annotations

import pytest

from tests.builders.clock import bj
from tests.builders.forms import form
from tests.builders.web import casework_county, login


@pytest.fixture
def hd(session, clock):
    """城关镇's road case whose outcome the key office did not accept on Monday 28 September
    2026: the key office owes its HD5/HD6 measure."""
    county = casework_county(session).with_people("xfb").under("handan")
    case = county.open_case(county.road, clock.at(bj(2026, 9, 28, 9)))
    county.notify(case, clock.at(bj(2026, 9, 28, 10)))
    moment = clock.at(bj(2026, 9, 28, 11))
    county.complete("town", case, "respond", form("respond"), moment)
    county.complete(
        "town", case, "report_outcome", form("report_outcome", result="not_resolved"), moment
    )
    opinion = "未解决，提请市政府协调"
    county.complete(
        "zdb", case, "evaluate", form("evaluate", decision="escalate", opinion=opinion), moment
    )
    clock.at(bj(2026, 9, 29, 9))
    return county


def test_hd6_the_measure_form_offers_the_six_triggers(hd_client, hd):
    login(hd_client, "zdb")
    task = hd.task("hd_measure", hd.cases[0])
    page = hd_client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "提醒函或约谈" in page
    assert 'href="/clauses/HD6"' in page
    assert page.count('name="triggers"') == 6
    assert "分管市领导认为确需约谈" in page


def test_hd5_the_case_page_shows_the_letter_number_and_its_signature(hd_client, hd, clock):
    case = hd.cases[0]
    letter = form("hd_measure", measure="reminder_letter", letter_text="请限期整改并报告整改措施。")
    hd.complete("zdb", case, "hd_measure", letter, clock.at(bj(2026, 9, 29, 10)))
    login(hd_client, "town")
    html = hd_client.get(f"/cases/{case.id}").get_data(as_text=True)
    section = html.split('id="measure"')[1].split("</section>")[0]
    assert "邯发改提醒〔2026〕1号" in section
    assert "待办理" in section
    assert "2026-10-12 23:59" in section
    ack = form("reminder_letter_ack", signed_by="城关镇镇长王某")
    hd.complete("town", case, "reminder_letter_ack", ack, clock.at(bj(2026, 10, 9, 10)))
    login(hd_client, "town")  # ten days later: a new sign-in
    html = hd_client.get(f"/cases/{case.id}").get_data(as_text=True)
    section = html.split('id="measure"')[1].split("</section>")[0]
    assert "城关镇镇长王某已签收" in section


def test_hd6_the_case_page_shows_the_interview_and_its_commitments(hd_client, hd, clock):
    case = hd.cases[0]
    asked = form(
        "hd_measure",
        measure="interview",
        triggers=["bottom_twice"],
        interviewee_unit_code="T01",
        interviewee_person="城关镇镇长王某",
    )
    hd.complete("zdb", case, "hd_measure", asked, clock.at(bj(2026, 9, 29, 10)))
    rows = [{"matter": "完成施工许可办理", "unit_code": "T01", "due_date": "2026-10-31"}]
    held = form("interview_record", held_on="2026-10-09", commitments=rows)
    hd.complete("xfb", case, "interview_record", held, clock.at(bj(2026, 10, 9, 15)))
    login(hd_client, "zdb")
    html = hd_client.get(f"/cases/{case.id}").get_data(as_text=True)
    section = html.split('id="measure"')[1].split("</section>")[0]
    assert "两次通报均排在后三位" in section
    assert "2026-10-09 由王副市长约谈" in section
    commitments = section.split('id="interview-commitments"')[1]
    assert "完成施工许可办理" in commitments
    assert "城关镇" in commitments
