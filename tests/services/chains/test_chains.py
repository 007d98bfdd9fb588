"""DC5 链长制: a chain with its chief, plan and four lists; a project in at most one chain; the
chain page's projects coloured against their plans to date, with their open warnings."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from keyproj.db.models import IndustryChain
from keyproj.errors import NotFound, PermissionDenied, ValidationError
from keyproj.services.access import viewer_for
from keyproj.services.chains.editing import ChainData, link_by_name, save_chain
from keyproj.services.chains.views import chain_page, chains_for
from keyproj.services.org.directory import save_leader
from keyproj.services.projects.ledger.importing import import_projects
from keyproj.services.projects.project import project_data, update_project
from tests.builders import factories
from tests.builders.ledger import CODE_A, CODE_B, CODE_C, YEAR, ledger_units, row, stored, workbook

NOW = datetime(2026, 10, 8, 2, tzinfo=UTC)
TODAY = date(2026, 10, 8)  # September 2026 is the last ended month
Q3 = [("2026-07", "1000", "10"), ("2026-08", "1000", "20"), ("2026-09", "1000", "30")]


@pytest.fixture
def food(county):
    """The 食品加工 chain: 城关镇's plant (green) and road (yellow), 石桥镇's bridge (red)."""
    county.with_projects("plant", "road", "bridge", "school").with_people("zdb", "town", "other")
    chief = factories.user(county.session, "chief", "XLD", "leader")
    save_leader(county.session, "赵链长", "副县长", username="chief")
    county.people["chief"] = viewer_for(county.session, chief)
    p = county.projects
    for key in ("plant", "road", "bridge"):
        county.plan(p[key], 2026, Q3)
    county.report(p["plant"], "monthly", "2026-09", "3000", "30")  # 100%: green
    county.report(p["road"], "monthly", "2026-09", "2400", "30")  # 80%: yellow
    county.report(p["bridge"], "monthly", "2026-09", "1500", "15")  # 50%: red
    factories.warning(county.session, p["bridge"], "2026-09", status="open")
    data = ChainData(
        "食品加工产业链",
        "赵链长",
        "打造千亿级食品加工产业集群",
        matters=[
            {"text": "引进冷链物流龙头企业", "owner_unit_code": "D01", "due_on": "2026-12-31"}
        ],
        parks=["城关镇食品产业园"],
        companies=["豫南食品有限公司", "淮河粮油公司"],
        projects=[p["plant"].code, p["road"].code, p["bridge"].code],
    )
    return save_chain(county.session, county.people["zdb"], None, data, NOW)


def test_dc5_the_chain_page_colours_its_projects_and_counts_open_warnings(county, food, profile):
    page = chain_page(county.session, profile, county.people["zdb"], food.id, TODAY)
    assert page.period.key == "2026-09"
    assert [(r.evaluation.name, r.colour_label, r.open_warnings) for r in page.projects] == [
        ("城关镇污水处理厂提标改造工程", "绿色", 0),
        ("城关镇环城路改建工程", "黄色", 0),
        ("石桥镇跨河大桥工程", "红色", 1),
    ]
    assert page.colour_counts == {"green": 1, "blue": 0, "yellow": 1, "red": 1}
    assert [m.text for m in page.matters] == ["引进冷链物流龙头企业"]
    matter = page.matters[0]
    assert matter.owner_unit is not None
    assert (matter.owner_unit.name, matter.due_on) == ("县交通运输局", date(2026, 12, 31))
    assert [c.text for c in page.companies] == ["豫南食品有限公司", "淮河粮油公司"]
    assert [c.text for c in page.parks] == ["城关镇食品产业园"]
    # The ledger column names the chain.
    assert county.projects["plant"].industry_chain == "食品加工产业链"


def test_dc5_the_chief_sees_the_whole_chain_a_unit_only_its_projects(county, food, profile):
    chief = chain_page(county.session, profile, county.people["chief"], food.id, TODAY)
    assert len(chief.projects) == 3
    town = chain_page(county.session, profile, county.people["other"], food.id, TODAY)
    assert [r.evaluation.name for r in town.projects] == ["石桥镇跨河大桥工程"]
    listed = chains_for(county.session, county.people["town"])
    assert [(c.name, c.chief, c.projects) for c in listed] == [("食品加工产业链", "赵链长", 2)]
    county.with_people("dept")
    assert chains_for(county.session, county.people["dept"]) == []
    with pytest.raises(NotFound):
        chain_page(county.session, profile, county.people["dept"], food.id, TODAY)


def test_dc5_a_project_belongs_to_one_chain_and_rows_are_refused_by_cell(county, food):
    office = county.people["zdb"]
    data = ChainData(
        "新材料产业链",
        "赵链长",
        matters=[{"text": "", "owner_unit_code": "X99", "due_on": "2026-13-01"}],
        parks=[" "],
        projects=[county.projects["plant"].code],
    )
    with pytest.raises(ValidationError) as refused:
        save_chain(county.session, office, None, data, NOW)
    errors = {e.field: (e.label, e.reason) for e in refused.value.errors}
    assert set(errors) == {
        "matters[0].text",
        "matters[0].owner_unit_code",
        "matters[0].due_on",
        "parks[0].text",
        "projects[0].code",
    }
    assert errors["matters[0].owner_unit_code"][0] == "重点事项第1项·责任单位"
    assert "已属于产业链“食品加工产业链”" in errors["projects[0].code"][1]
    assert (
        county.session.scalar(select(IndustryChain.id).where(IndustryChain.name == "新材料产业链"))
        is None
    )
    with pytest.raises(PermissionDenied):
        save_chain(county.session, county.people["town"], None, ChainData("x", "赵链长"), NOW)


def test_dc5_taking_a_project_out_clears_its_ledger_column(county, food, profile):
    office = county.people["zdb"]
    data = ChainData("食品加工产业链", "赵链长", projects=[county.projects["plant"].code])
    save_chain(county.session, office, food.id, data, NOW)
    road = county.projects["road"]
    county.session.refresh(road)
    assert (road.chain_id, road.industry_chain) == (None, None)
    page = chain_page(county.session, profile, office, food.id, TODAY)
    assert [r.evaluation.name for r in page.projects] == ["城关镇污水处理厂提标改造工程"]
    assert page.matters == []  # the lists are replaced as entered


def test_dc5_the_ledger_column_names_the_chain_and_a_new_name_makes_a_chain(county, food):
    school = county.projects["school"]
    data = project_data(school)
    data.industry_chain = "食品加工产业链"
    update_project(county.session, school, data)
    assert school.chain_id == food.id
    data.industry_chain = "文旅康养产业链"
    update_project(county.session, school, data)
    made = county.session.get_one(IndustryChain, school.chain_id)
    assert (made.name, made.chief_id) == ("文旅康养产业链", None)
    data.industry_chain = None
    update_project(county.session, school, data)
    assert school.chain_id is None
    link_by_name(county.session)  # the whole county again: nothing changes
    assert county.session.get_one(IndustryChain, food.id).name == "食品加工产业链"
    assert county.projects["plant"].chain_id == food.id


def test_dc5_the_ledger_import_puts_each_project_in_the_chain_its_column_names(session):
    ledger_units(session)
    rows = [
        row(CODE_A, 产业链="食品加工产业链"),
        row(CODE_B, 产业链="食品加工产业链"),
        row(CODE_C),
    ]
    import_projects(session, workbook(rows), YEAR, "monthly")
    chain = session.scalar(select(IndustryChain).where(IndustryChain.name == "食品加工产业链"))
    assert chain is not None
    assert chain.chief_id is None  # to be named by the key office
    members = [stored(session, c).chain_id for c in (CODE_A, CODE_B, CODE_C)]
    assert members == [chain.id, chain.id, None]
