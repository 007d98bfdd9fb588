"""The supervision ledger's pages (LP13, LP20): the summary list at the notice, filings from a
case and from the office's own finding, the result's accountability on the unit's page."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from keyproj.db.models import Case, SupervisionMatter, Unit
from keyproj.services.supervision.filing import Finding, file_finding
from keyproj.services.supervision.views import ledger
from tests.builders.cases import PROFILE
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.forms import form
from tests.builders.pages import table_rows
from tests.builders.web import login


@pytest.fixture
def county(county: County) -> County:
    """The offices and the units of the road project's cases; committed for the app."""
    return county.with_people("dcs", "xfb", "town", "dept").committed()


def found(county: County, clock) -> int:
    """The supervision office's finding on the road project, filed; its case's id."""
    finding = Finding(county.road.id, "施工现场停工两周未报告", "T01")
    row = file_finding(
        county.session, PROFILE, county.people["dcs"], finding, clock.at(bj(2026, 3, 2, 9))
    )
    county.session.commit()
    case = county.session.get_one(Case, row.case_id)
    filing = form("supervision_file", due_date="2026-03-20")
    county.complete("dcs", case, "supervision_file", filing, clock.at(bj(2026, 3, 2, 10)))
    return row.case_id


def switch(client, username: str) -> None:
    """Sign out, and in as ``username``."""
    client.post("/logout")
    login(client, username)


def unit_id(county: County, code: str) -> int:
    return county.session.scalars(select(Unit.id).where(Unit.code == code)).one()


def test_lp13_a_major_issue_is_on_the_ledger_page_once_the_notice_is_issued(client, county, clock):
    case = county.open_case(county.road, clock.at(bj(2026, 3, 2, 9)))
    task = county.task("issue_notice", case)
    data = form("issue_notice") | {"major": "1"}
    clock.at(bj(2026, 3, 2, 10))
    login(client, "zdb")
    sent = client.post(f"/tasks/{task.id}/complete", data=data)
    assert sent.status_code == 302, sent.get_data(as_text=True)
    switch(client, "dcs")
    page = client.get("/supervision?state=listed").get_data(as_text=True)
    assert "该项目投资完成率低于序时进度" in page
    assert "预警通知列明的重大问题" in page
    assert "城关镇" in page and "县交通运输局" in page  # noqa: PT018 (lead and phase unit)
    assert f'href="/cases/{case.id}"' in page
    filed = client.get("/supervision?state=filed").get_data(as_text=True)
    assert "该项目投资完成率低于序时进度" not in filed  # the filter keeps one state


def test_lp20_the_office_files_on_a_case_and_both_cases_link_to_each_other(client, county, clock):
    case = county.open_case(county.road, clock.at(bj(2026, 3, 2, 9)))
    county.notify(case, clock.at(bj(2026, 3, 2, 10)))
    login(client, "dcs")
    assert "督查立项" in client.get(f"/cases/{case.id}").get_data(as_text=True)
    sent = client.post(f"/cases/{case.id}/supervision", data={"summary": "责任单位推进不力"})
    assert sent.status_code == 303
    row = county.session.scalars(select(SupervisionMatter)).one()
    assert (row.origin, row.origin_case_id) == ("case", case.id)
    assert sent.headers["Location"].endswith(f"/cases/{row.case_id}")
    new_page = client.get(f"/cases/{row.case_id}").get_data(as_text=True)
    assert f'由督查室对<a href="/cases/{case.id}">案件 #{case.id}</a>立项' in new_page
    old_page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'督查室已对本案件立项督查：<a href="/cases/{row.case_id}">' in old_page
    switch(client, "town")  # a responsible unit sees the case, not the button's right
    assert client.post(f"/cases/{case.id}/supervision", data={"summary": "x"}).status_code == 403


def test_lp20_the_office_files_its_own_finding_from_the_ledger_page(client, county, clock):
    clock.at(bj(2026, 3, 2, 9))
    login(client, "dcs")
    assert "登记督查发现的问题" in client.get("/supervision").get_data(as_text=True)
    refused = client.post("/supervision/findings", data={"project_id": str(county.road.id)})
    assert refused.status_code == 422
    assert "督查事项：不能为空" in refused.get_data(as_text=True)
    data = {
        "project_id": str(county.road.id),
        "summary": "施工现场停工两周未报告",
        "lead_unit_code": "T01",
        "phase_unit_codes": ["D01"],
    }
    sent = client.post("/supervision/findings", data=data)
    assert sent.status_code == 303
    row = county.session.scalars(select(SupervisionMatter)).one()
    assert sent.headers["Location"].endswith(f"/cases/{row.case_id}")
    case_page = client.get(f"/cases/{row.case_id}").get_data(as_text=True)
    current = case_page.split('id="current"')[1].split("</section>")[0]
    assert ">督查立项</a>" in current  # the task it waits at: no notice, no triage
    assert "预警催办通知" not in current
    ledger = client.get("/supervision").get_data(as_text=True)
    assert "督查室督查发现" in ledger
    switch(client, "zdb")
    assert "登记督查发现的问题" not in client.get("/supervision").get_data(as_text=True)
    assert client.post("/supervision/findings", data=data).status_code == 403


