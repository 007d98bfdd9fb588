"""The ledger page: the key office imports a workbook (all rows or none), anyone exports what they see."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import select

from keyproj.db.models import Project
from tests.builders.ledger import CODE_A, CODE_B, row, workbook
from tests.builders.unit_book import unit_book_county
from tests.builders.web import login


def upload(client, data: bytes, year: str = "2026"):
    return client.post(
        "/ledger/import",
        data={"year": year, "file": (BytesIO(data), "台账.xlsx")},
        content_type="multipart/form-data",
    )


def codes(session) -> set[str]:
    session.expire_all()
    return set(session.scalars(select(Project.code)))


def test_the_key_office_imports_a_ledger_and_the_scan_is_asked_for(client, county, session, kicks):
    login(client, "zdb")
    done = upload(client, workbook([row(CODE_A), row(CODE_B, 项目名称="城关镇新建供水厂")]))
    assert done.status_code == 303
    assert {CODE_A, CODE_B} <= codes(session)
    page = client.get("/ledger").get_data(as_text=True)
    assert "导入完成：新增2个项目，更新0个" in page
    assert len(kicks) == 1  # the imported plans are what the next scan compares against


def test_a_bad_row_imports_nothing_and_names_row_and_column(client, county, session, kicks):
    login(client, "zdb")
    before = codes(session)
    refused = upload(client, workbook([row(CODE_A), row(CODE_B, **{"总投资（万元）": "很多"})]))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "第3行" in html
    assert "总投资（万元）" in html
    assert "整份文件未导入" in html
    assert codes(session) == before
    assert kicks == []


def test_a_bad_year_or_no_file_is_named(client, county):
    login(client, "zdb")
    year = upload(client, workbook([row(CODE_A)]), year="２０２６")
    assert year.status_code == 422
    assert "年度" in year.get_data(as_text=True)
    empty = client.post("/ledger/import", data={"year": "2026"}, content_type="multipart/form-data")
    assert empty.status_code == 422
    assert "请选择要导入的台账文件" in empty.get_data(as_text=True)


def test_a_liaison_may_not_import_but_exports_its_own_projects(client, county, session):
    login(client, "chengguan")
    page = client.get("/ledger").get_data(as_text=True)
    assert "导入台账" not in page
    assert upload(client, workbook([row(CODE_A)])).status_code == 403
    assert CODE_A not in codes(session)
    exported = client.get("/ledger/export.xlsx?year=2026")
    assert exported.status_code == 200
    sheet = load_workbook(BytesIO(exported.data), read_only=True).worksheets[0]
    names = {r[1] for r in sheet.iter_rows(min_row=2, values_only=True) if r[1]}
    assert names == {county.road.name, county.school.name}  # not 石桥镇's bridge


def test_the_units_ledger_is_offered_and_each_unit_downloads_its_own_sheet(client, county):
    unit_book_county(county)
    login(client, "zdb")
    page = client.get("/ledger").get_data(as_text=True)
    assert "导出分单位台账" in page
    assert '<option value="' in page  # the key office may pick one unit
    answer = client.get(f"/ledger/units.xlsx?period=2026-09&unit={county.bridge.lead_unit_id}")
    assert answer.status_code == 200
    assert "2026-09" in answer.headers["Content-Disposition"]
    book = load_workbook(BytesIO(answer.data))
    assert book.sheetnames == ["石桥镇"]
    assert book["石桥镇"]["A1"].value == "连平县2026年重点项目建设台账（截至2026年9月）"
    client.post("/logout")

    login(client, "chengguan")
    assert "全部单位" not in client.get("/ledger").get_data(as_text=True)
    own = load_workbook(BytesIO(client.get("/ledger/units.xlsx?period=2026-09").data))
    assert own.sheetnames == ["城关镇"]
    other = client.get(f"/ledger/units.xlsx?period=2026-09&unit={county.bridge.lead_unit_id}")
    assert other.status_code == 404
    assert client.get("/ledger/units.xlsx?period=2026-9").status_code == 400
    assert client.get("/ledger/units.xlsx?unit=abc").status_code == 400
