"""Report pages (LP8, AL6): draft, submit and lock, amendments with reasons, validation, scope."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select

from keyproj.db.models import OutboxMessage, Report
from tests.builders import factories
from tests.builders.web import current_period, login, report_form, submit_form


def test_draft_then_submit_locks_the_report_and_asks_for_a_scan(client, county, session, kicks):
    login(client, "chengguan")
    road = county.road
    form_page = client.get(f"/projects/{road.id}/reports/new").get_data(as_text=True)
    assert "填报进度报告" in form_page
    assert "累计完成投资（万元）" in form_page
    assert "可研" in form_page
    assert "环评" in form_page

    saved = client.post(f"/projects/{road.id}/reports/new", data=report_form())
    assert saved.status_code == 303
    draft_page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "草稿已保存，尚未报送" in draft_page
    assert 'value="3000"' in draft_page  # the draft opens again as a form with its values
    assert kicks == []
    assert session.scalars(select(OutboxMessage)).all() == []

    report_url = saved.headers["Location"]
    done = client.post(report_url, data=submit_form(cumulative_completed="3100"))
    assert done.status_code == 303
    page = client.get(report_url).get_data(as_text=True)
    assert "报表已报送并锁定" in page
    assert "已锁定" in page
    assert "3,100" in page
    assert "35.5" in page
    assert "已报市自然资源局" in page
    assert '<form method="post" novalidate class="report-form">' not in page  # read-only

    messages = session.scalars(select(OutboxMessage)).all()
    report = session.scalars(select(Report)).one()
    assert [m.topic for m in messages] == ["scan"]
    assert messages[0].payload["report_id"] == report.id
    assert messages[0].done_at is None
    assert len(kicks) == 1


def test_a_submitted_report_refuses_a_second_edit(client, county, session, kicks):
    login(client, "chengguan")
    road = county.road
    done = client.post(f"/projects/{road.id}/reports/new", data=submit_form())
    report_url = done.headers["Location"]

    again = client.post(report_url, data=submit_form(cumulative_completed="9999"))
    assert again.status_code == 409
    text = again.get_data(as_text=True)
    assert "已报送并锁定，不能直接修改" in text
    assert "9,999" not in text
    # Through the new-report form the same period is refused beside the period field.
    renewed = client.post(f"/projects/{road.id}/reports/new", data=report_form())
    assert "同一期次不能再报" in renewed.get_data(as_text=True)
    session.expire_all()
    assert session.scalars(select(Report)).one().cumulative_completed == 3000


def test_validation_errors_name_the_field_and_keep_the_input(client, county, session):
    login(client, "chengguan")
    page = client.post(
        f"/projects/{county.road.id}/reports/new",
        data=report_form(cumulative_completed="三千", progress_pct="", measures_text="先协调"),
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "请修改以下内容后再提交" in html
    assert re.search(r"累计完成投资（万元）</a>：请输入数字", html)
    assert re.search(r"工程完成比例（%）</a>：不能为空", html)
    assert 'value="三千"' in html
    assert "先协调" in html  # what the user typed stays
    assert 'id="cumulative_completed-error"' in html
    assert session.scalars(select(Report)).all() == []


def test_service_rules_show_beside_their_field(client, county):
    login(client, "chengguan")
    html = client.post(
        f"/projects/{county.road.id}/reports/new",
        data=report_form(annual_completed="4000", start_status="not_started", started_on=""),
    ).get_data(as_text=True)
    assert "年度完成投资不能大于累计完成投资" in html
    assert "未开工的项目须说明原因" in html
    assert 'value="4000"' in html


def test_amendment_needs_a_reason_and_lists_old_and_new_values(client, county, kicks):
    login(client, "chengguan")
    done = client.post(f"/projects/{county.road.id}/reports/new", data=submit_form())
    report_id = int(done.headers["Location"].rsplit("/", 1)[1])
    amend_url = f"/reports/{report_id}/amend"
    form = client.get(amend_url).get_data(as_text=True)
    assert "更正原因" in form
    assert 'value="3000"' in form

    no_reason = client.post(amend_url, data=report_form(cumulative_completed="3300", reason=""))
    assert "更正报表须说明原因" in no_reason.get_data(as_text=True)

    nothing = client.post(amend_url, data=report_form(reason="核对"))
    assert "没有修改任何内容" in nothing.get_data(as_text=True)

    amended = client.post(
        amend_url,
        data=report_form(cumulative_completed="3300", progress_pct="40", reason="漏报12月支付"),
    )
    assert amended.status_code == 303
    page = client.get(f"/reports/{report_id}").get_data(as_text=True)
    history = page[page.index("更正记录") :]
    assert "漏报12月支付" in history
    assert "用户chengguan" in history
    assert re.search(r"累计完成投资（万元）</td><td[^>]*>3000</td><td[^>]*>3300</td>", history)
    assert re.search(r"工程完成比例（%）</td><td[^>]*>35.5</td><td[^>]*>40</td>", history)
    assert "3,300" in page  # the report now shows the corrected figure


def test_reports_of_another_unit_are_404(client, county, session):
    other = factories.report(session, county.bridge, current_period())
    session.commit()
    login(client, "chengguan")
    assert client.get(f"/reports/{other.id}").status_code == 404
    assert client.get(f"/reports/{other.id}/amend").status_code == 404
    assert client.post(f"/reports/{other.id}/sign-off").status_code == 404
    assert client.get(f"/projects/{county.bridge.id}/reports/new").status_code == 404


def test_key_office_may_read_but_a_leader_without_the_project_may_not_write(
    client, county, session
):
    report = factories.report(session, county.road, current_period())
    session.commit()
    login(client, "zdb")
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "已报送" in page
    assert "提交更正" in page


def test_same_day_start_is_not_offered_where_the_profile_does_not_ask(client, county):
    login(client, "chengguan")
    assert client.get(f"/projects/{county.road.id}/reports/start").status_code == 404
    page = client.get(f"/projects/{county.road.id}").get_data(as_text=True)
    assert "填报进度报告" in page
    assert "开（复）工当日报告" not in page


def test_real_kick_with_the_configured_broker_does_not_fail_the_submission(client, county, session):
    """The test app's broker is in memory: the request goes out and the page is the same."""
    login(client, "chengguan")
    done = client.post(f"/projects/{county.road.id}/reports/new", data=submit_form())
    assert done.status_code == 303
    assert "报表已报送并锁定" in client.get(done.headers["Location"]).get_data(as_text=True)
    assert len(session.scalars(select(OutboxMessage)).all()) == 1


def test_amounts_typed_as_the_pages_show_them_with_thousands_separators_are_saved(
    client, county, session
):
    login(client, "chengguan")
    saved = client.post(
        f"/projects/{county.road.id}/reports/new",
        data=report_form(cumulative_completed="3,100", total_investment="12,345.6"),
    )
    assert saved.status_code == 303
    report = session.scalars(select(Report)).one()
    assert (report.cumulative_completed, report.total_investment) == (3100, Decimal("12345.6"))


def test_a_misplaced_thousands_separator_is_refused_beside_the_field(client, county, session):
    login(client, "chengguan")
    page = client.post(
        f"/projects/{county.road.id}/reports/new", data=report_form(cumulative_completed="3,10")
    )
    html = page.get_data(as_text=True)
    assert re.search(r"累计完成投资（万元）</a>：“3,10”的千位分隔不正确", html)
    assert session.scalars(select(Report)).all() == []
