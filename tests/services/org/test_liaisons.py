"""The liaison registry (LP5, AL8): naming, history, who may name, the published list, import."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from keyproj.db.models import Liaison
from keyproj.errors import ImportRowError, NotFound, PermissionDenied, ValidationError
from keyproj.services.access import viewer_for
from keyproj.services.org import liaison_list
from keyproj.services.org.liaisons import LiaisonData, history, import_liaisons, name_liaison
from tests.builders import factories
from tests.builders.registries import docx_text, sheet, sheet_rows

TODAY = date(2026, 11, 23)


@pytest.fixture
def people(session):
    factories.unit(session, "T01", "城关镇")
    factories.unit(session, "T02", "石桥镇")
    factories.unit(session, "D01", "县交通运输局", "county_department")
    office = viewer_for(session, factories.user(session, "zdb", "ZDB", "key_office"))
    town = viewer_for(session, factories.user(session, "town", "T01", "unit_liaison"))
    return office, town


def test_lp5_a_new_liaison_closes_the_old_one_and_keeps_the_history(session, people):
    office, town = people
    name_liaison(
        session,
        office,
        LiaisonData("T01", "张伟", "13800000000", "党政办主任", date(2026, 1, 5)),
        TODAY,
    )
    name_liaison(
        session,
        town,
        LiaisonData("城关镇", "李娜", "13900000000", "办事员", date(2026, 6, 1)),
        TODAY,
    )
    whose, rows = history(session, town, "T01")
    assert whose == "城关镇"
    assert [(r.name, r.since, r.until) for r in rows] == [
        ("李娜", date(2026, 6, 1), None),
        ("张伟", date(2026, 1, 5), date(2026, 6, 1)),
    ]


def test_lp5_the_same_person_may_return_with_a_new_phone(session, people):
    office, _ = people
    name_liaison(
        session, office, LiaisonData("T01", "张伟", "13800000000", since=date(2026, 1, 5)), TODAY
    )
    name_liaison(
        session, office, LiaisonData("T01", "张伟", "13800000009", since=date(2026, 2, 1)), TODAY
    )
    current = session.scalars(select(Liaison).where(Liaison.until.is_(None))).one()
    assert current.phone == "13800000009"


def test_al8_a_unit_names_only_its_own_liaison(session, people):
    _, town = people
    with pytest.raises(PermissionDenied, match="石桥镇"):
        name_liaison(session, town, LiaisonData("T02", "赵六", "13800000000"), TODAY)
    assert session.scalars(select(Liaison)).all() == []


def test_lp5_a_start_before_the_current_liaisons_is_refused_by_field(session, people):
    office, _ = people
    name_liaison(
        session, office, LiaisonData("T01", "张伟", "13800000000", since=date(2026, 6, 1)), TODAY
    )
    with pytest.raises(ValidationError) as info:
        name_liaison(
            session,
            office,
            LiaisonData("T01", "李娜", "13900000000", since=date(2026, 5, 1)),
            TODAY,
        )
    assert "张伟" in info.value.by_field()["since"]


def test_lp5_bad_fields_are_named(session, people):
    office, _ = people
    with pytest.raises(ValidationError) as info:
        name_liaison(session, office, LiaisonData("T01", "", "电话"), TODAY)
    assert set(info.value.by_field()) == {"name", "phone"}


def test_lp5_the_published_list_orders_towns_before_departments(session, people):
    office, _ = people
    name_liaison(session, office, LiaisonData("D01", "孙七", "13700000000", "办公室主任"), TODAY)
    name_liaison(session, office, LiaisonData("T02", "赵六", "13600000000"), TODAY)
    name_liaison(session, office, LiaisonData("T01", "张伟", "13800000000"), TODAY)
    name_liaison(session, office, LiaisonData("T01", "李娜", "13900000000"), TODAY)  # replaces 张伟
    listing = liaison_list.published_list(session, "连平县", TODAY)
    assert listing.title == "连平县重点项目预警联络员名单"
    assert [(x.unit, x.name) for x in listing.lines] == [
        ("城关镇", "李娜"),
        ("石桥镇", "赵六"),
        ("县交通运输局", "孙七"),
    ]
    rows = sheet_rows(liaison_list.as_xlsx(listing))
    assert rows[0] == list(liaison_list.HEADERS)
    assert rows[1][:4] == [1, "城关镇", "乡镇", "李娜"]
    text = docx_text(liaison_list.as_docx(listing, "连平县重点项目建设办公室"))
    assert text.splitlines()[0] == "连平县重点项目预警联络员名单"
    assert "连平县重点项目建设办公室　2026年11月23日" in text
    assert "3|县交通运输局|县直部门|孙七|办公室主任|13700000000|2026-11-23" in text


def test_lp5_import_names_every_rows_liaison(session, people):
    office, _ = people
    data = sheet(
        ["单位", "姓名", "职务", "联系电话", "任职日期"],
        ["城关镇", "张伟", "党政办主任", 13800000000, "2026-01-05"],
        ["T02", "赵六", None, "13600000000", None],
    )
    assert import_liaisons(session, office, data, TODAY) == 2
    found = {x.name: (x.phone, x.since) for x in session.scalars(select(Liaison))}
    assert found == {"张伟": ("13800000000", date(2026, 1, 5)), "赵六": ("13600000000", TODAY)}


def test_lp5_import_with_a_bad_row_names_row_and_column(session, people):
    office, _ = people
    data = sheet(
        ["单位", "姓名", "联系电话", "任职日期"],
        ["城关镇", "张伟", "13800000000", "2026-01-05"],
        ["北京市", "赵六", "13600000000", "2026/01/05"],
    )
    with pytest.raises(ImportRowError) as info:
        import_liaisons(session, office, data, TODAY)
    lines = info.value.lines()
    assert any(line.startswith("第3行「任职日期」") for line in lines)


def test_lp5_import_without_a_required_column_is_refused(session, people):
    office, _ = people
    with pytest.raises(ImportRowError) as info:
        import_liaisons(session, office, sheet(["单位", "姓名"], ["城关镇", "张伟"]), TODAY)
    assert info.value.lines() == ["第1行「联系电话」：缺少此列（必需列）"]


@pytest.fixture
def road(session, people):
    return factories.project(
        session,
        "T01",
        name="城南大道",
        code="2026-441623-48-01-000777",
        construction_unit="县城投公司",
    )


def test_lp5_a_construction_units_liaison_is_named_by_project_and_published_under_it(
    session, people, road
):
    office, town = people
    name_liaison(session, office, LiaisonData("T01", "张伟", "13800000000"), TODAY)
    name_liaison(
        session,
        town,
        LiaisonData("", "周建设", "13700000000", "工程部经理", date(2026, 3, 1), road.code),
        TODAY,
    )
    name_liaison(  # a change closes the project's liaison, not the town's
        session, office, LiaisonData("", "吴工", "13500000000", project=road.code), TODAY
    )
    listing = liaison_list.published_list(session, "连平县", TODAY)
    assert [(x.unit, x.name) for x in listing.lines] == [("城关镇", "张伟")]
    assert [(x.project, x.unit, x.kind, x.name) for x in listing.project_lines] == [
        ("城南大道", "县城投公司", "项目建设单位", "吴工")
    ]
    whose, rows = history(session, town, "", road.code)
    assert whose == "城南大道建设单位（县城投公司）"
    assert [(r.name, r.until) for r in rows] == [("吴工", None), ("周建设", TODAY)]
    cells = sheet_rows(liaison_list.as_xlsx(listing))
    assert cells[0][-1] == "所属项目"
    assert cells[2] == [
        2, "县城投公司", "项目建设单位", "吴工", None, "13500000000", "2026-11-23",
        "城南大道（2026-441623-48-01-000777）",
    ]  # fmt: skip
    text = docx_text(liaison_list.as_docx(listing, "连平县重点项目建设办公室"))
    assert "1|城关镇|乡镇|张伟|" in text
    assert "\n项目建设单位联络员\n" in text
    assert "\n序号|项目|建设单位|姓名|职务|联系电话|任职日期\n" in text
    assert "1|城南大道（2026-441623-48-01-000777）|县城投公司|吴工|" in text


def test_lp5_a_project_liaison_names_one_holder_and_an_existing_project(session, people, road):
    office, _ = people
    with pytest.raises(ValidationError) as both:
        name_liaison(
            session, office, LiaisonData("T01", "周建设", "13700000000", project=road.code), TODAY
        )
    assert both.value.by_field() == {
        "project": "单位与项目代码只填一项：项目建设单位的联络员填项目代码、单位留空"
    }
    with pytest.raises(ValidationError) as unknown:
        name_liaison(
            session, office, LiaisonData("", "周建设", "13700000000", project="2026-1"), TODAY
        )
    assert unknown.value.by_field() == {"project": "项目代码 2026-1 不存在"}
    with pytest.raises(ValidationError) as neither:
        name_liaison(session, office, LiaisonData("", "周建设", "13700000000"), TODAY)
    assert set(neither.value.by_field()) == {"unit"}
    assert session.scalars(select(Liaison)).all() == []


def test_lp5_only_the_lead_unit_or_the_key_office_names_a_projects_liaison(session, people, road):
    stone = viewer_for(session, factories.user(session, "stone", "T02", "unit_liaison"))
    with pytest.raises(PermissionDenied, match="只能登记本单位牵头项目的建设单位联络员"):
        name_liaison(
            session, stone, LiaisonData("", "周建设", "13700000000", project=road.code), TODAY
        )
    with pytest.raises(NotFound):
        history(session, stone, "", road.code)
    assert session.scalars(select(Liaison)).all() == []


def test_lp5_import_names_construction_unit_liaisons_by_project_code(session, people, road):
    office, _ = people
    session.commit()
    data = sheet(
        ["单位", "姓名", "联系电话", "项目代码"],
        ["城关镇", "张伟", "13800000000", None],
        [None, "周建设", "13700000000", road.code],
        [None, "吴工", "13500000000", "2026-441623-48-01-999999"],
        ["城关镇", "李四", "13400000000", road.code],
    )
    with pytest.raises(ImportRowError) as info:
        import_liaisons(session, office, data, TODAY)
    assert info.value.lines() == [
        "第4行「项目代码」：项目代码 2026-441623-48-01-999999 不存在",
        "第5行「项目代码」：单位与项目代码只填一项：项目建设单位的联络员填项目代码、单位留空",
    ]
    session.rollback()
    good = sheet(
        ["单位", "姓名", "联系电话", "项目代码"],
        ["城关镇", "张伟", "13800000000", None],
        [None, "周建设", "13700000000", road.code],
    )
    assert import_liaisons(session, office, good, TODAY) == 2
    found = {x.name: (x.unit_id is None, x.project_id) for x in session.scalars(select(Liaison))}
    assert found == {"张伟": (False, None), "周建设": (True, road.id)}
