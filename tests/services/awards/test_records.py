"""Records entered by hand (HD7, AL13), read in scope, and the year's 通报 and workbook."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.awards.documents import bulletin_docx, evaluation_xlsx
from keyproj.services.awards.evaluations import confirm, propose
from keyproj.services.awards.records import Entry, Filters, enter, listed, of_unit
from tests.builders import factories
from tests.builders.awards import NOW, TODAY, guangshan_year, service_units
from tests.builders.county import County


def _entry(county: County, **changes: str) -> Entry:
    values = {
        "unit_id": str(county.people["town"].unit_id),
        "kind": "accountability",
        "reason": "对项目建设不重视、不调度，造成建设进程滞缓",
        "clause": "HD7",
        "year": "2026",
        "person": "王某",
    }
    values.update(changes)
    return Entry(**values)


def test_hd7_the_key_office_enters_an_accountability_record(county):
    county.with_people("zdb", "town", "other", "auditor")
    record = enter(county.session, county.people["zdb"], _entry(county), NOW)
    assert (record.unit.name, record.kind.label, record.person, record.clause) == (
        "城关镇",
        "问责",
        "王某",
        "HD7",
    )
    assert listed(county.session, county.people["auditor"], Filters(year=2026)) == [record]
    assert listed(county.session, county.people["town"], Filters()) == [record]
    assert listed(county.session, county.people["other"], Filters()) == []  # 石桥镇's staff
    assert listed(county.session, county.people["zdb"], Filters(kind="prize")) == []
    with pytest.raises(NotFound):
        of_unit(county.session, county.people["other"], record.unit_id)
    with pytest.raises(PermissionDenied):
        enter(county.session, county.people["town"], _entry(county), NOW)


def test_a_county_leader_reads_every_units_record(county):
    county.with_people("zdb", "town")
    leader = viewer_for(county.session, factories.user(county.session, "leader01", "XLD", "leader"))
    record = enter(county.session, county.people["zdb"], _entry(county), NOW)
    assert listed(county.session, leader, Filters()) == [record]
    assert of_unit(county.session, leader, record.unit_id)[1] == [record]


def test_a_bad_entry_names_every_field_and_saves_nothing(county):
    county.with_people("zdb", "town")
    with pytest.raises(ValidationError) as refused:
        enter(
            county.session,
            county.people["zdb"],
            _entry(county, kind="penalty", amount="", clause="第七条", reason=" ", year="26"),
            NOW,
        )
    assert set(refused.value.by_field()) == {"amount", "clause", "reason", "year"}
    assert listed(county.session, county.people["zdb"], Filters()) == []
    with pytest.raises(ValidationError, match="只有奖励资金和罚款填写金额"):
        enter(county.session, county.people["zdb"], _entry(county, amount="5"), NOW)
    fine = enter(
        county.session, county.people["zdb"], _entry(county, kind="penalty", amount="50"), NOW
    )
    assert fine.amount == Decimal("50")


def test_gs8_the_years_bulletin_lists_the_confirmed_items_and_leaves_out_the_struck(county):
    service_units(guangshan_year(county))
    profile, office = load_profile("guangshan"), county.people["zdb"]
    row = propose(county.session, profile, office, 2026, NOW, TODAY)
    with pytest.raises(Conflict, match="尚未确认"):
        bulletin_docx(county.session, profile, row, office)
    confirm(county.session, office, row.id, {5: "泼陂河镇已申请复核"}, NOW)
    document = Document(BytesIO(bulletin_docx(county.session, profile, row, office)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "关于2026年度重点项目建设考评奖惩情况的通报" in text
    assert (
        "1. 城关镇：奖励资金100万元。年度综合得分100.00（投资完成率120.00%，投资得分100.00，"
        in text
    )
    assert (
        "仙居乡：罚款100万元。年度综合得分30.00（投资完成率30.00%，投资得分30.00，全年未被观摩，观摩得分按投资得分计），乡镇第6名（最后一名）"
        in text
    )
    assert "泼陂河镇" not in text  # item 5 struck
    assert (
        "晏河乡：减少下一年度财政拨付经费。一年内没有重点项目，减少下一年度20%的财政拨付经费"
        in text
    )
    assert "2027年1月8日" in text


def test_the_workbook_holds_a_towns_own_items_and_every_towns_rank(county):
    service_units(guangshan_year(county))
    row = propose(county.session, load_profile("guangshan"), county.people["zdb"], 2026, NOW, TODAY)
    book = load_workbook(BytesIO(evaluation_xlsx(row, county.people["town"])))
    items = [r for r in book["奖惩事项"].iter_rows(min_row=3, values_only=True)]
    assert [(r[1], r[3], r[4], r[7]) for r in items] == [
        ("城关镇", "奖励资金", 100, "待确认"),
        ("城关镇", "记三等功", None, "待确认"),
    ]
    towns = [r for r in book["乡镇排名"].iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[1], r[4]) for r in towns][:3] == [
        (1, "城关镇", "120.00%"),
        (1, "石桥镇", "120.00%"),
        (3, "十里镇", "90.00%"),
    ]
    assert towns[-1][:2] == ("不排名", "晏河乡")
