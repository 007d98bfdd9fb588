"""The active profile as the administrators read it: each value with its clause or local reason."""

from __future__ import annotations

import pytest

from keyproj.policy import available_profiles, load_profile
from keyproj.policy.clauses import clause
from keyproj.services.admin.profile import profile_values


@pytest.mark.parametrize("name", available_profiles())
def test_every_cited_clause_of_every_profile_ships_with_its_text(name):
    for value in profile_values(load_profile(name)):
        assert value.source or value.local, value.key
        if value.source and not value.source.startswith("X"):
            assert value.clause is not None, f"{name}: {value.key} cites {value.source}"
            assert len(value.clause.text) > 20


def test_lp13_the_notice_deadline_shows_article_13_beside_it(profile):
    values = {v.key: v for v in profile_values(profile)}
    notice = values["deadlines.notice_working_days"]
    assert (notice.value, notice.source, notice.local) == ("3", "LP13", None)
    assert notice.clause is not None
    assert notice.clause.where == "第十三条"
    assert notice.clause.text.startswith("第十三条 明确责任单位。")


def test_a_local_choice_shows_its_reason_and_no_clause(profile):
    values = {v.key: v for v in profile_values(profile)}
    signing = values["reporting.sign_off_by_unit_head"]
    assert (signing.value, signing.source, signing.clause) == ("否", None, None)
    assert signing.local == "规章未要求单位负责人签字"


def test_an_item_of_an_article_shows_the_whole_article():
    lp11_1 = clause("LP11-1")
    assert lp11_1 is not None
    assert lp11_1.where == "第十一条"
    assert clause("X1") is None


def test_hd3_a_section_of_handan_is_shipped_by_its_heading():
    hd3 = clause("HD3")
    assert hd3 is not None
    assert hd3.text.startswith("(三)定期对账")
