"""Site-work pages: LP10's spot-check plan and a big project kept in it, GS3's short weeks, DC5's
chain page against its service (the same numbers), each within the user's scope."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from keyproj.db.models import SiteVisit, SpotCheck
from keyproj.policy import load_profile
from keyproj.services.chains.editing import ChainData, save_chain
from keyproj.services.chains.views import chain_page
from keyproj.services.org.directory import save_leader
from keyproj.services.visits.weeks import check_last_week
from tests.builders.clock import bj
from tests.builders.pages import visible_text
from tests.builders.web import client_under, login
from tests.builders.words import problems, raw_words


def _big(county):
    project = county.project("城关镇产业园区基础设施工程", total_investment=Decimal("80000"))
    county.committed()
    return project


def test_lp10_the_office_draws_the_plan_and_may_not_take_a_big_project_out(client, county):
    big = _big(county)
    county.at(bj(2026, 3, 10, 9))
    login(client, "zdb")
    page = client.post("/spot-checks/plans", data={"seed": "42"}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "2026年3月抽查计划" in html
    assert "随机种子：42" in html
    row = re.search(r"<tr>\s*<td>[^<]*</td><td>城关镇产业园区基础设施工程</td>.*?</tr>", html, re.S)
    assert row is not None
    assert "总投资达到重点覆盖标准" in row.group(0)
    assert "移出</button>" not in row.group(0)  # no form to take it out
    plan_id = re.search(r"/spot-checks/plans/(\d+)/add", html)
    assert plan_id is not None
    refused = client.post(
        f"/spot-checks/plans/{plan_id.group(1)}/remove",
        data={"project_id": str(big.id), "removal_reason": "本月已督导"},
        follow_redirects=True,
    )
    assert "须纳入每期抽查，不能移出" in refused.get_data(as_text=True)
    recorded = client.post(
        "/spot-checks/checks",
        data={
            "project_id": str(big.id),
            "checked_on": "2026-03-09",
            "checkers": "张三",
            "findings": "塔吊未按期进场",
            "level": "progress",
            "colour": "yellow",
        },
        follow_redirects=True,
    )
    html = recorded.get_data(as_text=True)
    assert "抽查记录已保存" in html
    assert "塔吊未按期进场" in html
    assert "已发出预警" in html


def test_lp10_a_unit_sees_the_plan_without_the_office_forms(client, county):
    _big(county)
    county.at(bj(2026, 3, 10, 9))
    login(client, "zdb")
    client.post("/spot-checks/plans", data={"seed": "42"})
    client.post("/logout")
    login(client, "shiqiao")
    html = client.get("/spot-checks?cycle=2026-03").get_data(as_text=True)
    assert "城关镇产业园区基础设施工程" not in html
    assert "登记抽查" not in html
    assert client.post("/spot-checks/plans", data={}).status_code == 403


@pytest.mark.parametrize(
    ("path", "field", "said"),
    [
        ("/spot-checks/plans", "seed", "随机种子：应为正整数"),
        ("/spot-checks/checks", "project_id", "项目"),
        ("/visits", "project_id", "项目"),
    ],
)
@pytest.mark.parametrize("typed", ["²", "٣", "9" * 5000])
def test_a_number_str_isdigit_takes_but_int_refuses_is_an_error_not_a_500(
    client, county, session, path, field, said, typed
):
    county.at(bj(2026, 3, 10, 9))
    login(client, "zdb")
    data = {"checked_on": "2026-03-09", "visited_on": "2026-03-09", "checkers": "张三"}
    data |= {"role": "chief", "kind": "onsite_office", field: typed}
    page = client.post(path, data=data, follow_redirects=True)
    # A refused check is shown again with what was typed (422); the others go back (200).
    assert page.status_code == (422 if path == "/spot-checks/checks" else 200)
    assert f'notice--error" role="status">{said}' in page.get_data(as_text=True)
    assert session.scalars(select(SpotCheck)).all() == []
    assert session.scalars(select(SiteVisit)).all() == []


def test_gs3_the_week_page_lists_who_was_short(engine, tmp_path, county):
    county.at(bj(2026, 3, 12, 9))
    with client_under(engine, tmp_path, "guangshan") as client:
        login(client, "chengguan")
        road = county.road
        for role in ("chief", "assistant"):
            data = {
                "project_id": str(road.id),
                "role": role,
                "person": "李明" if role == "chief" else "王助理",
                "visited_on": "2026-03-11",
                "kind": "onsite_office",
            }
            assert client.post("/visits", data=data).status_code == 303
        check_last_week(county.session, load_profile("guangshan"), county.at(bj(2026, 3, 16, 9)))
        county.session.commit()
        login(client, "chengguan")  # a new day, a new sign-in
        html = client.get("/visits/weeks/2026-W11").get_data(as_text=True)
        row = re.search(r"<tr><td>城关镇环城路改建工程</td>.*?</tr>", html, re.S)
        assert row is not None
        assert "<td>项目长助理</td><td>王助理</td><td>2</td><td>1</td>" in row.group(0)
        assert "石桥镇" not in html  # 城关镇 sees its own projects only
        listed = client.get("/visits?week=2026-W11").get_data(as_text=True)
        assert "每周（周一至周日" in listed
        assert "项目长不少于 1 次，项目长助理不少于 2 次" in listed


def test_dc5_the_chain_page_shows_the_numbers_of_its_service(dc_client, county):
    client = dc_client
    s = county.session
    save_leader(s, "赵链长", "副县长")
    county.plan(county.road, 2026, [("2026-01", "1000", "10"), ("2026-02", "1000", "20")])
    county.report(county.road, "monthly", "2026-02", "1600", "16")  # 80%: yellow
    office = county.people["zdb"]
    chain = save_chain(
        s,
        office,
        None,
        ChainData(
            "食品加工产业链", "赵链长", "方案", projects=[county.road.code, county.bridge.code]
        ),
        bj(2026, 3, 10, 9),
    )
    county.committed()
    county.at(bj(2026, 3, 10, 9))
    login(client, "zdb")
    html = client.get(f"/chains/{chain.id}").get_data(as_text=True)
    page = chain_page(s, load_profile("dancheng"), office, chain.id, date(2026, 3, 10))
    assert page.period.key == "2026-02"
    for row in page.projects:
        shown = re.search(rf'<tr data-project="{row.evaluation.project_id}">.*?</tr>', html, re.S)
        assert shown is not None
        assert (
            f'<span class="tag tag--{row.evaluation.outcome if row.evaluation.outcome in ("green", "blue", "yellow", "red") else "grey"}">{row.colour_label}</span>'
            in shown.group(0)
        )
    road = re.search(rf'<tr data-project="{county.road.id}">.*?</tr>', html, re.S)
    assert road is not None
    assert "<td>1,600</td><td>2,000</td><td>16</td>" in road.group(0)
    assert ">黄色<" in road.group(0)
    assert "黄色 1 个" in html
    # Chains are Dancheng's only (DC5): the page-words walk under Lianping cannot read them.
    for shown_page in (html, client.get(f"/chains/{chain.id}/edit").get_data(as_text=True)):
        assert problems(visible_text(shown_page), set(), raw_words()) == []
    new = client.get("/chains/new").get_data(as_text=True)
    assert problems(visible_text(new), set(), raw_words()) == []
    client.post("/logout")
    login(client, "shiqiao")
    mine = client.get(f"/chains/{chain.id}").get_data(as_text=True)
    assert "城关镇环城路改建工程" not in mine
    assert "石桥镇跨河大桥工程" in mine


def test_dc5_the_office_creates_a_chain_and_a_bad_row_is_named(dc_client, county):
    client = dc_client
    save_leader(county.session, "赵链长", "副县长")
    county.committed()
    login(client, "zdb")
    data = {
        "name": "新材料产业链",
        "chief_name": "赵链长",
        "matters": "引进龙头企业｜T01｜2026-13-01",
        "projects": [county.road.code],
    }
    refused = client.post("/chains", data=data)
    assert refused.status_code == 422
    assert "重点事项第1项·完成时限" in refused.get_data(as_text=True)
    data["matters"] = "引进龙头企业｜T01｜2026-12-01"
    created = client.post("/chains", data=data, follow_redirects=True)
    html = created.get_data(as_text=True)
    assert "<h1>新材料产业链</h1>" in html
    assert "城关镇环城路改建工程" in html
    assert "<td>引进龙头企业</td><td>城关镇</td><td>2026-12-01</td>" in html


@pytest.mark.parametrize(
    ("path", "item"),
    [
        ("/spot-checks", "现场工作"),
        ("/visits", "现场工作"),
        ("/chains", "现场工作"),
        ("/tours", "观摩与检查"),
        ("/inspections", "观摩与检查"),
    ],
)
def test_the_main_navigation_marks_the_site_work_and_tour_pages_as_current(
    client, county, path, item
):
    login(client, "zdb")
    html = client.get(path).get_data(as_text=True)
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    assert nav is not None
    assert re.findall(r'aria-current="page">([^<]+)</a>', nav.group(0)) == [item]


def test_lp10_a_refused_spot_check_keeps_what_was_typed_and_names_its_field_once(
    client, county, session
):
    project = _big(county)
    county.at(bj(2026, 3, 10, 9))
    login(client, "zdb")
    refused = client.post(
        "/spot-checks/checks",
        data={
            "project_id": str(project.id),
            "checked_on": "2026-03-11",
            "checkers": "张三、李四",
            "findings": "围挡破损",
            "level": "progress",
        },
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "抽查日期：不能晚于今天" in html
    assert "抽查日期：抽查日期" not in html
    assert 'name="checkers" size="30" value="张三、李四"' in html
    assert ">围挡破损</textarea>" in html
    assert f'<option value="{project.id}" selected>' in html
    assert 'value="2026-03-11"' in html
    assert session.scalars(select(SpotCheck)).all() == []


def test_gs3_a_refused_visit_keeps_what_was_typed(engine, tmp_path, county, session):
    county.at(bj(2026, 3, 12, 9))
    with client_under(engine, tmp_path, "guangshan") as client:
        login(client, "chengguan")
        refused = client.post(
            "/visits",
            data={
                "project_id": str(county.road.id),
                "role": "assistant",
                "person": "王助理",
                "visited_on": "2026-03-13",
                "kind": "inspection",
                "notes": "路基压实",
            },
        )
        assert refused.status_code == 422
        html = refused.get_data(as_text=True)
        assert "走访日期：不能晚于今天" in html
        assert "走访日期：走访日期" not in html
        assert 'value="王助理"' in html
        assert '<option value="assistant" selected>项目长助理</option>' in html
        assert '<option value="inspection" selected>' in html
        assert ">路基压实</textarea>" in html
    assert session.scalars(select(SiteVisit)).all() == []


@pytest.mark.parametrize(
    ("profile", "offered", "not_offered"),
    [
        ("guangshan", ["项目长", "项目长助理"], ["分包领导", "责任单位"]),
        ("dancheng", ["分包领导", "责任单位"], ["项目长", "项目长助理"]),
    ],
)
def test_gs3_dc2_the_visit_form_offers_the_regulations_own_roles(
    engine, tmp_path, county, profile, offered, not_offered
):
    county.at(bj(2026, 3, 12, 9))
    with client_under(engine, tmp_path, profile) as client:
        login(client, "zdb")
        html = client.get("/visits").get_data(as_text=True)
    select_ = re.search(r'<select id="role" name="role">.*?</select>', html, re.S)
    assert select_ is not None
    labels = re.findall(r'<option value="\w+">([^<]+)</option>', select_.group(0))
    assert labels == offered
    assert not set(labels) & set(not_offered)


def test_dc5_chains_show_only_where_the_regulation_has_them(client, dc_client, county):
    login(client, "zdb")  # Lianping: no chains
    spot = client.get("/spot-checks").get_data(as_text=True)
    assert 'href="/chains"' not in spot
    index = client.get("/chains").get_data(as_text=True)
    assert "本地制度未设产业链链长制" in index
    assert "新建产业链" not in index
    assert client.get("/chains/new").status_code == 404
    login(dc_client, "zdb")  # Dancheng: 链长制 (DC5)
    visits = dc_client.get("/visits").get_data(as_text=True)
    assert 'href="/chains"' in visits
    assert "新建产业链" in dc_client.get("/chains").get_data(as_text=True)
