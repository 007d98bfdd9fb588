"""HD3 pages: the four-colour board by unit, its drill-down to each project's evidence, the 专报."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from io import BytesIO

import docx
import pytest

from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.evaluation.colours import Evaluation, colour_board
from keyproj.services.evaluation.special_report import sections
from tests.builders.pages import table_rows
from tests.builders.web import login
from web.filters import percent

PLAN = [("2026-07", "1000", "10"), ("2026-08", "1000", "20"), ("2026-09", "1000", "30")]
ROW = re.compile(r'<tr data-unit="([^"]+)">(.*?)</tr>', re.S)
CELL = re.compile(r'<td data-outcome="([^"]+)">(?:<a href="([^"]+)">)?(\d+)')


@pytest.fixture
def evaluated(county):
    """September 2026, plan to date 3000 万元 and 30%: the road on plan (green), the school at
    2400/3000 = 80% (yellow), the bridge of 石桥镇 at 1500/3000 = 50% (red)."""
    for project, annual, pct in (
        (county.road, "3000", "30"),
        (county.school, "2400", "30"),
        (county.bridge, "1500", "15"),
    ):
        county.plan(project, 2026, PLAN)
        county.report(project, "monthly", "2026-09", annual, pct)
    return county.committed()


def board_cells(page: str) -> dict[str, dict[str, tuple[int, str | None]]]:
    """Each unit row's counts by outcome label, with the count's link."""
    return {
        unit: {label: (int(n), link) for label, link, n in CELL.findall(cells)}
        for unit, cells in ROW.findall(page)
    }


def test_HD3_the_board_counts_equal_the_service_and_open_to_the_evidence(
    client, session, evaluated
):
    login(client, "zdb")
    page = client.get("/colours?period=2026-09").get_data(as_text=True)
    cells = board_cells(page)

    assert cells["城关镇"]["绿色"][0] == 1
    assert cells["城关镇"]["黄色"][0] == 1
    assert cells["石桥镇"]["红色"][0] == 1
    assert cells["合计"]["未报送"][0] == 0
    board = colour_board(
        session, viewer_for(session, evaluated.office), load_profile("lianping"), "2026-09"
    )
    for row in board.units:
        assert {board.label(o): n for o, n in row.counts.items()} == {
            label: n for label, (n, _) in cells[row.unit_name].items()
        }

    link = str(cells["石桥镇"]["红色"][1]).replace("&amp;", "&")
    listed = client.get(link).get_data(as_text=True)
    assert "石桥镇跨河大桥工程" in listed
    assert "城关镇第二小学建设项目" not in listed
    evidence = client.get(f"/colours/projects/{evaluated.bridge.id}?period=2026-09").get_data(
        as_text=True
    )
    assert "序时计划投资（万元）</dt><dd>3,000" in evidence
    assert "年度完成投资（万元）</dt><dd>1,500" in evidence
    assert "评价比例（两者取低，%）</dt><dd>50" in evidence  # 1500 ÷ 3000, 15 ÷ 30
    assert "红色：不低于0%" in evidence
    assert 'href="/clauses/LP11-1"' in evidence  # Lianping's clause on lagging progress


def test_HD3_a_town_sees_only_its_own_projects(client, evaluated):
    login(client, "chengguan")
    cells = board_cells(client.get("/colours?period=2026-09").get_data(as_text=True))

    assert set(cells) == {"城关镇", "合计"}
    assert cells["合计"]["红色"][0] == 0
    answer = client.get(f"/colours/projects/{evaluated.bridge.id}?period=2026-09")
    assert answer.status_code == 404


def test_HD3_the_special_report_page_and_docx(client, evaluated):
    login(client, "zdb")
    page = client.get("/colours/special-report?period=2026-09").get_data(as_text=True)
    assert "连平县重点项目四色评价专报（2026年9月）" in page
    assert "二、红色项目（1个）" in page

    answer = client.get("/colours/special-report.docx?period=2026-09")
    assert answer.mimetype.endswith("wordprocessingml.document")
    texts = [p.text for p in docx.Document(BytesIO(answer.data)).paragraphs if p.text]
    assert texts[1] == "连平县重点项目四色评价专报（2026年9月）"
    assert (
        "2026年9月共评价重点项目3个：绿色1个，蓝色0个，黄色1个，红色1个，"
        "无年度计划0个，未报送0个，序时计划为零0个。"
    ) in texts
    assert any(
        t.startswith("城关镇第二小学建设项目（城关镇）：") and "完成80.0%" in t for t in texts
    )


def test_HD3_a_malformed_period_is_refused_with_its_reason(client, evaluated):
    login(client, "zdb")
    answer = client.get("/colours?period=2026-9")
    assert answer.status_code == 400
    assert "月报期次应如 2026-03" in answer.get_data(as_text=True)


def test_HD3_the_projects_page_lists_the_services_projects_and_figures(client, session, evaluated):
    login(client, "zdb")
    page = client.get("/colours/projects?period=2026-09").get_data(as_text=True)
    rows = table_rows(page, 'id="colour-projects"')[1:]
    board = colour_board(
        session, viewer_for(session, evaluated.office), load_profile("lianping"), "2026-09"
    )

    assert rows == [
        [e.name, e.unit_name, board.label(e.outcome), percent(_ratio(e))] for e in board.select()
    ]
    # By hand: 3000 ÷ 3000, 2400 ÷ 3000, 1500 ÷ 3000.
    assert {r[0]: r[3] for r in rows} == {
        "城关镇环城路改建工程": "100",
        "城关镇第二小学建设项目": "80",
        "石桥镇跨河大桥工程": "50",
    }
    red = client.get("/colours/projects?period=2026-09&outcome=red").get_data(as_text=True)
    assert [r[0] for r in table_rows(red, 'id="colour-projects"')[1:]] == [
        e.name for e in board.select(outcome="red")
    ]


def test_HD3_the_special_report_page_says_what_the_service_says(client, session, evaluated):
    login(client, "zdb")
    page = html.unescape(
        client.get("/colours/special-report?period=2026-09").get_data(as_text=True)
    )
    board = colour_board(
        session, viewer_for(session, evaluated.office), load_profile("lianping"), "2026-09"
    )

    for heading, lines in sections(board):
        assert f"<h2>{heading}</h2>" in page
        for line in lines:
            assert f"<p>{line}</p>" in page
    assert "<h2>三、黄色项目（1个）</h2>" in page  # by hand: the school only


def _ratio(e: Evaluation) -> Decimal | None:
    return e.standing.ratio * 100 if e.standing and e.standing.ratio is not None else None
