"""Issue 15: reminded and board-only warnings show on the project page, without a case."""

from __future__ import annotations

from tests.builders import factories
from tests.builders.web import login


def test_issue15_reminded_and_board_warnings_show_on_the_project_page(client, county, session):
    factories.warning(session, county.road, "2026-04", rule_id="report_overdue", status="reminded")
    factories.warning(session, county.road, "2026-05", rule_id="start_rate", status="board")
    session.commit()
    login(client, "chengguan")

    html = client.get(f"/projects/{county.road.id}").get_data(as_text=True)

    assert "已提醒" in html
    assert "列入看板" in html
