"""Reports under the Alxa Left profile: semi-monthly cycle, the unit head's sign-off (AL6), same-day start (AL7)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.clock import today_beijing
from keyproj.db.models import OutboxMessage, Report
from tests.builders import factories
from tests.builders.county import County
from tests.builders.web import client_under, login, report_form, submit_form


@pytest.fixture
def alxa_client(engine: Engine, tmp_path: Path) -> Iterator[FlaskClient]:
    """A client of the app on the alxa_left profile (CSRF off)."""
    with client_under(engine, tmp_path, "alxa_left") as client:
        yield client


@pytest.fixture
def head(session: Session, county: County) -> None:
    """The head of 城关镇, who signs its reports."""
    factories.user(session, "chengguan-head", "T01", "unit_head")
    session.commit()


def half_month() -> periods.Period:
    return periods.containing("semimonthly", today_beijing())


def test_the_form_offers_half_month_periods(alxa_client, county):
    login(alxa_client, "chengguan")
    html = alxa_client.get(f"/projects/{county.road.id}/reports/new").get_data(as_text=True)
    assert half_month().label in html
    assert "报送后须经单位负责人签字" in html


def test_a_liaisons_report_waits_for_the_heads_signature(alxa_client, county, head, session):
    login(alxa_client, "chengguan")
    done = alxa_client.post(
        f"/projects/{county.road.id}/reports/new", data=submit_form(period=half_month().key)
    )
    report_url = done.headers["Location"]
    page = alxa_client.get(report_url).get_data(as_text=True)
    assert "等待单位负责人签字后报送" in page
    assert "待单位负责人签字" in page
    assert "单位负责人签字并报送" not in page  # the liaison has no button to sign
    assert session.scalars(select(OutboxMessage)).all() == []
    report_id = int(report_url.rsplit("/", 1)[1])
    assert alxa_client.post(f"/reports/{report_id}/sign-off").status_code == 403
    locked = alxa_client.post(report_url, data=submit_form(period=half_month().key))
    assert locked.status_code == 409  # waiting for the signature is locked too

    alxa_client.post("/logout")
    login(alxa_client, "chengguan-head")
    page = alxa_client.get(report_url).get_data(as_text=True)
    assert "单位负责人签字并报送" in page
    signed = alxa_client.post(f"/reports/{report_id}/sign-off")
    assert signed.status_code == 303
    page = alxa_client.get(report_url).get_data(as_text=True)
    assert "已签字，报表已报送并锁定" in page
    assert "用户chengguan-head" in page
    assert [m.payload["report_id"] for m in session.scalars(select(OutboxMessage))] == [report_id]
    again = alxa_client.post(f"/reports/{report_id}/sign-off")
    assert again.status_code == 409
    assert "无需签字" in again.get_data(as_text=True)


def test_the_heads_own_submission_needs_no_second_signature(alxa_client, county, head, session):
    login(alxa_client, "chengguan-head")
    done = alxa_client.post(
        f"/projects/{county.road.id}/reports/new", data=submit_form(period=half_month().key)
    )
    page = alxa_client.get(done.headers["Location"]).get_data(as_text=True)
    assert "报表已报送并锁定" in page
    assert session.scalars(select(Report)).one().signed_off_at is not None


def test_same_day_start_goes_into_the_periods_draft(alxa_client, county, session):
    road = county.road
    login(alxa_client, "chengguan")
    project_page = alxa_client.get(f"/projects/{road.id}").get_data(as_text=True)
    assert "开（复）工当日报告" in project_page
    form = alxa_client.get(f"/projects/{road.id}/reports/start").get_data(as_text=True)
    assert half_month().label in form
    assert today_beijing().isoformat() in form

    bad = alxa_client.post(
        f"/projects/{road.id}/reports/start", data={"start_status": "started", "started_on": "昨天"}
    )
    assert "“昨天”不是日期，应为 YYYY-MM-DD（半角数字）" in bad.get_data(as_text=True)
    assert 'value="昨天"' in bad.get_data(as_text=True)

    day = today_beijing().isoformat()
    done = alxa_client.post(
        f"/projects/{road.id}/reports/start", data={"start_status": "started", "started_on": day}
    )
    assert done.status_code == 303
    assert "已记入" in alxa_client.get(done.headers["Location"]).get_data(as_text=True)
    report = session.scalars(select(Report)).one()
    assert (report.period, report.status) == (half_month().key, "draft")
    assert report.start_status == "started"
    assert report.started_on.isoformat() == day
    assert report.total_investment == road.total_investment  # carried over from the project


def test_same_day_start_after_submission_is_an_amendment(alxa_client, county, head, session):
    road = county.road
    login(alxa_client, "chengguan-head")
    alxa_client.post(
        f"/projects/{road.id}/reports/new",
        data=submit_form(
            period=half_month().key,
            start_status="not_started",
            started_on="",
            not_started_reason="等待施工许可",
        ),
    )
    day = today_beijing().isoformat()
    alxa_client.post(
        f"/projects/{road.id}/reports/start",
        data={"start_status": "restarted", "started_on": day},
    )
    report = session.scalars(select(Report)).one()
    page = alxa_client.get(f"/reports/{report.id}").get_data(as_text=True)
    history = page[page.index("更正记录") :]
    assert "开（复）工当日报告（AL7）" in history
    assert re.search(r"开（复）工情况</td><td[^>]*>未开工</td><td[^>]*>已复工</td>", history)
    assert re.search(rf"开（复）工日期</td><td[^>]*>—</td><td[^>]*>{day}</td>", history)


def test_report_form_keeps_lianping_fields_valid_here(alxa_client, county):
    """The draft form is the same AL6 form; only the cycle differs."""
    login(alxa_client, "chengguan")
    saved = alxa_client.post(
        f"/projects/{county.road.id}/reports/new", data=report_form(period=half_month().key)
    )
    assert saved.status_code == 303
