"""Plan pages (LP6, AL5): the unit drafts its year plan with the breakdown and submits it, the key
office approves or returns it with a reason, revisions are new versions; the ledger template."""

from __future__ import annotations

import re
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from keyproj.codes import PlanStatus
from keyproj.db.models import PlanVersion
from tests.builders.clock import bj
from tests.builders.web import login


def plan_form(**changes: str) -> dict[str, str]:
    """A 2026 plan of 1,200 万元 over March and April."""
    form = {
        "annual_investment": "1,200",
        "milestones": "主体完工",
        "inv-2026-03": "500",
        "pct-2026-03": "30",
        "ms-2026-03": "基础完成",
        "inv-2026-04": "700",
        "pct-2026-04": "60",
    }
    return form | changes


def versions(session) -> list[PlanVersion]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.scalars(select(PlanVersion).order_by(PlanVersion.number)))


def draft(client, county, **changes: str):  # type: ignore[no-untyped-def]
    url = f"/projects/{county.road.id}/plans/new?year=2026"
    return client.post(url, data=plan_form(**changes))


def test_lp6_unit_drafts_submits_and_the_key_office_approves(app, client, county, session, clock):
    clock.at(bj(2026, 2, 10, 9))
    login(client, "chengguan")
    saved = draft(client, county)
    assert saved.status_code == 303, saved.get_data(as_text=True)
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "计划草稿已保存，尚未报送" in page
    assert "2026年3月" in page
    assert "基础完成" in page
    [version] = versions(session)
    assert version.annual_investment == 1200

    sent = client.post(f"/plans/versions/{version.id}/submit")
    assert sent.status_code == 303
    assert versions(session)[0].status == PlanStatus.SUBMITTED

    office = app.test_client()
    login(office, "zdb")
    assert (
        office.post(f"/plans/versions/{version.id}/approve", data={"note": "同意"}).status_code
        == 303
    )
    listing = client.get(f"/projects/{county.road.id}/plans?year=2026").get_data(as_text=True)
    assert "第1版，年度计划投资 1,200 万元" in listing
    assert "已批准" in listing
    assert "同意" in listing


def test_a_returned_plan_shows_the_reason_and_the_unit_drafts_again(
    app, client, county, session, clock
):
    clock.at(bj(2026, 2, 10, 9))
    login(client, "chengguan")
    draft(client, county)
    [version] = versions(session)
    client.post(f"/plans/versions/{version.id}/submit")
    office = app.test_client()
    login(office, "zdb")
    empty = office.post(f"/plans/versions/{version.id}/return", data={"note": ""})
    assert empty.status_code == 422
    assert "退回须写明意见" in empty.get_data(as_text=True)
    office.post(f"/plans/versions/{version.id}/return", data={"note": "4月节点过于乐观"})

    listing = client.get(f"/projects/{county.road.id}/plans?year=2026").get_data(as_text=True)
    assert "已退回" in listing
    assert "4月节点过于乐观" in listing
    assert draft(client, county, **{"pct-2026-04": "50"}).status_code == 303
    assert [v.status for v in versions(session)] == [PlanStatus.REJECTED, PlanStatus.DRAFT]


def test_al5_a_revision_of_an_approved_plan_needs_a_reason_and_is_a_new_version(
    app, client, county, session, clock
):
    clock.at(bj(2026, 2, 10, 9))
    login(client, "chengguan")
    draft(client, county)
    [first] = versions(session)
    client.post(f"/plans/versions/{first.id}/submit")
    office = app.test_client()
    login(office, "zdb")
    office.post(f"/plans/versions/{first.id}/approve", data={})

    clock.at(bj(2026, 7, 1, 9))
    login(client, "chengguan")  # the February sign-in has long expired
    refused = draft(client, county)
    assert re.search(
        r"调整原因.*</a>：已有批准的年度计划，调整须说明原因", refused.get_data(as_text=True)
    )
    assert draft(client, county, reason="征地延后一个月").status_code == 303
    second = versions(session)[1]
    assert (second.number, second.reason) == (2, "征地延后一个月")
    for version in versions(session):
        assert client.get(f"/plans/versions/{version.id}").status_code == 200


def test_lp6_a_revision_opens_filled_with_the_plan_in_force(app, client, county, session, clock):
    clock.at(bj(2026, 2, 10, 9))
    login(client, "chengguan")
    blank = client.get(f"/projects/{county.road.id}/plans/new?year=2026").get_data(as_text=True)
    assert 'name="inv-2026-03" id="inv-2026-03" inputmode="decimal" value=""' in blank
    draft(client, county, **{"proc-2026-04": "施工许可"})
    [first] = versions(session)
    client.post(f"/plans/versions/{first.id}/submit")
    office = app.test_client()
    login(office, "zdb")
    office.post(f"/plans/versions/{first.id}/approve", data={})

    page = client.get(f"/projects/{county.road.id}/plans/new?year=2026").get_data(as_text=True)
    assert re.search(r'id="annual_investment"[^>]*value="1200"', page)
    assert "主体完工</textarea>" in page
    assert 'name="inv-2026-03" id="inv-2026-03" inputmode="decimal" value="500"' in page
    assert 'name="pct-2026-04" id="pct-2026-04" inputmode="decimal" value="60"' in page
    assert 'name="ms-2026-03" value="基础完成"' in page
    assert 'name="proc-2026-04" value="施工许可"' in page
    assert 'name="inv-2026-05" id="inv-2026-05" inputmode="decimal" value=""' in page


def test_wrong_figures_are_refused_naming_the_field_and_nothing_is_saved(
    client, county, session, clock
):
    clock.at(bj(2026, 2, 10, 9))
    login(client, "chengguan")
    comma = draft(client, county, **{"inv-2026-03": "5,00"}).get_data(as_text=True)
    assert "2026-03 当期计划投资（万元）：“5,00”的千位分隔不正确" in comma
    assert 'value="5,00"' in comma  # what the user typed stays
    total = draft(client, county, **{"inv-2026-04": "600"}).get_data(as_text=True)
    assert "各期计划投资合计 1100 万元，与年度计划投资 1200 万元不一致" in total
    above = draft(client, county, annual_investment="99,999", **{"inv-2026-04": "99,499"})
    assert "超过项目总投资" in above.get_data(as_text=True)
    assert versions(session) == []


def test_the_ledger_template_downloads_with_the_breakdown_sheet(client, county):
    login(client, "chengguan")
    answer = client.get("/plans/template.xlsx?year=2026")
    assert answer.status_code == 200
    assert answer.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(BytesIO(answer.data))
    assert book.sheetnames == ["重点项目台账", "年度计划分解", "填写说明"]
    assert client.get("/plans/template.xlsx?year=２０２６").status_code == 400


def test_another_units_plan_pages_are_not_found(client, county):
    login(client, "shiqiao")
    assert client.get(f"/projects/{county.road.id}/plans").status_code == 404
    assert client.post(f"/projects/{county.road.id}/plans/new", data=plan_form()).status_code == 404
