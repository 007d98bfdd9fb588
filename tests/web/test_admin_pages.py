"""The administration pages: only administrators reach them; units, accounts, tokens, the
calendar, the county's identity and the profile are administered there, each change logged."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import select

from keyproj.clock import BEIJING
from keyproj.db.models import AdminChange, ApiToken, CalendarDay, Unit, User
from keyproj.services.org import tokens
from tests.builders import factories
from tests.builders.web import csrf_token, login

AT = datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING)
FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def admins(county, session):
    """The county's liaisons and key office, an administrator, and a token of a liaison."""
    county.with_people("admin", "dcs").committed()
    tokens.issue_token(session, county.users["shiqiao"], "石桥镇接口", AT)
    session.commit()
    return county


def admin_urls(app, session) -> list[tuple[str, str]]:
    """(method, URL) of every administration route, ids filled with real objects."""
    ids = {
        "user_id": session.scalars(select(User.id)).first(),
        "unit_id": session.scalars(select(Unit.id)).first(),
        "token_id": session.scalars(select(ApiToken.id)).first(),
    }
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("admin."):
                continue
            url = app.url_for(rule.endpoint, **{a: ids[a] for a in rule.arguments})
            found += [(m, url) for m in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})]
    return found


@pytest.mark.parametrize("username", ["zdb", "dcs", "chengguan"])
def test_every_admin_route_refuses_other_roles(app, client, session, admins, username):
    urls = admin_urls(app, session)
    assert len(urls) >= 20
    login(client, username)
    for method, url in urls:
        answer = client.open(url, method=method, data={})
        assert answer.status_code == 403, f"{method} {url}: {answer.status_code}"
        assert "只有系统管理员" in answer.get_data(as_text=True)
    assert session.scalars(select(AdminChange)).first() is None


def test_every_admin_page_opens_for_an_administrator(app, client, session, admins):
    login(client, "admin")
    pages = [url for method, url in admin_urls(app, session) if method == "GET"]
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert "/admin/log" in pages


def test_an_administrator_sets_up_a_unit_and_its_liaison_and_the_log_names_them(
    client, session, admins
):
    with time_machine.travel(AT, tick=False):
        login(client, "admin")
        made = client.post("/admin/units", data={"code": "T03", "name": "龙源镇", "kind": "town"})
        assert made.status_code == 303
        account = {
            "username": "longyuan",
            "display_name": "李华",
            "unit_code": "T03",
            "password": "Strong#2026",
            "roles": ["unit_liaison"],
        }
        created = client.post("/admin/users/new", data=account)
        assert created.status_code == 303
        log = client.get("/admin/log").get_data(as_text=True)
    assert "共 2 条记录" in log
    assert "单位 T03 龙源镇" in log
    assert "账号 longyuan（李华）" in log
    assert "2026-03-02 10:00" in log
    other = client.application.test_client()
    assert login(other, "longyuan", "Strong#2026").status_code == 302


def test_a_refused_account_names_the_field_and_keeps_what_was_typed(client, session, admins):
    login(client, "admin")
    page = client.post(
        "/admin/users/new",
        data={
            "username": "x y",
            "display_name": "王五",
            "unit_code": "T01",
            "password": "Strong#2026",
            "roles": ["unit_liaison"],
        },
    ).get_data(as_text=True)
    assert "用户名" in page
    assert 'value="王五"' in page
    assert session.scalars(select(User).where(User.display_name == "王五")).first() is None


def test_a_disabled_account_cannot_sign_in(client, session, admins):
    login(client, "admin")
    target = admins.users["chengguan"].id
    assert client.post(f"/admin/users/{target}/active", data={"active": "0"}).status_code == 303
    page = client.get(f"/admin/users/{target}").get_data(as_text=True)
    assert "已停用" in page
    assert "账号已停用，历史记录保留" in page
    other = client.application.test_client()
    assert login(other, "chengguan").status_code != 302


def test_a_token_is_shown_once_and_revoked_on_the_page(client, session, admins):
    login(client, "admin")
    owner = admins.users["chengguan"].id
    issued = client.post(
        "/admin/tokens", data={"user_id": str(owner), "name": "城关镇接口", "days": "30"}
    )
    page = issued.get_data(as_text=True)
    assert "令牌只显示这一次" in page
    raw = page.split('<code class="token">')[1].split("</code>")[0]
    assert raw.startswith("kp_")
    listing = client.get("/admin/tokens").get_data(as_text=True)
    assert raw not in listing
    token = session.scalars(select(ApiToken).where(ApiToken.name == "城关镇接口")).one()
    assert f'id="token-{token.id}"' in listing
    client.post(f"/admin/tokens/{token.id}/revoke")
    session.expire_all()
    assert tokens.verify(session, raw, AT) is None
    actions = session.scalars(select(AdminChange.action).order_by(AdminChange.id)).all()
    assert actions == ["token_issued", "token_revoked"]


