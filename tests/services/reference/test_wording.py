"""The users' words (issue 15): evidence as labelled Chinese, Beijing times, rule and period
names, task names without clause codes."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from decimal import Decimal

from keyproj.rules.base import evidence
from keyproj.services.reference import wording
from tests.builders import evidence as built


def test_LP11_1_lag_evidence_reads_as_labelled_sentences_in_wan_yuan_and_percent():
    shown = wording.evidence(built.lag("12000", "6837.6"))
    lines = {line.label: line.text for line in shown.lines}
    assert shown.summary.startswith("建设进度滞后于序时进度（红色）")
    assert lines["序时计划投资"] == "12,000万元"
    assert lines["年度完成投资"] == "6,837.6万元"
    assert lines["进度完成比例"] == "57.0%"  # ratio 0.5698
    assert lines["形象进度"] == "5%"
    assert lines["评价期次"] == "2026年1月"
    assert lines["数据截至"] == "2026-01-31"
    assert shown.clauses[0] == "LP11-1"
    # The profile's citation: its words shown, its clause apart for the 依据 link.
    assert lines["判定依据"] == "本地取值：黄色及红色视为“建设进度未达要求”"
    assert [line.clauses for line in shown.lines if line.label == "判定依据"] == [("LP11-1",)]


def test_LP8_report_evidence_names_the_status_and_the_beijing_time_it_came():
    shown = wording.evidence(
        evidence(
            "2026年2月月报逾期未报",
            ("LP8",),
            "LP8",
            period="2026-02",
            due_on=date(2026, 2, 25),
            report_status="draft",
            submitted_at=datetime(2026, 2, 26, 17, 30, tzinfo=UTC),
            days_late=1,
        )
    )
    lines = {line.label: line.text for line in shown.lines}
    assert lines == {
        "判定依据": "规章条款",
        "报表期次": "2026年2月",
        "报表状态": "草稿",
        "报送时间": "2026-02-27 01:30",  # 17:30 UTC is 01:30 the next day in Beijing
        "应完成日期": "2026-02-25",
        "已逾期": "1天",
    }
    assert wording.evidence({"report_status": "missing"}).lines[0].text == "未报送"


def test_unknown_keys_and_empty_values_are_not_shown_but_logged(caplog):
    with caplog.at_level(logging.WARNING, logger=wording.__name__):
        shown = wording.evidence(
            {"summary": "进度滞后", "secret_column": 3, "ratio": None, "not_started_reason": ""}
        )
    assert shown.lines == ()
    assert "secret_column" in caplog.text
    assert "secret_column" not in shown.text()
    assert shown.text() == "进度滞后。"
    assert wording.evidence(None).text() == "—"


def test_AL2_start_rate_evidence_lists_the_projects_not_started_by_name():
    shown = wording.evidence(
        {
            "target_rate": "0.6",
            "start_rate": "0.4286",
            "not_started": [{"code": "P-1", "name": "城南污水厂", "unit": "城关镇"}],
            "called": {"role": "分包县领导", "unit": "副县长", "name": "李明"},
        }
    )
    assert [(line.label, line.text) for line in shown.lines] == [
        ("目标开工率", "60.0%"),
        ("实际开工率", "42.9%"),
        ("未开工项目", "城南污水厂（城关镇）"),
        ("问政对象", "分包县领导（副县长李明）"),
    ]


def test_task_names_lose_their_clause_codes_which_become_links():
    assert wording.without_clauses("县政府协调处置（LP16）") == "县政府协调处置"
    assert wording.clauses_in("县政府协调处置（LP16）") == ("LP16",)
    assert wording.without_clauses("开工以报表为准（AL6、AL7）。") == "开工以报表为准。"
    assert wording.clauses_in("开工以报表为准（AL6、AL7）") == ("AL6", "AL7")
    assert wording.without_clauses("受理并开展协调（责任单位）") == "受理并开展协调（责任单位）"


def test_rules_and_periods_have_chinese_names_whatever_raised_them():
    assert wording.rule_name("progress_lag") == "建设进度滞后于序时进度"
    assert wording.rule_name("supervision_progress") == "重点办日常督查发现"
    assert wording.rule_name("feedback_city_issue") == "市重点项目信息系统反馈预警"
    assert wording.rule_name("no_such_rule") == "其他预警"
    assert wording.period_label("2026-03") == "2026年3月"
    assert wording.period_label("issue-3") == "不分期次"
    assert wording.period_label("2026-03-18-2") == "2026-03-18（第2条）"


def test_times_are_beijing_times_and_dates_beijing_dates():
    late = datetime(2026, 3, 31, 16, 30, tzinfo=UTC)
    assert wording.beijing_time(late) == "2026-04-01 00:30"
    assert wording.beijing_time("2026-03-31T16:30:00+00:00") == "2026-04-01 00:30"
    assert wording.day(late) == "2026-04-01"
    assert wording.day(date(2026, 3, 31)) == "2026-03-31"
    assert wording.beijing_time(None) == "—"
    assert wording.number(Decimal("1234567.50")) == "1,234,567.5"
