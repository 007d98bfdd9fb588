"""The diagram versions pages (X3): an administrator deploys a file, compares versions, sees
refusals per element, previews and applies a migration; the key office only reads."""

from __future__ import annotations

import io

from sqlalchemy import select

from keyproj.db.models import Case
from keyproj.services.cases.definitions import latest
from keyproj.services.diagrams.validation import MAX_DIAGRAM_BYTES
from tests.builders.clock import bj
from tests.builders.diagrams import core, response_in
from tests.builders.web import csrf_token, login

KEY = "warning_case"


def upload(client, xml: str | bytes, note: str = "响应期限改为5个工作日"):
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    return client.post(
        f"/diagrams/{KEY}/deploy",
        data={"file": (io.BytesIO(data), "warning_case.bpmn"), "note": note},
        content_type="multipart/form-data",
    )


def test_x3_an_administrator_deploys_a_file_and_sees_it_listed_with_the_log(client, county):
    county.with_people("admin").committed()
    login(client, "admin")
    page = client.get("/diagrams").get_data(as_text=True)
    assert "第 1 版" in page
    assert "第 2 版" not in page
    csrf_token(page)  # the deploy and retire forms carry their token
    assert upload(client, response_in(5)).status_code == 303
    page = client.get("/diagrams").get_data(as_text=True)
    assert "第 2 版" in page
    assert "响应期限改为5个工作日" in page
    assert "部署新版本" in page  # the change log: what, who, when
    diff = client.get(f"/diagrams/{KEY}/diff?a=1&b=2").get_data(as_text=True)
    assert (
        '<tr data-element="part_deadlines"><td>修改</td><td>计算本单位响应与成效期限</td><td>脚本任务</td><td>脚本</td>'
        in diff
    )
    assert "working_deadline(notice_issued_at, 5)" in diff
    assert 'data-active="set_handling_deadlines,part_deadlines"' in diff
    shown = client.get(f"/diagrams/{KEY}/versions/2").get_data(as_text=True)
    assert f'data-src="/diagrams/{KEY}/versions/2.bpmn"' in shown
    xml = client.get(f"/diagrams/{KEY}/versions/2.bpmn").get_data(as_text=True)
    assert "working_deadline(notice_issued_at, 5)" in xml


def test_x3_a_refused_upload_lists_its_problems_and_deploys_nothing(client, county):
    county.with_people("admin").committed()
    login(client, "admin")
    unknown_lane = core().replace('name="县政府"', 'name="县长办公室"', 1)
    refused = upload(client, unknown_lane)
    assert refused.status_code == 400
    assert "县长办公室" in refused.get_data(as_text=True)
    assert upload(client, b" " * (10 * 1024 * 1024)).status_code == 413  # over any request's size
    too_big = upload(client, b" " * (MAX_DIAGRAM_BYTES + 1))
    assert too_big.status_code == 400
    assert "流程图文件过大：不能超过 1 MB" in too_big.get_data(as_text=True)
    xxe = core().replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    )
    assert "DOCTYPE" in upload(client, xxe).get_data(as_text=True)
    assert "第 2 版" not in client.get("/diagrams").get_data(as_text=True)


def test_x3_the_migration_preview_and_its_move_from_the_pages(client, county, session):
    county.with_people("admin", "town").committed()
    case = county.open_case(county.road, county.at(bj(2026, 9, 28, 9)))
    county.notify(case, county.at(bj(2026, 9, 28, 10)))
    county.at(bj(2026, 9, 29, 9))
    login(client, "admin")
    upload(client, response_in(5))
    page = client.get(f"/diagrams/{KEY}/migrate?source=1&target=2").get_data(as_text=True)
    assert f'data-case="{case.id}" data-movable="yes"' in page
    assert (
        "受理并开展协调期限（城关镇）：2026-10-08 23:59 → 2026-10-10 23:59（自通知下达之日起算）"
        in page
    )
    moved = client.post(
        f"/diagrams/{KEY}/migrate", data={"source": "1", "target": "2", "case": [str(case.id)]}
    )
    assert moved.status_code == 303
    session.expire_all()
    assert session.scalar(select(Case).where(Case.id == case.id)).definition.version == 2
    timeline = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "流程由第1版迁移至第2版" in timeline
    assert "2026-10-08 23:59 → 2026-10-10 23:59" in timeline
    assert "迁移 1 件" in client.get("/diagrams").get_data(as_text=True)


def test_x3_the_key_office_reads_versions_but_may_not_deploy_and_units_see_nothing(client, county):
    county.with_people("town").committed()
    login(client, "zdb")
    page = client.get("/diagrams").get_data(as_text=True)
    assert "第 1 版" in page
    assert "校验并部署" not in page
    assert upload(client, response_in(5)).status_code == 403
    client.post("/logout")
    login(client, "town")
    assert client.get("/diagrams").status_code == 403


def test_x3_an_administrator_retires_a_version_and_new_cases_start_on_the_other(
    client, county, session
):
    county.with_people("admin").committed()
    login(client, "admin")
    page = client.get("/diagrams").get_data(as_text=True)
    assert f"/diagrams/{KEY}/versions/1/retire" not in page  # the only active version
    upload(client, response_in(5))
    page = client.get("/diagrams").get_data(as_text=True)
    assert f"/diagrams/{KEY}/versions/2/retire" in page
    retired = client.post(f"/diagrams/{KEY}/versions/2/retire", follow_redirects=True)
    shown = retired.get_data(as_text=True)
    assert "已停用“重点项目预警协调处置”第 2 版" in shown
    assert "停用版本" in shown  # the change log
    session.expire_all()
    assert latest(session, KEY).version == 1  # new cases start on it
    preview = client.get(f"/diagrams/{KEY}/migrate?source=1&target=2").get_data(as_text=True)
    assert "第 2 版已停用，不能作为迁移的目标版本" in preview
    refused = client.post(f"/diagrams/{KEY}/versions/1/retire", follow_redirects=True)
    assert "唯一在用的版本" in refused.get_data(as_text=True)
