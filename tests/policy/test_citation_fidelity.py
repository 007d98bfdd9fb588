"""A profile's number cites a clause only where the regulation's text states that number."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from keyproj.policy import available_profiles, load_profile
from keyproj.policy.clauses import clause
from keyproj.policy.loader import PROFILE_DIR

# (profile, key) -> (value, clause, the regulation's own words stating it). Every number that
# cites a clause must stand here; a number the clause does not state is `local` with its reason.
STATED: dict[tuple[str, str], tuple[Any, str, tuple[str, ...]]] = {
    ("lianping", "reporting.due_days"): ([25], "LP8", ("每月 25 日前",)),
    ("lianping", "plans.filing_months_after_approval"): (1, "LP6", ("1 个月内",)),
    ("lianping", "deadlines.notice_working_days"): (3, "LP13", ("在3个工作日内向责任单位发出",)),
    ("lianping", "deadlines.response_working_days"): (3, "LP17", ("在3个工作日内开展协调工作",)),
    ("lianping", "deadlines.outcome_working_days"): (10, "LP17", ("要在10个工作日内形成评估",)),
    ("lianping", "deadlines.handling_report_working_days"): (10, "LP18", ("应在10个工作日内",)),
    ("lianping", "deadlines.urgent_issue_report_working_days"): (
        3,
        "LP9",
        ("3个工作日内直接报告",),
    ),
    ("lianping", "warnings.unresolved_issue_months"): (1, "LP11-3", ("超过1个月未能协调解决",)),
    ("lianping", "warnings.spot_check_min_investment_wan"): (50000.0, "LP10", ("总投资5亿元以上",)),
    ("lianping", "bulletin.due_day_of_month"): (11, "LP19", ("每月11日前",)),
    ("alxa_left", "reporting.due_days"): ([14, 28], "AL6", ("于每月14日、28日前",)),
    ("alxa_left", "plans.filing_by_end_of_month"): (3, "AL4", ("每年3月底前",)),
    ("alxa_left", "plans.calibration_month"): (5, "AL4", ("每年5月初",)),
    ("alxa_left", "plans.adjustment_month"): (6, "AL5", ("每年6月中旬",)),
    ("alxa_left", "starts.targets"): (
        [{"by": "06-30", "rate": 0.7}, {"by": "09-30", "rate": 0.9}, {"by": "10-31", "rate": 1.0}],
        "AL2",
        ("6月底达到70%", "9月底达到90%", "10月底全部开工"),
    ),
    ("handan", "reporting.due_days"): ([5], "HD2", ("每月5日前",)),
    ("handan", "plans.filing_by_end_of_month"): (2, "HD1", ("每年2月底前",)),
    ("handan", "warnings.unresolved_issue_months"): (2, "HD2", ("每两个月",)),
    ("handan", "ranking.bottom_n"): (3, "HD5", ("排名后三位",)),
    ("handan", "interviews.bottom_places"): (3, "HD6", ("均排在后三位",)),
    ("handan", "interviews.rankings"): (2, "HD6", ("两次通报",)),
    ("guangshan", "warnings.no_progress_weeks"): (
        [2, 3],
        "GS1",
        ("连续2周无实质进度", "连续3周无实质进度"),
    ),
    ("guangshan", "ranking.top_n"): (2, "GS2", ("排名前两位",)),
    ("guangshan", "ranking.bottom_n"): (2, "GS2", ("排名后两位",)),
    ("guangshan", "year_end.town_prizes_wan"): (
        [100, 50],
        "GS8",
        ("年度综合考评排序前两名的,分别奖100万元、50万元",),
    ),
    ("guangshan", "year_end.town_penalties_wan"): (
        [50, 100],
        "GS8",
        ("位列后两名的乡镇(街区)分别罚50万元、100万元",),
    ),
    ("guangshan", "year_end.no_project_funding_cut_pct"): (
        20,
        "GS2",
        ("减少下一年度20%的财政拨付经费",),
    ),
    ("guangshan", "year_end.service_top_n"): (2, "GS8", ("年度综合考评得分前两名的",)),
    ("dancheng", "meetings.series.dispatch.nth"): (1, "DC3", ("原则每月第一个周一召开",)),
    ("dancheng", "meetings.series.dispatch.weekday"): (1, "DC3", ("原则每月第一个周一召开",)),
    ("dancheng", "meetings.series.dispatch.agenda.ask_day_of_previous_month"): (
        20,
        "DC3",
        ("每月20日前后",),
    ),
    ("dancheng", "meetings.series.dispatch.agenda.due_days_before"): (
        7,
        "DC3",
        ("于月例会前一周",),
    ),
    ("handan", "meetings.series.leader.every"): (2, "HD4", ("每两个月至少集中调度1次",)),
    ("guangshan", "meetings.series.report.every"): (
        2,
        "GS2",
        ("每两个月由县委书记主持召开重点项目推进汇报会",),
    ),
    ("guangshan", "meetings.series.joint_approval.every"): (
        2,
        "GS6",
        ("每两周召开一次联审联批工作会议",),
    ),
    ("dancheng", "tours.every_months"): (2, "DC4", ("原则上两个月开展1次",)),
    ("guangshan", "tours.every_months"): (1, "GS2", ("每月组织一次全县重点项目观摩活动",)),
    ("guangshan", "inspections.group_count"): (6, "GS5", ("第一组", "县百城提质办(第六组)")),
    ("guangshan", "inspections.every_weeks"): (1, "GS5", ("每周开展一次实地督导检查",)),
    ("guangshan", "inspections.separate_reports"): (
        [{"group": 6, "covers": "全县百城建设提质工程（官渡河综合治理项目）"}],
        "GS5",
        ("县百城提质办(第六组)", "全县百城建设提质工程(官渡河综合治理项目),督导检查报告单独印发"),
    ),
    ("guangshan", "visits.per_week"): (
        {"chief": 1, "assistant": 2},
        "GS3",
        ("每周到项目现场不少于1次", "每周到现场不少于2次"),
    ),
    ("dancheng", "visits.per_week"): (
        {"leader": 1, "unit": 1},
        "DC2",
        ("处级分包领导和责任单位每周至少现场办公 1 次",),
    ),
}


def has_number(value: Any) -> bool:
    """True for a number, or a list or table holding one (colour bands, start-rate targets)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, list):
        return any(has_number(item) for item in value)
    if isinstance(value, dict):
        return any(has_number(item) for item in value.values())
    return False


