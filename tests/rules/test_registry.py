"""Every rule names the clauses it enforces; every number it reads is cited in all five profiles."""

from __future__ import annotations

import pytest

from keyproj.policy import available_profiles, load_profile
from keyproj.policy.loader import REQUIREMENT_ID
from keyproj.rules import RULES, rule_title


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_each_rule_cites_its_requirements_in_its_docstring(rule):
    doc = rule.evaluate.__doc__ or ""
    assert rule.requirements and all(REQUIREMENT_ID.match(r) for r in rule.requirements)
    assert rule.requirements[0] in doc, (rule.name, doc)
    assert rule_title(rule.name) == rule.title


@pytest.mark.parametrize("name", available_profiles())
def test_rule_numbers_are_cited_in_every_profile(name):
    profile = load_profile(name)
    for key in (
        "warnings.colour_bands",
        "warnings.warning_colours",
        "warnings.progress_cycle",
        "warnings.central_funds_min_ratio",
        "warnings.unresolved_issue_months",
        "warnings.no_progress_weeks",
        "deadlines.urgent_issue_report_working_days",
        "plans.filing_months_after_approval",
        "starts.targets",
    ):
        assert profile.cite(key), (name, key)


def test_titles_of_generated_rule_ids():
    assert rule_title("no_progress_3w") == "连续3周无实质进度"
    assert rule_title("feedback_city_issue") == "市重点项目信息系统反馈预警"
