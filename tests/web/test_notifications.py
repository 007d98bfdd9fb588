"""The notification bell in every page header, the list page and mark read (POST with CSRF)."""

from __future__ import annotations

from sqlalchemy import select

from keyproj.clock import now_utc
from keyproj.db.models import Notification
from keyproj.services.notifications.inbox import Message, notify
from tests.builders.web import csrf_token, login


def _notify(session, user, *titles: str) -> None:
    notify(
        session,
        [
            (
                user.id,
                f"test:{title}",
                Message("task_ready", title, f"{title}的内容", link="/projects"),
            )
            for title in titles
        ],
        now_utc(),
    )
    session.commit()


def _bell(html: str) -> str:
    start = html.index('class="bell')
    return html[start : html.index("</a>", start)]


def test_bell_shows_the_unread_count_and_links_to_the_list(client, county, session):
    _notify(session, county.chengguan, "新待办任务一", "新待办任务二")
    _notify(session, county.shiqiao, "别人的通知")
    login(client, "chengguan")
    bell = _bell(client.get("/projects").get_data(as_text=True))
    assert 'href="/notifications"' in bell
    assert "2 条未读" in bell
    assert ">2</span>" in bell

    page = client.get("/notifications").get_data(as_text=True)
    assert "新待办任务一" in page
    assert "新待办任务二" in page
    assert "未读 2 条" in page
    assert "别人的通知" not in page


def test_mark_one_and_then_all_read(client, county, session):
    _notify(session, county.chengguan, "甲", "乙", "丙")
    login(client, "chengguan")
    first = session.scalars(select(Notification).where(Notification.title == "甲")).one()
    done = client.post(f"/notifications/{first.id}/read")
    assert done.status_code == 303
    page = client.get("/notifications").get_data(as_text=True)
    assert "未读 2 条" in page
    assert "2 条未读" in _bell(page)

    client.post("/notifications/read-all")
    page = client.get("/notifications").get_data(as_text=True)
    assert "已将 2 条通知标为已读" in page
    assert "未读 0 条" in page
    assert "0 条未读" in _bell(page)
    assert "bell__count" not in _bell(page)


def test_others_notifications_cannot_be_marked(client, county, session):
    _notify(session, county.shiqiao, "石桥的通知")
    theirs = session.scalars(select(Notification)).one()
    login(client, "chengguan")
    client.post(f"/notifications/{theirs.id}/read")
    session.expire_all()
    assert session.get(Notification, theirs.id).read_at is None


def test_mark_read_needs_the_csrf_token(csrf_client, county, session):
    _notify(session, county.chengguan, "需要令牌")
    login_page = csrf_client.get("/login").get_data(as_text=True)
    csrf_client.post(
        "/login",
        data={
            "username": "chengguan",
            "password": "Test#2026pass",
            "csrf_token": csrf_token(login_page),
        },
    )
    assert csrf_client.post("/notifications/read-all").status_code == 400
    page = csrf_client.get("/notifications").get_data(as_text=True)
    ok = csrf_client.post("/notifications/read-all", data={"csrf_token": csrf_token(page)})
    assert ok.status_code == 303
    assert "未读 0 条" in csrf_client.get("/notifications").get_data(as_text=True)


def test_navigation_lists_the_sections(client, county):
    login(client, "chengguan")
    html = client.get("/projects").get_data(as_text=True)
    nav = html[html.index('class="site-nav"') : html.index("</nav>")]
    assert ">项目</a>" in nav
    assert ">问题台账</a>" in nav
    app = client.application
    assert (">待办任务</a>" in nav) == ("inbox.index" in app.view_functions)
    assert (">预警案件</a>" in nav) == ("cases.index" in app.view_functions)


def test_anonymous_pages_have_no_bell(client):
    assert 'class="bell' not in client.get("/login").get_data(as_text=True)