def cited_numbers(raw: dict[str, Any], prefix: str = "") -> dict[str, tuple[Any, str]]:
    """Every leaf of a profile file whose value holds a number and that cites a clause."""
    found: dict[str, tuple[Any, str]] = {}
    for key, node in raw.items():
        path = f"{prefix}{key}"
        if isinstance(node, dict) and "value" in node:
            if "source" in node and has_number(node["value"]):
                found[path] = (node["value"], node["source"])
        elif isinstance(node, dict):
            found.update(cited_numbers(node, f"{path}."))
    return found


def profile_file(name: str) -> dict[str, Any]:
    return tomllib.loads((PROFILE_DIR / f"{name}.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", available_profiles())
def test_every_cited_number_is_one_its_clause_states(name):
    cited = cited_numbers(profile_file(name))
    pinned = {key for (profile, key) in STATED if profile == name}
    unpinned = sorted(set(cited) - pinned)
    assert not unpinned, f"{name}: 这些数值引用了条款，但未核对条款原文是否写明该数值：{unpinned}"
    for key, (value, source) in cited.items():
        assert (value, source) == STATED[(name, key)][:2], f"{name}: {key}"


@pytest.mark.parametrize(("name", "key"), sorted(STATED))
def test_the_clause_a_number_cites_says_that_number_in_its_words(name, key):
    value, source, words = STATED[(name, key)]
    shown = clause(source)
    assert shown is not None, source
    assert shown.seed == load_profile(name).profile.seed
    for said in words:
        assert said in shown.text, f"{source} 原文中没有“{said}”"
    assert cited_numbers(profile_file(name))[key] == (value, source)
    assert load_profile(name).cite(key).split(" / ")[0] == source


def test_a_number_its_clause_does_not_state_is_a_local_choice_naming_the_clause():
    hd = load_profile("handan")
    # HD4 sets the dispatch levels, not a handling deadline: the 10 days are the county's choice.
    assert hd.county_gov.handling_working_days == 10
    assert hd.cite("county_gov.handling_working_days").startswith("本地取值：分管市领导")
    al = load_profile("alxa_left")
    assert al.cite("deadlines.response_working_days").startswith("本地取值：")
    assert "第十七条" in al.cite("deadlines.response_working_days")