def test_a_token_with_too_many_days_is_refused_naming_the_field(client, session, admins):
    login(client, "admin")
    owner = admins.users["chengguan"].id
    client.post("/admin/tokens", data={"user_id": str(owner), "name": "x", "days": "99999"})
    page = client.get("/admin/tokens").get_data(as_text=True)
    assert "有效天数" in page
    assert session.scalars(select(ApiToken).where(ApiToken.name == "x")).first() is None


def test_x5_a_day_is_corrected_on_the_calendar_page(client, session, admins):
    login(client, "admin")
    done = client.post(
        "/admin/calendar/day", data={"day": "2026-03-06", "kind": "holiday", "name": "县庆"}
    )
    assert done.headers["Location"].endswith("/admin/calendar?year=2026")
    page = client.get("/admin/calendar?year=2026").get_data(as_text=True)
    row = page.split('id="day-2026-03-06"')[1].split("</tr>")[0]
    assert "放假" in row
    assert "县庆" in row
    change = session.scalars(select(AdminChange)).one()
    assert (change.target, change.details) == ("日历 2026-03-06", "正常 → 放假 县庆")


def test_x5_next_years_file_is_previewed_before_anything_is_written(client, session, admins):
    login(client, "admin")
    upload = (FIXTURES / "calendar_2027.csv").open("rb")
    preview = client.post("/admin/calendar/import", data={"file": (upload, "2027.csv")})
    page = preview.get_data(as_text=True)
    assert "2027年（尚无数据，将载入）" in page
    assert "新增 放假" in page
    assert session.scalars(select(CalendarDay).where(CalendarDay.year == 2027)).first() is None
    content = page.split('<textarea name="content" hidden>')[1].split("</textarea>")[0]
    applied = client.post(
        "/admin/calendar/import", data={"apply": "1", "content": content.replace("&#39;", "'")}
    )
    assert applied.headers["Location"].endswith("year=2027")
    assert session.scalars(select(CalendarDay).where(CalendarDay.year == 2027)).first()
    assert "已导入节假日安排：2027年" in client.get("/admin/calendar?year=2027").get_data(
        as_text=True
    )


def test_x5_a_file_that_is_not_a_calendar_is_refused_naming_the_line(client, admins):
    login(client, "admin")
    bad = client.post(
        "/admin/calendar/import",
        data={
            "file": (
                b"\xe6\x97\xa5\xe6\x9c\x9f,\xe7\xb1\xbb\xe5\x9e\x8b\n2027-02-30,x\n",
                "bad.csv",
            )
        },
    )
    assert bad.status_code == 400
    assert "未导入任何数据" in bad.get_data(as_text=True)


def test_the_county_name_and_prefixes_are_edited_on_a_page(client, session, admins):
    login(client, "admin")
    page = client.get("/admin/county").get_data(as_text=True)
    assert 'value="连重点办预警"' in page
    values = {
        "county_name": "示范县",
        "notice_issuer": "示范县重点项目工作领导小组办公室",
        "warning_notice_prefix": "示重点办预警",
        "supervision_issuer": "示范县督查室",
        "supervision_notice_prefix": "示督立",
    }
    assert client.post("/admin/county", data=values).status_code == 303
    assert 'value="示重点办预警"' in client.get("/admin/county").get_data(as_text=True)
    refused = client.post("/admin/county", data={**values, "warning_notice_prefix": "示〔预警"})
    assert "预警催办通知字号前缀" in refused.get_data(as_text=True)


def test_the_profile_page_shows_each_value_with_its_clause_text(client, admins):
    login(client, "admin")
    page = client.get("/admin/profile").get_data(as_text=True)
    row = page.split('id="value-deadlines.response_working_days"')[1].split("</tr>")[0]
    assert "LP17" in row
    assert "第十七条" in row
    local = page.split('id="value-reporting.sign_off_by_unit_head"')[1].split("</tr>")[0]
    assert "本地取值：规章未要求单位负责人签字" in local


def test_a_change_needs_the_csrf_token_of_the_page(csrf_client, session, admins):
    token = csrf_token(csrf_client.get("/login").get_data(as_text=True))
    data = {"username": "admin", "password": factories.PASSWORD, "csrf_token": token}
    csrf_client.post("/login", data=data)
    unit = {"code": "T03", "name": "龙源镇", "kind": "town"}
    assert csrf_client.post("/admin/units", data=unit).status_code == 400
    page = csrf_client.get("/admin/units").get_data(as_text=True)
    made = csrf_client.post("/admin/units", data={**unit, "csrf_token": csrf_token(page)})
    assert made.status_code == 303
    assert session.scalars(select(Unit.name).where(Unit.code == "T03")).one() == "龙源镇"
