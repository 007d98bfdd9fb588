"""Alxa's year-end scores (AL13, AL14) and Dancheng's slow projects (DC6) as evaluations."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from keyproj.db.models import AwardRecord
from keyproj.errors import Conflict
from keyproj.policy import load_profile
from keyproj.policy.year_end import YearEnd
from keyproj.services.awards.evaluations import confirm, items_in_scope, propose
from tests.builders.awards import NOW, TODAY, alxa_departments, dancheng_projects
from tests.builders.county import County

ALXA = load_profile("alxa_left")


def _items(county: County, profile=ALXA) -> list[tuple[str, str, str]]:
    row = propose(county.session, profile, county.people["zdb"], 2026, NOW, TODAY)
    return [
        (p.item.unit, p.item.kind_label, p.item.clause)
        for p in items_in_scope(row, county.people["zdb"])
    ]


@pytest.fixture
def alxa(county: County) -> County:
    """Departments scored over 2026 (the scoring fixture): the year-end weighted scores are
    县交通运输局 65×0.2 + 60×0.2 + 76.67×0.3 + 55.63×0.3 = 64.69 and
    县水利局 70×0.2 + 70×0.2 + 78.33×0.3 + 40×0.3 = 63.50; 县教育局 has no project."""
    return alxa_departments(county)


def test_al13_the_bottom_of_the_year_end_scores_are_admonished_and_criticised(alxa):
    # The profile's bottom three take in both scored departments; nobody reaches 90 (AL14).
    assert _items(alxa) == [
        ("县交通运输局", "诫勉谈话", "AL13"),
        ("县交通运输局", "通报批评", "AL13"),
        ("县水利局", "诫勉谈话", "AL13"),
        ("县水利局", "通报批评", "AL13"),
    ]


def test_al13_al14_only_the_last_place_with_one_bottom_place_and_a_commendation_at_64(alxa):
    rules = YearEnd(basis="scores", bottom_n=1, commend_min_score=64.0)
    profile = ALXA.model_copy(update={"year_end": rules})
    assert _items(alxa, profile) == [
        ("县交通运输局", "通报表扬", "AL14"),  # 64.69 ≥ 64, not in the bottom place
        ("县水利局", "诫勉谈话", "AL13"),  # 63.50: last of two
        ("县水利局", "通报批评", "AL13"),
    ]
    row = propose(alxa.session, profile, alxa.people["zdb"], 2026, NOW, TODAY)
    scores = {s["unit"]: (s["score"], s["rank"]) for s in row.figures["scores"]}
    assert scores == {
        "县交通运输局": ("64.69", 1),
        "县水利局": ("63.50", 2),
        "县教育局": (None, None),
    }


def test_dc6_slow_projects_lose_preferential_policies_and_their_units_face_accountability(
    county,
):
    dancheng_projects(county)
    row = propose(county.session, load_profile("dancheng"), county.people["zdb"], 2026, NOW, TODAY)
    assert row.figures["period"] == "2026-12"
    items = [
        (p.item.unit, p.item.project, p.item.kind_label, p.item.clause)
        for p in items_in_scope(row, county.people["zdb"])
    ]
    assert items == [
        ("城关镇", "乙污水管网", "取消享受优惠政策资格", "DC6"),  # 200 ÷ 400 = 50%: red
        ("县交通运输局", "丙物流中心", "取消享受优惠政策资格", "DC6"),  # 240 ÷ 300 = 80%: yellow
        ("城关镇", None, "问责", "DC6"),
        ("县交通运输局", None, "问责", "DC6"),
        ("石桥镇", None, "通报表扬", "DC6"),  # its only project at 120 ÷ 100: green
    ]
    confirm(county.session, county.people["zdb"], row.id, {}, NOW)
    lost = county.session.scalars(
        select(AwardRecord).where(AwardRecord.kind == "policy_loss").order_by(AwardRecord.item)
    ).all()
    assert [(r.project.name if r.project else None, r.unit.name) for r in lost] == [
        ("乙污水管网", "城关镇"),
        ("丙物流中心", "县交通运输局"),
    ]


def test_hd7_a_county_without_year_end_rules_has_nothing_proposed(county):
    county.with_people("zdb")
    with pytest.raises(Conflict, match="逐条录入"):
        propose(county.session, load_profile("handan"), county.people["zdb"], 2026, NOW, TODAY)
