"""Registry pages: leaders (key office only), liaisons with history and the published list
(LP5, AL8), imports that save all or nothing, project teams and the DC1 site sign."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from sqlalchemy import select

from keyproj.db.models import Leader, Liaison
from tests.builders import factories
from tests.builders.registries import docx_text, sheet, sheet_rows
from tests.builders.web import client_under, login


def _upload(data: bytes) -> dict[str, object]:
    return {"file": (BytesIO(data), "名单.xlsx")}


def test_dc1_the_key_office_links_a_leader_to_an_account(client, county, session):
    factories.user(session, "wangqiang", "XLD", "leader")
    session.commit()
    login(client, "zdb")
    done = client.post(
        "/registries/leaders",
        data={"name": "王强", "title": "副县长", "phone": "13800000001", "username": "wangqiang"},
    )
    assert done.status_code == 303
    page = client.get("/registries/leaders").get_data(as_text=True)
    assert re.search(
        r"<td>王强</td><td>副县长</td><td>13800000001</td><td class=\"code\">wangqiang</td>", page
    )
    refused = client.post("/registries/leaders", data={"name": "李明", "username": "chengguan"})
    assert "用户名：账号“chengguan”没有“县领导”角色" in refused.get_data(as_text=True)
    assert session.scalars(select(Leader.name)).all() == ["王强"]


def test_dc1_a_unit_does_not_reach_the_leaders_registry(client, county):
    login(client, "chengguan")
    assert client.get("/registries/leaders").status_code == 403
    assert client.post("/registries/leaders", data={"name": "王强"}).status_code == 403
    assert "县领导名录" not in client.get("/registries").get_data(as_text=True)


def test_lp5_a_unit_names_its_liaison_and_the_change_keeps_history(client, county, session):
    login(client, "chengguan")
    client.post(
        "/registries/liaisons",
        data={"unit": "T01", "name": "张伟", "phone": "13800000000", "since": "2026-01-05"},
    )
    client.post(
        "/registries/liaisons",
        data={
            "unit": "T01",
            "name": "李娜",
            "phone": "13900000000",
            "position": "办事员",
            "since": "2026-06-01",
        },
    )
    page = client.get("/registries/liaisons").get_data(as_text=True)
    assert "<td>城关镇</td><td>乡镇</td><td>李娜</td><td>办事员</td><td>13900000000</td>" in page
    assert "张伟" not in page  # the list shows the current liaisons only
    history = client.get("/registries/liaisons/history?unit=T01").get_data(as_text=True)
    assert re.search(
        r"<td>李娜</td>.*<td>现任</td>.*<td>张伟</td>.*<td>2026-06-01</td>", history, re.S
    )


def test_al8_a_unit_may_not_name_another_units_liaison(client, county, session):
    login(client, "chengguan")
    refused = client.post(
        "/registries/liaisons", data={"unit": "T02", "name": "赵六", "phone": "13600000000"}
    )
    assert refused.status_code == 403
    assert client.get("/registries/liaisons/history?unit=T02").status_code == 403
    assert session.scalars(select(Liaison)).all() == []


def test_lp5_bad_liaison_fields_are_named_and_kept(client, county, session):
    login(client, "chengguan")
    page = client.post(
        "/registries/liaisons",
        data={"unit": "T01", "name": "张伟", "phone": "电话", "since": "2026/1/5"},
    )
    html = page.get_data(as_text=True)
    assert "任职日期：" in html
    assert 'value="张伟"' in html
    assert session.scalars(select(Liaison)).all() == []


def test_lp5_the_published_list_exports_as_xlsx_and_docx(client, county):
    login(client, "zdb")
    client.post(
        "/registries/liaisons", data={"unit": "T02", "name": "赵六", "phone": "13600000000"}
    )
    xlsx = client.get("/registries/liaisons.xlsx")
    assert "attachment" in xlsx.headers["Content-Disposition"]
    assert sheet_rows(xlsx.data)[1][1:4] == ["石桥镇", "乡镇", "赵六"]
    text = docx_text(client.get("/registries/liaisons.docx").data)
    assert text.startswith("连平县重点项目预警联络员名单\n连平县重点项目建设办公室　")
    assert "|石桥镇|乡镇|赵六|" in text


def test_lp5_a_construction_units_liaison_is_named_by_project_code_and_listed_under_it(
    client, county, session
):
    login(client, "chengguan")
    form = client.get("/registries/liaisons").get_data(as_text=True)
    assert '<option value="">项目建设单位（填写项目代码）</option>' in form
    both = client.post(
        "/registries/liaisons",
        data={"unit": "T01", "name": "周建设", "phone": "13700000000", "project": county.road.code},
    )
    assert "项目代码：单位与项目代码只填一项" in both.get_data(as_text=True)
    assert 'value="周建设"' in both.get_data(as_text=True)
    done = client.post(
        "/registries/liaisons",
        data={"unit": "", "name": "周建设", "phone": "13700000000", "project": county.road.code},
    )
    assert done.status_code == 303
    page = client.get("/registries/liaisons").get_data(as_text=True)
    assert re.search(
        r"<td>城关镇环城路改建工程（<span class=\"code\">[-0-9]+</span>）</td><td>[^<]*</td>"
        r"<td>周建设</td>",
        page,
    )
    other = client.post(
        "/registries/liaisons",
        data={"unit": "", "name": "赵六", "phone": "13600000000", "project": county.bridge.code},
    )
    assert other.status_code == 403
    assert session.scalars(select(Liaison.name)).all() == ["周建设"]

    login(client, "zdb")
    history = client.get(f"/registries/liaisons/history?project={county.road.code}")
    assert "<td>周建设</td>" in history.get_data(as_text=True)
    text = docx_text(client.get("/registries/liaisons.docx").data)
    assert "|城关镇环城路改建工程（" in text
    assert sheet_rows(client.get("/registries/liaisons.xlsx").data)[1][3] == "周建设"


def test_lp5_an_import_with_a_bad_row_saves_nothing_and_names_the_row(client, county, session):
    login(client, "zdb")
    template = client.get("/registries/liaisons/template.xlsx")
    assert sheet_rows(template.data)[0] == [
        "单位",
        "姓名",
        "职务",
        "联系电话",
        "任职日期",
        "项目代码",
    ]
    bad = sheet(
        ["单位", "姓名", "联系电话"],
        ["城关镇", "张伟", "13800000000"],
        ["火星镇", "赵六", "13600000000"],
    )
    refused = client.post(
        "/registries/liaisons/import", data=_upload(bad), content_type="multipart/form-data"
    )
    assert refused.status_code == 422
    assert "第3行「单位」：未知单位“火星镇”" in refused.get_data(as_text=True)
    assert session.scalars(select(Liaison)).all() == []
    good = sheet(["单位", "姓名", "联系电话"], ["城关镇", "张伟", "13800000000"])
    done = client.post(
        "/registries/liaisons/import", data=_upload(good), content_type="multipart/form-data"
    )
    assert done.status_code == 303
    assert session.scalars(select(Liaison.name)).all() == ["张伟"]


@pytest.fixture
def dancheng(engine, tmp_path, county, session):
    """A client of the app under Dancheng's profile, which posts DC1 site signs."""
    factories.user(session, "wangqiang", "XLD", "leader")
    session.commit()
    with client_under(engine, tmp_path, "dancheng") as client:
        yield client