def test_lp20_two_failures_of_one_entry_are_two_records_on_the_units_page(client, county, clock):
    case_id = found(county, clock)
    task = county.task("supervision_result", county.session.get_one(Case, case_id))
    clock.at(bj(2026, 3, 3, 10))
    login(client, "dcs")
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert 'name="accountability-0-unit_code"' in page
    entry = {
        "result": "已整改到位",
        "accountability-0-unit_code": "X99",
        "accountability-0-person": "王镇长",
        "accountability-0-failures": ["unaware", "no_action_delay"],
        "accountability-0-measure": "约谈主要负责人",
    }
    refused = client.post(f"/tasks/{task.id}/complete", data=entry)
    assert refused.status_code == 422
    assert "问责意见第1项·责任单位：未知单位“X99”" in refused.get_data(as_text=True)
    sent = client.post(
        f"/tasks/{task.id}/complete", data=entry | {"accountability-0-unit_code": "T01"}
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    timeline = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "责任单位：城关镇，责任人：王镇长，问责情形：未及时了解掌握" in timeline
    town = client.get(f"/supervision/units/{unit_id(county, 'T01')}").get_data(as_text=True)
    assert town.count("王镇长") == 2
    assert "未及时了解掌握项目建设进度和存在问题" in town
    assert "未采取有效措施协调解决问题导致项目建设严重延误" in town
    ledger = client.get("/supervision?state=concluded").get_data(as_text=True)
    assert "已整改到位" in ledger and f'href="/cases/{case_id}"' in ledger  # noqa: PT018
    switch(client, "town")  # the unit's own staff read its record
    assert client.get(f"/supervision/units/{unit_id(county, 'T01')}").status_code == 200
    switch(client, "shiqiao")  # another town's do not
    assert client.get(f"/supervision/units/{unit_id(county, 'T01')}").status_code == 404


def test_lp20_the_ledger_is_for_the_offices_leaders_and_auditors_with_an_export(
    client, county, clock
):
    found(county, clock)
    login(client, "town")
    assert client.get("/supervision").status_code == 403
    assert client.get("/supervision/export.xlsx").status_code == 403
    switch(client, "zdb")
    assert client.get("/supervision").status_code == 200
    export = client.get("/supervision/export.xlsx")
    sheet = load_workbook(BytesIO(export.data)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "来源", "案件", "项目")
    assert rows[1][1] == "督查室督查发现"
    assert rows[1][9] == "已立项"


def test_lp20_the_ledger_pages_through_its_matters_newest_first(client, county, clock):
    for n in range(3):
        finding = Finding(county.road.id, f"督查发现问题第{n + 1}项", "T01")
        file_finding(
            county.session, PROFILE, county.people["dcs"], finding, clock.at(bj(2026, 3, 2, 9))
        )
    county.session.commit()
    login(client, "dcs")
    first = client.get("/supervision?per_page=2").get_data(as_text=True)
    assert "督查发现问题第3项" in first
    assert "督查发现问题第2项" in first
    assert "督查发现问题第1项" not in first
    assert "共 3 项" in first
    assert "第 1 / 2 页" in first
    second = client.get("/supervision?per_page=2&page=2").get_data(as_text=True)
    assert "督查发现问题第1项" in second
    assert "督查发现问题第3项" not in second
    assert client.get("/supervision?page=x").status_code == 400


def test_lp13_the_ledger_page_shows_the_services_rows(client, county, clock, session):
    found(county, clock)
    finding = Finding(county.road.id, "工地扬尘治理不到位", "T01")
    file_finding(
        county.session, PROFILE, county.people["dcs"], finding, clock.at(bj(2026, 3, 3, 9))
    )
    county.session.commit()
    login(client, "dcs")
    page = client.get("/supervision").get_data(as_text=True)
    rows = [r for r in table_rows(page, "<table")[1:] if len(r) == 11]
    service = ledger.rows(session, county.people["dcs"])

    assert [r[1:10] for r in rows] == [
        [s.origin, s.project, s.summary, s.lead_unit, s.phase_units, s.filing_number, s.due,
         s.state_label, s.listed]
        for s in service
    ]  # fmt: skip
    # By hand: the newest first; the first finding was filed (立项) with its notice, the second
    # waits for it.
    assert [(r[3], r[8]) for r in rows] == [
        ("工地扬尘治理不到位", "已列入"),
        ("施工现场停工两周未报告", "已立项"),
    ]
