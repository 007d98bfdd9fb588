"""Attachment pages: upload on an issue, download by those who may see it, 404 for another unit."""

from __future__ import annotations

import io
from urllib.parse import quote

from sqlalchemy import select

from keyproj.codes import ReportStatus
from keyproj.db.models import Attachment
from tests.builders import attachments, factories
from tests.builders.clock import bj
from tests.builders.web import casework_county, login


def _upload(client, issue_id, name, content):
    return client.post(
        f"/issues/{issue_id}/attachments",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_an_issue_takes_a_file_that_its_unit_downloads_under_its_chinese_name(
    client, county, session
):
    issue = factories.issue(session, county.road, "3户拆迁未签约")
    session.commit()
    login(client, "chengguan")

    sent = _upload(client, issue.id, "拆迁协议.pdf", attachments.PDF)
    assert sent.status_code == 303
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "附件已上传" in page
    assert "拆迁协议.pdf" in page
    row = session.scalars(select(Attachment)).one()
    got = client.get(f"/attachments/{row.id}")
    assert got.status_code == 200
    assert got.data == attachments.PDF
    assert got.mimetype == "application/pdf"
    assert quote("拆迁协议.pdf") in got.headers["Content-Disposition"]


def test_another_unit_gets_404_for_the_file_and_the_upload(client, county, session, tmp_path):
    issue = factories.issue(session, county.road, "3户拆迁未签约")
    session.commit()
    login(client, "chengguan")
    _upload(client, issue.id, "现场照片.png", attachments.png())
    row = session.scalars(select(Attachment)).one()
    client.post("/logout")

    login(client, "shiqiao")
    assert client.get(f"/attachments/{row.id}").status_code == 404
    assert _upload(client, issue.id, "x.pdf", attachments.PDF).status_code == 404
    assert client.get(f"/attachments/{row.id + 1}").status_code == 404


def test_a_refused_file_is_named_with_its_reason_and_nothing_is_kept(
    client, county, session, tmp_path
):
    issue = factories.issue(session, county.road, "3户拆迁未签约")
    session.commit()
    login(client, "chengguan")

    sent = _upload(client, issue.id, "说明.pdf", b"#!/bin/sh\nrm -rf /\n")
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "附件：文件类型不允许" in page
    assert session.scalars(select(Attachment)).all() == []
    assert not (tmp_path / "attachments").exists()


def test_an_open_task_takes_the_responding_units_file_and_shows_it(client, session):
    county = casework_county(session)
    case = county.open_case(county.road, bj(2026, 3, 2, 9))
    county.notify(case, bj(2026, 3, 2, 10), lead="T01")
    task = county.task("respond", case)
    session.commit()

    login(client, "town")
    sent = client.post(
        f"/tasks/{task.id}/attachments",
        data={"file": (io.BytesIO(attachments.PDF), "协调会议纪要.pdf")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 303
    assert sent.headers["Location"].endswith(f"/tasks/{task.id}")
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "协调会议纪要.pdf" in page
    case_page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "受理并开展协调：" in case_page
    assert "协调会议纪要.pdf" in case_page
    client.post("/logout")

    login(client, "other")
    row = session.scalars(select(Attachment)).one()
    assert client.get(f"/attachments/{row.id}").status_code == 404


def test_a_draft_report_takes_a_file_that_stays_listed_once_submitted(client, county, session):
    report = factories.report(session, county.road, "2026-02", status="draft")
    session.commit()
    login(client, "chengguan")
    sent = client.post(
        f"/reports/{report.id}/attachments",
        data={"file": (io.BytesIO(attachments.xlsx()), "投资明细.xlsx")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 303
    assert "投资明细.xlsx" in client.get(f"/reports/{report.id}").get_data(as_text=True)
    report.status = ReportStatus.SUBMITTED
    session.commit()
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "投资明细.xlsx" in page
    refused = client.post(
        f"/reports/{report.id}/attachments",
        data={"file": (io.BytesIO(attachments.PDF), "补充.pdf")},
        content_type="multipart/form-data",
    )
    assert "报告已报送并锁定" in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert len(session.scalars(select(Attachment)).all()) == 1


def test_a_file_above_the_pages_2_mb_but_within_the_attachment_limit_is_taken(
    client, county, session
):
    issue = factories.issue(session, county.road, "3户拆迁未签约")
    session.commit()
    login(client, "chengguan")
    three_mb = attachments.PDF + b"0" * (3 * 1024 * 1024)
    assert _upload(client, issue.id, "图纸.pdf", three_mb).status_code == 303
    assert session.scalars(select(Attachment)).one().size == len(three_mb)

    too_big = attachments.PDF + b"0" * (22 * 1024 * 1024)
    refused = _upload(client, issue.id, "图纸.pdf", too_big)
    assert refused.status_code == 413
    assert "附件：文件大小超过上限 20 MB" in refused.get_data(as_text=True)
    # Other pages keep their 2 MB limit.
    big_form = client.post(
        f"/issues/{issue.id}/resolve", data={"resolution": "x" * (3 * 1024 * 1024)}
    )
    assert big_form.status_code == 413
