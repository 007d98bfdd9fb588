"""The notification mode on the notifications page (issue 15): at once, or one digest a day."""

from __future__ import annotations

from keyproj.codes import NotificationMode
from keyproj.services.notifications import digest
from tests.builders.web import login


def test_a_user_chooses_the_daily_digest_on_the_notifications_page(client, county, session):
    login(client, "chengguan")
    html = client.get("/notifications").get_data(as_text=True)
    assert 'value="immediate" checked' in html
    assert "每日汇总" in html
    response = client.post("/notifications/mode", data={"mode": "digest"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "通知方式已设为“每日汇总”" in page
    assert 'value="digest" checked' in page
    session.expire_all()
    assert digest.mode_of(session, county.chengguan.id) == NotificationMode.DIGEST


def test_an_unknown_mode_is_refused_with_the_field_named(client, county, session):
    login(client, "chengguan")
    response = client.post("/notifications/mode", data={"mode": "hourly"})
    assert response.status_code == 400
    assert "通知方式" in response.get_data(as_text=True)
    session.expire_all()
    assert digest.mode_of(session, county.chengguan.id) == NotificationMode.IMMEDIATE
