"""The pages against hostile values: errors beside the field or a Chinese 400/404/413 page, never a 500."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from sqlalchemy import select

from keyproj.db.models import ProjectIssue, Report
from tests.builders.web import current_period, login, report_form, submit_form

TOO_BIG_IDS = ["2147483648", "99999999999999999999", "0"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("NaN", "请输入数字（半角），如 1200 或 35.5"),
        ("Infinity", "请输入数字（半角），如 1200 或 35.5"),
        ("-inf", "请输入数字（半角），如 1200 或 35.5"),
        ("１２０００", "请输入数字（半角），如 1200 或 35.5"),
        ("1e30", "请输入数字（半角），如 1200 或 35.5"),
        ("100000000000000", "不能超过 99,999,999,999,999.9999 万元"),
    ],
)
def test_al6_report_form_refuses_huge_and_non_finite_numbers_beside_the_field(
    client, county, session, value, reason
):
    login(client, "chengguan")
    page = client.post(
        f"/projects/{county.road.id}/reports/new", data=report_form(total_investment=value)
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(rf"总投资（万元）</a>：{re.escape(reason)}", html)
    assert f'value="{value}"' in html  # what was typed stays
    assert session.scalars(select(Report)).all() == []


def test_al6_a_nan_progress_percentage_is_a_field_error(client, county, session):
    login(client, "chengguan")
    html = client.post(
        f"/projects/{county.road.id}/reports/new", data=report_form(progress_pct="NaN")
    ).get_data(as_text=True)
    assert re.search(r"工程完成比例（%）</a>：请输入数字", html)
    assert session.scalars(select(Report)).all() == []


def test_lp8_a_full_width_period_cannot_resubmit_a_locked_period(client, county, session):
    login(client, "chengguan")
    road = county.road
    assert client.post(f"/projects/{road.id}/reports/new", data=submit_form()).status_code == 303
    full_width = current_period().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    again = client.post(
        f"/projects/{road.id}/reports/new",
        data=submit_form(period=full_width, cumulative_completed="9999"),
    )
    assert again.status_code == 200
    assert re.search(r"期次</a>：", again.get_data(as_text=True))
    session.expire_all()
    assert [(r.period, r.cumulative_completed) for r in session.scalars(select(Report))] == [
        (current_period(), 3000)
    ]


@pytest.mark.parametrize("field", ["started_on", "expected_start"])
def test_al6_report_dates_take_ascii_digits_and_sensible_years(client, county, session, field):
    login(client, "chengguan")
    path = f"/projects/{county.road.id}/reports/new"
    label = {"started_on": "开（复）工日期", "expected_start": "预计开（复）工日期"}[field]
    full_width = client.post(path, data=report_form(**{field: "２０２６-03-01"}))
    assert re.search(rf"{label}</a>：“２０２６-03-01”不是日期", full_width.get_data(as_text=True))
    year_one = client.post(path, data=report_form(**{field: "0001-01-01"}))
    assert re.search(rf"{label}</a>：年份应在1990年至2100年之间", year_one.get_data(as_text=True))
    assert session.scalars(select(Report)).all() == []


def test_lp7_issue_dates_and_invisible_titles_are_refused_beside_the_field(client, county, session):
    login(client, "chengguan")
    path = f"/projects/{county.road.id}/issues/new"
    form = {"category": "land", "title": "征地", "owner_unit_code": "T01"}
    year_one = client.post(path, data={**form, "opened_on": "0001-01-01"})
    assert re.search(r"发现日期</a>：年份应在2000年至2100年之间", year_one.get_data(as_text=True))
    full_width = client.post(path, data={**form, "opened_on": "２０２６-03-01"})
    assert re.search(r"发现日期</a>：“２０２６-03-01”不是日期", full_width.get_data(as_text=True))
    invisible = client.post(path, data={**form, "title": "\u200b\u200b", "opened_on": "2026-01-05"})
    assert re.search(
        r"问题摘要</a>：不能为空（只有空白或不可见字符）", invisible.get_data(as_text=True)
    )
    assert session.scalars(select(ProjectIssue)).all() == []


@pytest.mark.parametrize("number", TOO_BIG_IDS)
def test_ids_beyond_the_database_integer_in_a_page_path_are_404(client, county, number):
    login(client, "zdb")
    for path in [
        f"/projects/{number}",
        f"/projects/{number}/issues",
        f"/reports/{number}",
        f"/issues/{number}",
        f"/cases/{number}",
        f"/tasks/{number}",
    ]:
        page = client.get(path)
        assert page.status_code == 404, path
        assert "页面不存在" in page.get_data(as_text=True)
    assert client.post(f"/tasks/{number}/claim").status_code == 404
    assert client.post(f"/projects/{number}/issues/new").status_code == 404
    assert client.post(f"/reports/{number}").status_code == 404
    assert client.post(f"/notifications/{number}/read").status_code == 404


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("/projects?unit=2147483648", "单位：应在1至2147483647之间"),
        ("/cases?unit=99999999999&page=x", "责任单位：应在1至2147483647之间"),
        ("/cases?status=shut", "状态：取值“shut”无效"),
        ("/issues?category=weather", "问题类别：取值“weather”无效"),
        ("/inbox?due_to=0001-01-01", "期限止：年份应在2000年至2100年之间"),
        ("/inbox?case_id=2147483648", "案件ID：应在1至2147483647之间"),
        ("/notifications?page=99999999999", "页码：应在1至2147483647之间"),
    ],
)
def test_malformed_page_filters_show_the_error_not_everything(client, county, query, named):
    login(client, "zdb")
    page = client.get(query)
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert named in html
    assert "输入有误" in html


def test_nul_in_a_form_or_a_filter_is_a_400_naming_it_and_saves_nothing(client, county, session):
    login(client, "chengguan")
    posted = client.post(
        f"/projects/{county.road.id}/reports/new", data=report_form(progress_text="路基\x00完成")
    )
    assert posted.status_code == 400
    assert "progress_text：含有不允许的控制字符 U+0000" in posted.get_data(as_text=True)
    assert session.scalars(select(Report)).all() == []
    for query in ["/projects?q=%00", "/inbox?project=%00", "/cases?project=a%00"]:
        page = client.get(query)
        assert page.status_code == 400
        assert "含有不允许的控制字符 U+0000" in page.get_data(as_text=True)


def test_nul_in_the_sign_in_form_is_refused_before_any_lookup(client, county):
    page = client.post("/login", data={"username": "zdb\x00", "password": "x"})
    assert page.status_code == 400
    assert "username：含有不允许的控制字符 U+0000" in page.get_data(as_text=True)


def test_an_invalid_utf8_sequence_is_no_500(client, county, session):
    login(client, "chengguan")
    # %ED%A0%80 would be a lone surrogate: form decoding keeps the invalid bytes as text.
    form = report_form()
    del form["progress_text"]
    body = urlencode(form) + "&progress_text=" + quote("路基") + "%ED%A0%80"
    page = client.post(
        f"/projects/{county.road.id}/reports/new",
        data=body,
        content_type="application/x-www-form-urlencoded",
    )
    assert page.status_code == 303
    report = session.scalars(select(Report)).one()
    assert report.progress_text == "路基%ED%A0%80"


def test_an_oversize_form_is_a_413_page_in_chinese(client, county, session):
    login(client, "chengguan")
    page = client.post(
        f"/projects/{county.road.id}/reports/new",
        data=report_form(progress_text="字" * (1024 * 1024)),
    )
    assert page.status_code == 413
    assert "提交的内容超过 2 MB" in page.get_data(as_text=True)
    assert session.scalars(select(Report)).all() == []


def test_bulk_claim_names_ids_it_cannot_take(client, county):
    login(client, "chengguan")
    page = client.post("/inbox/claim", data={"task": ["2147483648", "１"]}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "未能认领：任务编号应在1至2147483647之间" in html
    assert "未能认领：任务编号“１”不是整数" in html
