"""Each unit's own part on the pages (LP13, LP17): a phase unit's user sees and completes only
its own part; the lead town's task is refused to it with a clear message."""

from __future__ import annotations

import pytest

from tests.builders.clock import bj
from tests.builders.forms import form
from tests.builders.web import casework_county, login

RESPOND = form("respond", measures="交通局协调施工便道占用审批")


@pytest.fixture
def cc(session, clock):
    """城关镇's road case whose notice (2 March 2026) named 县交通运输局 its phase unit."""
    county = casework_county(session)
    case = county.open_case(county.road, clock.at(bj(2026, 3, 2, 9)))
    county.notify(case, clock.at(bj(2026, 3, 2, 10)), phase_unit_codes=["D01"])
    clock.at(bj(2026, 3, 3, 9))
    return county


def part_task(cc, who: str, name: str = "respond") -> int:
    return cc.task(name, cc.cases[0], unit=cc.people[who].unit_id).id


def test_lp13_the_phase_unit_sees_only_its_own_part_in_its_inbox(client, cc):
    login(client, "dept")
    html = client.get("/inbox").get_data(as_text=True)
    assert f"/tasks/{part_task(cc, 'dept')}" in html
    assert f"/tasks/{part_task(cc, 'town')}" not in html
    assert "（县交通运输局负责部分）" in html


def test_lp13_the_phase_unit_is_refused_the_lead_units_task_with_a_clear_message(client, cc):
    login(client, "dept")
    lead_task = part_task(cc, "town")
    page = client.get(f"/tasks/{lead_task}")  # the case is in its scope: it may read the task
    assert "该任务是城关镇负责部分的任务，由城关镇办理，当前账号只能查看。" in page.get_data(
        as_text=True
    )
    refused = client.post(f"/tasks/{lead_task}/complete", data=RESPOND)
    assert refused.status_code == 403
    assert "是城关镇负责部分的任务，只能由城关镇认领办理" in refused.get_data(as_text=True)
    claimed = client.post(f"/tasks/{lead_task}/claim", follow_redirects=True)
    assert "是城关镇负责部分的任务" in claimed.get_data(as_text=True)
    assert cc.task("respond", cc.cases[0], unit=cc.people["town"].unit_id).status == "ready"


def test_lp17_the_phase_unit_completes_its_part_and_the_case_page_shows_each_part(client, cc):
    login(client, "dept")
    done = client.post(f"/tasks/{part_task(cc, 'dept')}/complete", data=RESPOND)
    assert done.status_code == 302
    html = client.get(f"/cases/{cc.cases[0].id}").get_data(as_text=True)
    parts = html.split('aria-labelledby="parts"')[1].split("</section>")[0]
    town, dept = cc.people["town"].unit_id, cc.people["dept"].unit_id
    town_row = parts.split(f'data-unit="{town}"')[1].split("</tr>")[0]
    dept_row = parts.split(f'data-unit="{dept}"')[1].split("</tr>")[0]
    for text in ("城关镇", "牵头", "待受理", "2026-03-05 23:59"):
        assert text in town_row
    for text in (
        "县交通运输局",
        "阶段性",
        "待报告协调成效",
        "2026-03-05 23:59",
        "2026-03-16 23:59",
    ):
        assert text in dept_row
    # The timeline names the unit of each part's events; the lead's task is untouched.
    timeline = html.split('id="timeline"')[1]
    assert "办理完成：受理并开展协调" in timeline
    assert "生成待办：受理并开展协调（责任单位·城关镇负责部分）" in timeline
    assert "生成待办：受理并开展协调（责任单位·县交通运输局负责部分）" in timeline
    assert cc.task("respond", cc.cases[0], unit=town).status == "ready"


def test_lp17_each_units_own_outcome_report_is_shown_in_its_part(client, cc):
    login(client, "dept")
    client.post(f"/tasks/{part_task(cc, 'dept')}/complete", data=RESPOND)
    outcome = form("report_outcome", result="partly", evidence="施工便道占用审批已报市局")
    reported = client.post(
        f"/tasks/{part_task(cc, 'dept', 'report_outcome')}/complete", data=outcome
    )
    assert reported.status_code == 302
    html = client.get(f"/cases/{cc.cases[0].id}").get_data(as_text=True)
    parts = html.split('aria-labelledby="parts"')[1].split("</section>")[0]
    town, dept = cc.people["town"].unit_id, cc.people["dept"].unit_id
    dept_row = parts.split(f'data-unit="{dept}"')[1].split("</tr>")[0]
    town_row = parts.split(f'data-unit="{town}"')[1].split("</tr>")[0]
    assert "部分解决：施工便道占用审批已报市局" in dept_row
    assert "施工便道占用审批已报市局" not in town_row  # the lead has not reported yet
