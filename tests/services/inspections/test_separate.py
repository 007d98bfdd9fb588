"""GS5 第三条: 县百城提质办(第六组)负责督导检查全县百城建设提质工程(官渡河综合治理项目),督导检查报告单独印发.
Group six's records and missed projects leave the weekly bulletin, which says so; its own report
is compiled from them, issued by the key office with its own number and kept as issued."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from keyproj.clock import BEIJING, now_utc, today_beijing
from keyproj.errors import Conflict, PermissionDenied
from keyproj.policy import load_profile
from keyproj.services.inspections.bulletin import bulletin_lines
from keyproj.services.inspections.gaps import flag_last_week
from keyproj.services.inspections.separate import issue, report, report_docx
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.inspections import GS, NOW, grouped, inspected
from tests.builders.registries import docx_text

APART = (
    "第6组（县百城提质办）负责督导检查全县百城建设提质工程（官渡河综合治理项目），"
    "其检查情况不列入本通报，督导检查报告单独印发。"
)
CLOSING = "请各责任单位对检查发现的问题立即整改，整改情况报县重点项目办。"
AFTER = date(2026, 3, 16)  # the Monday after week 11


@pytest.fixture
def week11(county: County) -> County:
    """Group 1 checks plant and road, group 6 the school and the bridge (the office's grouping);
    in week 11 group 1 inspected the plant and group 6 the school; road and bridge were missed."""
    county.with_people("zdb", "town", "other", "dcs").with_projects(
        "plant", "road", "school", "bridge"
    )
    grouped(county, {1: ["plant", "road"], 6: ["school", "bridge"]})
    inspected(county, "plant", "2026-03-10", 1, severity="serious", findings="塔吊未按方案拆除")
    inspected(
        county,
        "school",
        "2026-03-11",
        6,
        milestone_verified=False,
        severity="minor",
        findings="河道护坡未按图施工",
    )
    with time_machine.travel(datetime(2026, 3, 16, 8, 30, tzinfo=BEIJING), tick=False):
        flag_last_week(county.session, GS, today_beijing(), now_utc())
    return county


def _code(county: County, key: str) -> str:
    return county.projects[key].code


def _six(county: County) -> int:
    return grouped(county, {})[5].id


def test_gs5_the_profile_names_group_six_as_reporting_separately_citing_gs5():
    rules = GS.inspections
    assert rules is not None
    [apart] = rules.separate_reports
    assert (apart.group, apart.covers) == (6, "全县百城建设提质工程（官渡河综合治理项目）")
    assert rules.separate(1) is None
    assert load_profile("lianping").inspections is None


def test_gs5_the_weekly_bulletin_leaves_group_six_out_and_says_so(week11: County):
    lines = bulletin_lines(week11.session, GS, week11.people["zdb"], "2026-W11", AFTER)
    assert lines == [
        "2026年第11周（3月9日至3月15日），县重点项目联合检查组共实地督导检查项目1个次，"
        "核实节点计划1个次，发现问题1个。现将检查情况通报如下。",
        APART,
        "一、第1组（县委组织部）",
        "3月10日，城关镇污水处理厂提标改造工程（城关镇）：节点计划（计划未列节点）已核实，"
        "已查看形象进度；发现较重问题：塔吊未按方案拆除。",
        "二、未按周检查的项目",
        f"第1组（县委组织部）：城关镇环城路改建工程（{_code(week11, 'road')}）本周未实地检查。",
        CLOSING,
    ]


def test_gs5_group_sixs_report_holds_its_own_records_and_missed_projects(week11: County):
    draft = report(week11.session, GS, week11.people["zdb"], _six(week11), "2026-W11")
    assert draft.issued is None
    assert (
        draft.title
        == "关于2026年第11周全县百城建设提质工程（官渡河综合治理项目）督导检查情况的报告"
    )
    assert draft.body == [
        "2026年第11周（3月9日至3月15日），县重点项目联合检查组第6组（县百城提质办）对"
        "全县百城建设提质工程（官渡河综合治理项目）共实地督导检查项目1个次，核实节点计划0个次，"
        "发现问题1个。现将检查情况报告如下。",
        "一、检查情况",
        "3月11日，城关镇第二小学建设项目（城关镇）：节点计划（计划未列节点）未核实，"
        "已查看形象进度；发现一般问题：河道护坡未按图施工。",
        "二、未按周检查的项目",
        f"第6组（县百城提质办）：石桥镇跨河大桥工程（{_code(week11, 'bridge')}）本周未实地检查。",
        CLOSING,
    ]


def test_gs5_the_office_issues_group_sixs_report_once_a_week_with_its_own_number(
    week11: County,
):
    s, office, six = week11.session, week11.people["zdb"], _six(week11)
    first = issue(s, GS, office, six, "2026-W11", bj(2026, 3, 16, 10))
    assert first.number == "光重点办督查〔2026〕1号"
    with pytest.raises(Conflict, match="已印发（光重点办督查〔2026〕1号）"):
        issue(s, GS, office, six, "2026-W11", bj(2026, 3, 16, 11))
    second = issue(s, GS, office, six, "2026-W12", bj(2026, 3, 23, 10))
    assert second.number == "光重点办督查〔2026〕2号"
    # The bulletin names the separate report's number once it is issued.
    lines = bulletin_lines(s, GS, office, "2026-W11", AFTER)
    assert lines[1] == APART.replace("督导检查报告", "督导检查报告（光重点办督查〔2026〕1号）")


def test_gs5_an_issued_report_stays_as_issued_and_its_docx_carries_the_number(week11: County):
    s, office, six = week11.session, week11.people["zdb"], _six(week11)
    issued = issue(s, GS, office, six, "2026-W11", bj(2026, 3, 16, 10))
    late = bj(2026, 3, 20, 9)
    inspected(week11, "bridge", "2026-03-13", 6, now=late, findings="便道未硬化", severity="minor")
    assert report(s, GS, office, six, "2026-W11").body == issued.body
    text = docx_text(report_docx(s, GS, office, six, "2026-W11", late))
    assert "光重点办督查〔2026〕1号" in text
    assert "关于2026年第11周全县百城建设提质工程（官渡河综合治理项目）督导检查情况的报告" in text
    assert "河道护坡未按图施工" in text
    assert "便道未硬化" not in text
    assert "2026年3月16日" in text  # dated the day it was issued


def test_gs5_a_group_in_the_bulletin_has_no_separate_report_and_units_compile_none(
    week11: County,
):
    first = grouped(week11, {})[0].id
    with pytest.raises(Conflict, match="第1组（县委组织部）的检查情况列入联合督导检查通报"):
        report(week11.session, GS, week11.people["zdb"], first, "2026-W11")
    with pytest.raises(PermissionDenied):
        report(week11.session, GS, week11.people["town"], _six(week11), "2026-W11")
    with pytest.raises(PermissionDenied):
        issue(week11.session, GS, week11.people["dcs"], _six(week11), "2026-W11", NOW)