def test_dc1_the_key_office_sets_a_team_and_prints_the_site_sign(dancheng, county, session):
    login(dancheng, "zdb")
    dancheng.post(
        "/registries/leaders", data={"name": "王强", "title": "副县长", "username": "wangqiang"}
    )
    road = county.road.id
    form = dancheng.get(f"/projects/{road}/team").get_data(as_text=True)
    assert "派驻纪检监察员" in form
    assert "项目长助理" not in form  # a GS3 role, not Dancheng's
    done = dancheng.post(
        f"/projects/{road}/team",
        data={
            "chief_name": "王强",
            "construction_contact_name": "郑强",
            "construction_contact_org_name": "县城投公司",
            "construction_contact_phone": "13800000003",
        },
    )
    assert done.status_code == 303
    sign = dancheng.get(f"/projects/{road}/site-sign").get_data(as_text=True)
    assert "@media print" in sign
    assert re.search(r"<th scope=\"row\">项目分包领导</th><td>王强</td><td>副县长</td>", sign)
    assert "<td>县城投公司</td>" in sign
    assert (
        "依据：（一）实行重点项目处级领导分包责任制" in sign
    )  # the clause, as the regulation heads it
    assert "建设单位责任人|郑强|县城投公司|13800000003" in docx_text(
        dancheng.get(f"/projects/{road}/site-sign.docx").data
    )
    dancheng.post("/logout")
    login(dancheng, "wangqiang")  # the chief is the linked leader: their account sees the project
    assert dancheng.get(f"/projects/{road}").status_code == 200


def test_dc1_a_unit_reads_its_team_but_may_not_change_it(dancheng, county, session):
    login(dancheng, "chengguan")
    page = dancheng.get(f"/projects/{county.road.id}/team").get_data(as_text=True)
    assert "派驻纪检监察员" in page
    assert 'name="chief_name"' not in page
    assert (
        dancheng.post(f"/projects/{county.road.id}/team", data={"chief_name": "王强"}).status_code
        == 403
    )


def test_dc1_the_site_sign_is_not_offered_where_the_profile_posts_none(client, county):
    login(client, "zdb")
    assert client.get(f"/projects/{county.road.id}/site-sign").status_code == 404
    assert "打印公示牌" not in client.get(f"/projects/{county.road.id}/team").get_data(as_text=True)


def test_dc1_another_units_project_sign_and_team_are_404(dancheng, county):
    login(dancheng, "shiqiao")
    road = county.road.id
    for path in (
        f"/projects/{road}/team",
        f"/projects/{road}/site-sign",
        f"/projects/{road}/site-sign.docx",
    ):
        assert dancheng.get(path).status_code == 404
