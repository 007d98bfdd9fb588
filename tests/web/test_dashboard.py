"""The dashboard (issue 13): each chart's table renders the service's numbers, hand-checked
fixtures under three profiles, the viewer's scope, and an empty county."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from keyproj.clock import now_utc
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.evaluation.dashboard import dashboard
from keyproj.services.rankings.compute import rank
from keyproj.services.rankings.runs import save_run
from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.rankings import handan_departments
from tests.builders.web import inbox_county, login

PLAN = [("2026-07", "1000", "10"), ("2026-08", "1000", "20"), ("2026-09", "1000", "30")]
CELLS = re.compile(r"<t[hd][^>]*>(?:<[^>]+>)*([^<]*)")


def table(html: str, table_id: str) -> dict[str, list[str]]:
    """A table's body rows by their row key attribute, each as its cells' text."""
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0].split("<tbody>", 1)[1]
    out = {}
    for key, row in re.findall(r'<tr data-[a-z]+="([^"]*)"[^>]*>(.*?)</tr>', body, re.S):
        out[key] = [c.strip() for c in CELLS.findall(row)]
    return out


@pytest.fixture
def evaluated(county):
    """Plans of 1000 万元 a month from July; August reports for the road and the school,
    September reports for all three projects."""
    for project in (county.road, county.school, county.bridge):
        county.plan(project, 2026, PLAN)
    county.report(county.road, "monthly", "2026-08", "2000", "20")
    county.report(county.school, "monthly", "2026-08", "1000", "10")
    county.report(county.road, "monthly", "2026-09", "3000", "30")
    county.report(county.school, "monthly", "2026-09", "2400", "30")
    county.report(county.bridge, "monthly", "2026-09", "1500", "15")
    return county.committed()


def test_HD3_investment_by_month_and_colours_match_the_hand_and_the_service(
    client, session, evaluated
):
    login(client, "zdb")
    html = client.get("/dashboard?period=2026-09").get_data(as_text=True)
    months = table(html, "dash-months-table")

    # August: road and school each planned 1000 + 1000 = 2000, completed 2000 + 1000 = 3000
    # of 4000 = 75%; September: 3 × 3000 = 9000 planned, 3000 + 2400 + 1500 = 6900
    # completed, 6900 ÷ 9000 = 76.67%. No report before August: nothing judged.
    assert months["2026-08"] == ["2026年8月", "2", "4,000", "3,000", "75"]
    assert months["2026-09"] == ["2026年9月", "3", "9,000", "6,900", "76.67"]
    assert months["2026-01"] == ["2026年1月", "0", "0", "0", "—"]
    assert list(months) == [f"2026-{m:02d}" for m in range(1, 10)]  # the year so far

    # Colours: the road on plan (green), the school 80% (yellow), the bridge 50% (red).
    colours = table(html, "dash-colours-table")
    assert {k: v[1] for k, v in colours.items() if v[1] != "0"} == {
        "green": "1",
        "yellow": "1",
        "red": "1",
    }
    service = dashboard(
        session,
        viewer_for(session, evaluated.office),
        load_profile("lianping"),
        "2026-09",
        datetime(2026, 10, 1, tzinfo=UTC),
    )
    assert {k: int(v[1]) for k, v in colours.items()} == service.board.counts
    assert [m.period.key for m in service.months] == list(months)
    assert [str(m.completed) for m in service.months][-1] == "6900.0000"
    assert "尚无已保存的排名" in html
    assert "本地制度未设开工率目标" in html  # Lianping sets no start-rate checkpoints


def test_HD3_a_town_sees_only_its_own_projects_on_the_dashboard(client, evaluated):
    login(client, "chengguan")
    html = client.get("/dashboard?period=2026-09").get_data(as_text=True)

    # Only 城关镇's road and school: 6000 planned, 3000 + 2400 = 5400 completed = 90%.
    assert table(html, "dash-months-table")["2026-09"][1:] == ["2", "6,000", "5,400", "90"]
    assert table(html, "dash-colours-table")["red"][1] == "0"


def test_AL2_start_rate_against_the_targets(al_client, county, session):
    """Six projects of 城关镇 started on 10 June, four of 石桥镇 not; the county's road, school
    and bridge were listed on 1 July, with no report showing a start."""
    for n in range(6):
        project = county.project(f"开工项目{n}", nature="new")
        county.report(project, "semimonthly", "2026-06-1", started_on=date(2026, 6, 10))
    for n in range(4):
        factories.project(session, "T02", name=f"未开工项目{n}", approved_on=date(2026, 1, 1))
    for listed in (county.road, county.school, county.bridge):
        listed.approved_on = date(2026, 7, 1)
    county.project("前期项目", nature="preliminary")  # not due to start: not counted
    county.committed()

    login(al_client, "zdb")
    html = al_client.get("/dashboard?period=2026-09").get_data(as_text=True)
    starts = table(html, "dash-starts-table")
    # 30 June: 6 + 4 = 10 due, 6 started = 60% < 70%. 30 September: the three listed in July
    # are due too: 6 ÷ 13 = 46.15% < 90%. 31 October is after the period chosen.
    assert starts["2026-06-30"][1:] == ["70", "10", "6", "60", "未达标"]
    assert starts["2026-09-30"][1:] == ["90", "13", "6", "46.15", "未达标"]
    assert starts["2026-10-31"][1:] == ["100", "—", "—", "—", "未到节点"]
    service = dashboard(
        session,
        viewer_for(session, county.office),
        load_profile("alxa_left"),
        "2026-09",
        now_utc(),
    ).starts
    assert [[str(c.due), str(c.started)] for c in service if c.due is not None] == [
        starts[c.day.isoformat()][2:4] for c in service if c.due is not None
    ]
    assert 'href="/clauses/AL2"' in html
    # The count opens to the projects behind it, the four not started of 石桥镇 first.
    listed = al_client.get("/dashboard/starts?checkpoint=2026-06-30").get_data(as_text=True)
    assert "共10个，已开工6个。" in listed
    assert listed.index(">未开工项目0<") < listed.index(">开工项目0<")
    assert county.road.name not in listed  # listed on 1 July, after the checkpoint
    assert al_client.get("/dashboard/starts?checkpoint=2026-07-01").status_code == 404

    al_client.post("/logout")
    login(al_client, "chengguan")
    html = al_client.get("/dashboard?period=2026-09").get_data(as_text=True)
    starts = table(html, "dash-starts-table")
    # 城关镇 alone: 6 ÷ 6 = 100% by 30 June; with the road and the school 6 ÷ 8 = 75% by 30 September.
    assert starts["2026-06-30"][1:] == ["70", "6", "6", "100", "达标"]
    assert starts["2026-09-30"][1:] == ["90", "8", "6", "75", "未达标"]


def test_cases_stuck_by_unit_and_step(client, session, clock):
    county = inbox_county(session, clock)  # Tuesday 3 March 2026, 09:00
    login(client, "zdb")
    html = client.get("/dashboard?period=2026-02").get_data(as_text=True)
    stuck = table(html, "dash-stuck-table")

    # 城关镇 leads both road cases: two respond tasks, the February one past its 25 February
    # deadline; 石桥镇 leads the bridge case and 县交通运输局 is a phase unit of one road case.
    assert stuck["城关镇"] == ["城关镇", "受理并开展协调", "2", "1"]
    assert stuck["石桥镇"][2:] == ["1", "0"]
    assert stuck["县交通运输局"][2:] == ["1", "0"]
    service = dashboard(
        session, county.people["zdb"], load_profile("lianping"), "2026-02", now_utc()
    ).stuck
    assert {s.unit_name: [str(s.open), str(s.overdue)] for s in service} == {
        unit: cells[2:] for unit, cells in stuck.items()
    }
    # The overdue count opens the list of those tasks: the February road case alone.
    row = html.split('data-unit="城关镇"', 1)[1].split("</tr>", 1)[0]
    overdue_link = re.findall(r'href="([^"]+)"', row)[-1].replace("&amp;", "&")
    listed = client.get(overdue_link).get_data(as_text=True)
    assert "overdue=1" in overdue_link
    assert county.road.name in listed
    assert county.bridge.name not in listed

    client.post("/logout")
    login(client, "other")  # 石桥镇 sees its own tasks only
    stuck = table(
        client.get("/dashboard?period=2026-02").get_data(as_text=True), "dash-stuck-table"
    )
    assert list(stuck) == ["石桥镇"]


def test_HD5_rankings_over_time_from_the_stored_runs(hd_client, county, session):
    handan_departments(county).with_people("dept")
    factories.user(session, "water", "D02", "unit_liaison")
    profile = load_profile("handan")
    save_run(session, profile, "2025-Q4", None, bj(2026, 1, 5, 9))  # no plan for 2025
    save_run(session, profile, "2026-Q1", None, bj(2026, 4, 2, 9))
    save_run(session, profile, "2026-Q2", None, bj(2026, 7, 2, 9))  # after the period chosen
    county.committed()

    login(hd_client, "zdb")
    html = hd_client.get("/dashboard?period=2026-04").get_data(as_text=True)
    section = html.split('data-ranking-group="departments"', 1)[1].split("</table>", 1)[0]
    rows = dict(
        re.findall(
            r'<tr data-unit="([^"]+)">.*?<td data-period="2026-Q1">([^<]*)</td>', section, re.S
        )
    )
    # By hand: 110%, 80%, 50% and 50% tied third, 40% fifth.
    assert rows["市城管局"] == "第1名（110.00%）"
    assert rows["市教育局"] == rows["市卫健委"] == "第3名（50.00%）"
    assert rows["市水利局"] == "第5名（40.00%）"
    service = rank(session, profile, "2026-Q1").groups[1].rows
    assert {r.unit: f"第{r.rank}名（{r.rate_text}）" for r in service} == rows
    # The newest run's order; the quarter after the period chosen is left out; in 2025-Q4
    # no department had a planned key project, so none was ranked.
    # The tied third by name (卫 before 教 in code point order).
    assert list(rows) == ["市城管局", "县交通运输局", "市卫健委", "市教育局", "市水利局"]
    assert re.findall(r'<a href="/rankings/runs/\d+">([^<]+)</a>', section) == [
        "2025-Q4",
        "2026-Q1",
    ]
    assert section.count('不排名<span class="hint">（无重点项目，不参与排名）') == 5

    hd_client.post("/logout")
    login(hd_client, "water")
    html = hd_client.get("/dashboard?period=2026-04").get_data(as_text=True)
    section = html.split('data-ranking-group="departments"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<tr data-unit="([^"]+)">', section) == ["市水利局"]


def test_an_empty_county_renders(client, session):
    County(session).with_people("zdb2").committed()
    login(client, "zdb2")
    answer = client.get("/dashboard?period=2026-03")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "没有未办结的任务" in html
    assert table(html, "dash-months-table")["2026-03"][1:] == ["0", "0", "0", "—"]
    assert "尚无已保存的排名" in html
    starts = client.get("/dashboard/starts").get_data(as_text=True)
    assert "本地制度未设开工率目标" in starts  # Lianping sets no start-rate checkpoints


def test_a_malformed_period_is_refused_with_its_reason(client, evaluated):
    login(client, "zdb")
    answer = client.get("/dashboard?period=2026-9")
    assert answer.status_code == 400
    assert "月报期次应如 2026-03" in answer.get_data(as_text=True)
