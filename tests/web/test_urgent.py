"""The urgent-issues page (LP9): recorded urgent issues with their deadline; the key office's report."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from keyproj.db.models import UrgentIssueReport
from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.web import login


def _record_urgent(client, county):
    return client.post(
        f"/projects/{county.road.id}/issues/new",
        data={
            "category": "land",
            "title": "村民阻工，急需协调",
            "owner_unit_code": "T01",
            "opened_on": date(2026, 3, 6).isoformat(),
            "urgent": "y",
        },
    )


def test_lp9_an_urgent_issue_reaches_the_key_office_page_with_its_deadline(
    client, county, session, clock
):
    clock.at(bj(2026, 3, 6, 9))
    login(client, "chengguan")
    created = _record_urgent(client, county)
    assert created.status_code == 303
    issue_page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "重点办须于2026-03-11 23:59前报告县政府" in issue_page
    assert client.get("/urgent-issues").status_code == 403
    client.post("/logout")

    login(client, "zdb")
    page = client.get("/urgent-issues").get_data(as_text=True)
    assert "村民阻工，急需协调" in page
    assert "2026-03-11 23:59" in page
    assert "待报告" in page
    duty = session.scalars(select(UrgentIssueReport)).one()
    inbox = client.get("/inbox").get_data(as_text=True)
    assert '急需协调问题待报县政府 <a class="clause-link" href="/clauses/LP9"' in inbox
    assert "村民阻工，急需协调</a>，期限 2026-03-11 23:59" in inbox

    clock.at(bj(2026, 3, 12, 9))
    login(client, "zdb")  # the idle session ended overnight
    late = client.get("/urgent-issues").get_data(as_text=True)
    assert "已逾期" in late
    blank = client.post(f"/urgent-issues/{duty.id}/report", data={"report": ""})
    assert blank.status_code == 400
    assert "请填写报告情况" in blank.get_data(as_text=True)
    done = client.post(f"/urgent-issues/{duty.id}/report", data={"report": "已书面报告县政府"})
    assert done.status_code == 303
    page = client.get("/urgent-issues").get_data(as_text=True)
    assert "已于2026-03-12 09:00报告县政府：已书面报告县政府" in page
    assert "急需协调问题待报县政府" not in client.get("/inbox").get_data(as_text=True)
    again = client.post(f"/urgent-issues/{duty.id}/report", data={"report": "再报"})
    assert again.status_code == 409


def test_lp9_the_duties_come_a_page_at_a_time_open_ones_first(client, county, session):
    for n, (due, reported) in enumerate([(5, True), (9, False), (7, False)]):
        issue = factories.issue(session, county.road, f"急需协调问题{n}", urgent=True)
        session.add(
            UrgentIssueReport(
                issue_id=issue.id,
                created_at=bj(2026, 3, 2, 10),
                due_at=bj(2026, 3, due),
                reported_at=bj(2026, 3, 3) if reported else None,
                report="已报告" if reported else None,
            )
        )
    session.commit()
    login(client, "zdb")
    first = client.get("/urgent-issues?per_page=2").get_data(as_text=True)
    assert "共 3 项，第 1 / 2 页" in first
    assert first.index("急需协调问题2") < first.index("急需协调问题1")  # by deadline
    assert "急需协调问题0" not in first
    second = client.get("/urgent-issues?per_page=2&page=2").get_data(as_text=True)
    assert "急需协调问题0" in second
    assert client.get("/urgent-issues?page=0").status_code == 400
