"""Site photos on the record pages (GS5 inspection records, LP10 spot checks): uploaded several
at a time, listed as thumbnails, served only within the record's scope, refused with the reason
and nothing kept; named in the bulletin. Group six's separate report through its pages (GS5)."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from keyproj.db.models import Attachment, User
from keyproj.policy import load_profile
from keyproj.services.spot_checks.checks import CheckData, record_check
from tests.builders import attachments
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.inspections import grouped, inspected
from tests.builders.registries import docx_text
from tests.builders.web import api_error, bearer, json_of, login

THUMB = re.compile(r'<li data-photo="(\d+)"><a href="/attachments/\1"><img src="/attachments/\1"')


@pytest.fixture
def inspected_bridge(county: County) -> int:
    """石桥镇's bridge inspected by group 1 in week 11, school assigned to group 6; the id."""
    county.with_people("dcs")
    grouped(county, {1: ["bridge"], 6: ["school"]})
    row = inspected(county, "bridge", "2026-03-10", 1, severity="minor", findings="护栏缺失")
    county.committed()
    return row.id


def _as(client: FlaskClient, username: str) -> None:
    client.post("/logout")
    login(client, username)


def _send(client: FlaskClient, url: str, *files: tuple[str, bytes]):
    data = {"photos": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(url, data=data, content_type="multipart/form-data")


def _flashed(client: FlaskClient, sent) -> str:
    assert sent.status_code == 303, sent.status_code
    return client.get(sent.headers["Location"]).get_data(as_text=True)


def test_gs5_photos_on_an_inspection_record_are_shown_named_in_the_bulletin_and_scoped(
    gs_client, session, inspected_bridge, tmp_path
):
    page = f"/inspections/records/{inspected_bridge}"
    _as(gs_client, "dcs")
    html = _flashed(
        gs_client,
        _send(
            gs_client,
            f"{page}/photos",
            ("桥墩.jpg", attachments.jpeg()),
            ("护栏.png", attachments.png()),
        ),
    )
    assert "已上传现场照片2张" in html
    photos = session.scalars(select(Attachment).order_by(Attachment.id)).all()
    assert [p.name for p in photos] == ["桥墩.jpg", "护栏.png"]
    assert THUMB.findall(html) == [str(p.id) for p in photos]
    _as(gs_client, "zdb")
    week = gs_client.get("/inspections?week=2026-W11").get_data(as_text=True)
    assert f'<a href="{page}">2026-03-10</a>' in week
    docx = gs_client.get("/inspections/bulletin.docx?week=2026-W11")
    assert "护栏缺失；现场照片2张（桥墩.jpg、护栏.png）。" in docx_text(docx.data)
    _as(gs_client, "shiqiao")  # the bridge is 石桥镇's: it sees the record and the photos
    html = gs_client.get(page).get_data(as_text=True)
    assert THUMB.findall(html) == [str(p.id) for p in photos]
    assert "上传照片" not in html  # but does not record inspections
    shown = gs_client.get(f"/attachments/{photos[0].id}")
    assert (shown.status_code, shown.mimetype, shown.data) == (
        200,
        "image/jpeg",
        attachments.jpeg(),
    )
    assert "attachment" not in shown.headers["Content-Disposition"]  # opens in the browser
    _as(gs_client, "chengguan")  # 城关镇: not its project
    assert gs_client.get(page).status_code == 404
    assert gs_client.get(f"/attachments/{photos[0].id}").status_code == 404
    assert _send(gs_client, f"{page}/photos", ("x.jpg", attachments.jpeg())).status_code == 404


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (
            ("说明.jpg", b"#!/bin/sh\nrm -rf /\n"),
            "现场照片：“说明.jpg”的内容不是图片，只接受 JPG 或 PNG 格式的照片",
        ),
        (
            ("大图.jpg", attachments.jpeg() + b"\0" * (11 * 1024 * 1024)),
            "现场照片：“大图.jpg”大小 11.0 MB，超过上限 10 MB",
        ),
        (("空.png", b""), "现场照片：“空.png”是空文件"),
        (
            ("../../../etc/cron.d/x.png", attachments.png()),
            "现场照片：文件名“../../../etc/cron.d/x.png”含路径或控制字符，请使用普通文件名",
        ),
    ],
)
def test_gs5_a_hostile_photo_is_refused_with_its_reason_and_nothing_is_kept(
    gs_client, session, inspected_bridge, tmp_path, upload, reason
):
    _as(gs_client, "dcs")
    url = f"/inspections/records/{inspected_bridge}/photos"
    html = _flashed(gs_client, _send(gs_client, url, ("桥墩.jpg", attachments.jpeg()), upload))
    assert reason in html
    assert "已上传现场照片" not in html
    assert session.scalars(select(Attachment)).all() == []
    assert not [p for p in (tmp_path / "attachments").rglob("*") if p.is_file()]


