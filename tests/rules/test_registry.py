"""The names of the rules as the scan prints them, generated rule ids included."""

from __future__ import annotations

from keyproj.rules import rule_title


def test_rule_titles_as_the_scan_prints_them():
    assert rule_title("progress_lag") == "建设进度滞后于序时进度"
    assert rule_title("no_progress_3w") == "连续3周无实质进度"
    assert rule_title("feedback_city_issue") == "市重点项目信息系统反馈预警"
    assert rule_title("feedback_province_progress") == "省重点项目信息系统反馈预警"