def test_lp10_photos_on_a_spot_check_page_and_the_plan_links_to_it(client, county, session):
    data = CheckData(county.projects["bridge"].id, date(2026, 3, 9), "张三", "便道未硬化")
    check = record_check(
        session, load_profile("lianping"), county.people["zdb"], data, bj(2026, 3, 10, 9)
    )
    county.committed()
    county.at(bj(2026, 3, 10, 9))
    login(client, "zdb")
    plan = client.get("/spot-checks?cycle=2026-03").get_data(as_text=True)
    page = f"/spot-checks/checks/{check.id}"
    assert f'<tr data-check="{check.id}"><td><a href="{page}">2026-03-09</a>' in plan
    nothing = _flashed(
        client, client.post(f"{page}/photos", data={}, content_type="multipart/form-data")
    )
    assert "现场照片：请选择要上传的照片" in nothing
    html = _flashed(client, _send(client, f"{page}/photos", ("便道.jpg", attachments.jpeg())))
    assert "已上传现场照片1张" in html
    assert "便道未硬化" in html
    [photo] = session.scalars(select(Attachment)).all()
    assert THUMB.findall(html) == [str(photo.id)]
    client.post("/logout")
    login(client, "chengguan")
    assert client.get(page).status_code == 404
    assert client.get(f"/attachments/{photo.id}").status_code == 404
    client.post("/logout")
    login(client, "shiqiao")
    assert client.get(f"/attachments/{photo.id}").status_code == 200
    assert _send(client, f"{page}/photos", ("x.jpg", attachments.jpeg())).status_code == 303
    assert len(session.scalars(select(Attachment)).all()) == 1  # a liaison adds none


def test_gs5_the_office_issues_group_sixs_report_from_its_page(gs_client, inspected_bridge):
    _as(gs_client, "zdb")
    groups = gs_client.get("/inspections?week=2026-W11").get_data(as_text=True)
    found = re.search(r'<tr data-group="6"><td><a href="/inspections/groups/(\d+)"', groups)
    assert found is not None
    url = f"/inspections/groups/{found.group(1)}/report"
    assert f'<a href="{url}?week=2026-W11">2026年第11周督导检查报告</a>' in groups
    draft = gs_client.get(f"{url}?week=2026-W11").get_data(as_text=True)
    assert "尚未印发" in draft
    assert "县重点项目联合检查组第6组（县百城提质办）对全县百城建设提质工程" in draft
    done = _flashed(gs_client, gs_client.post(url, data={"week": "2026-W11"}))
    assert "督导检查报告已印发：光重点办督查〔2026〕1号" in done
    assert "文号：光重点办督查〔2026〕1号" in done
    again = _flashed(gs_client, gs_client.post(url, data={"week": "2026-W11"}))
    assert "已印发（光重点办督查〔2026〕1号）" in again
    text = docx_text(gs_client.get(f"{url}.docx?week=2026-W11").data)
    assert "光重点办督查〔2026〕1号" in text
    bulletin = gs_client.get("/inspections/bulletin?week=2026-W11").get_data(as_text=True)
    assert "督导检查报告（光重点办督查〔2026〕1号）单独印发" in bulletin
    first = re.search(r'<tr data-group="1"><td><a href="/inspections/groups/(\d+)"', groups)
    assert first is not None
    for asked in ("report", "report.docx"):
        refused = gs_client.get(f"/inspections/groups/{first.group(1)}/{asked}?week=2026-W11")
        shown = _flashed(gs_client, refused)
        assert "第1组（县委组织部）的检查情况列入联合督导检查通报，不单独印发报告" in shown
    _as(gs_client, "shiqiao")
    assert gs_client.get(f"{url}?week=2026-W11").status_code == 403
    assert gs_client.post(url, data={"week": "2026-W11"}).status_code == 403


def test_gs5_the_api_gives_a_records_photos_and_group_sixs_report(
    gs_client, session, inspected_bridge
):
    _as(gs_client, "dcs")
    page = f"/inspections/records/{inspected_bridge}"
    _send(gs_client, f"{page}/photos", ("桥墩.jpg", attachments.jpeg()))
    office = bearer(session, _user(session, "zdb"))
    record = json_of(
        gs_client.get(f"/api/v1/inspection-records/{inspected_bridge}", headers=office)
    )
    [photo] = record["photos"]
    assert photo["name"] == "桥墩.jpg"
    assert gs_client.get(photo["url"], headers=office).data == attachments.jpeg()
    groups = gs_client.get("/inspections?week=2026-W11").get_data(as_text=True)
    six = re.search(r'<tr data-group="6"><td><a href="/inspections/groups/(\d+)"', groups)
    one = re.search(r'<tr data-group="1"><td><a href="/inspections/groups/(\d+)"', groups)
    assert six is not None
    assert one is not None
    url = f"/api/v1/inspection-groups/{six.group(1)}/reports/2026-W11"
    draft = json_of(gs_client.get(url, headers=office))
    assert (draft["group"], draft["number"], draft["issued_on"]) == (
        "第6组（县百城提质办）",
        None,
        None,
    )
    assert (
        draft["title"]
        == "关于2026年第11周全县百城建设提质工程（官渡河综合治理项目）督导检查情况的报告"
    )
    _as(gs_client, "zdb")
    gs_client.post(f"/inspections/groups/{six.group(1)}/report", data={"week": "2026-W11"})
    issued = json_of(gs_client.get(url, headers=office))
    assert issued["number"] == "光重点办督查〔2026〕1号"
    assert issued["body"] == draft["body"]
    bulletin_group = f"/api/v1/inspection-groups/{one.group(1)}/reports/2026-W11"
    api_error(gs_client.get(bulletin_group, headers=office), 409, "conflict")
    town = bearer(session, _user(session, "shiqiao"))
    api_error(gs_client.get(url, headers=town), 403, "forbidden")
    api_error(
        gs_client.get(url.replace("2026-W11", "2026-11"), headers=office), 422, "validation_failed"
    )


def _user(session, username: str) -> User:
    return session.scalars(select(User).where(User.username == username)).one()
