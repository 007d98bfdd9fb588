"""The project ledger workbook: export, import, all-or-nothing refusal naming row and column."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyproj.db.models import Leader, PlanVersion, Project
from keyproj.errors import ImportRowError, ValidationError
from keyproj.services.access import Viewer, viewer_for
from keyproj.services.org.directory import save_leader
from keyproj.services.projects import plans
from keyproj.services.projects.ledger.export import export_projects
from keyproj.services.projects.ledger.importing import import_projects
from keyproj.services.projects.project import project_by_code
from tests.builders import factories

HEADERS = [
    "序号",
    "项目名称",
    "项目代码",
    "项目级别",
    "建设性质",
    "项目阶段",
    "总投资（万元）",
    "是否使用中央资金",
    "是否政府投资",
    "年度计划投资（万元）",
    "牵头责任单位",
    "建设单位",
    "联系领导",
    "建设地点",
    "产业链",
    "批准（计划下达）日期",
    "计划开工日期",
    "计划竣工日期",
]
COUNTY = Viewer(user_id=0, unit_id=0, roles=frozenset({"admin"}))
YEAR = 2026
CODE_A = "2026-441623-48-01-100001"
CODE_B = "2026-441623-48-01-100002"
CODE_C = "2026-441623-48-01-100003"


def workbook(rows: Sequence[dict[str, Any] | None], headers: list[str] = HEADERS) -> bytes:
    """A workbook with a header row, then one row per dict (None is a blank row)."""
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([(row or {}).get(h) for h in headers])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def row(code: str, **cells: Any) -> dict[str, Any]:
    """A valid ledger row for 城关镇; ``cells`` override by header."""
    values: dict[str, Any] = {
        "项目名称": f"项目{code[-3:]}",
        "项目代码": code,
        "项目级别": "县重点",
        "建设性质": "新开工",
        "总投资（万元）": 12000,
        "牵头责任单位": "城关镇",
    }
    values.update(cells)
    return values


@pytest.fixture
def units(session):
    factories.unit(session, "T01", "城关镇")
    factories.unit(session, "T02", "县水利局", kind="county_department")
    session.commit()


def stored(session: Session, code: str) -> Project:
    """The project stored under ``code``, which must exist."""
    project = project_by_code(session, code)
    assert project is not None, f"no project {code}"
    return project


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_good_file_creates_projects_plans_and_registers_leaders(session, units):
    save_leader(session, "李四")
    rows = [
        row(
            CODE_A,
            **{
                "项目级别": "省重点",
                "项目阶段": "under_construction",
                "是否使用中央资金": "是",
                "是否政府投资": "FALSE",
                "总投资（万元）": "8800.5",
                "年度计划投资（万元）": 3000,
                "联系领导": "张三",
                "批准（计划下达）日期": datetime(2025, 12, 1),
                "计划开工日期": "2026-03-01",
                "计划竣工日期": date(2027, 6, 30),
            },
        ),
        None,
        row(CODE_B, 牵头责任单位="县水利局", 联系领导="张三", 是否使用中央资金=1),
        row(CODE_C, 联系领导="李四", 建设性质="continued"),
    ]

    result = import_projects(session, workbook(rows), YEAR, "monthly")

    assert (result.created, result.updated, result.leaders_added, result.plans_filed) == (
        3,
        0,
        1,
        1,
    )
    a = stored(session, CODE_A)
    assert (a.level, a.stage, a.nature) == ("provincial", "under_construction", "new")
    assert (a.central_funds, a.government_invested) == (True, False)
    assert a.total_investment == Decimal("8800.5")
    assert (a.approved_on, a.planned_start, a.planned_completion) == (
        date(2025, 12, 1),
        date(2026, 3, 1),
        date(2027, 6, 30),
    )
    assert a.leader is not None
    assert a.leader.name == "张三"
    plan = plans.current_version(session, a.id, YEAR)
    assert plan is not None
    assert plan.annual_investment == Decimal("3000")
    b = stored(session, CODE_B)
    assert b.leader is not None
    assert (b.lead_unit.name, b.leader.name, b.central_funds) == ("县水利局", "张三", True)
    assert stored(session, CODE_C).nature == "continued"
    assert count(session, Leader) == 2


def test_columns_may_come_in_any_order_and_unknown_ones_are_ignored(session, units):
    headers = [
        "备注",
        "牵头责任单位",
        "总投资（万元）",
        "项目代码",
        "建设性质",
        "项目级别",
        "项目名称",
    ]
    data = workbook([row(CODE_A, 备注="随便写")], headers)
    result = import_projects(session, data, YEAR, "monthly")
    assert result.created == 1
    assert stored(session, CODE_A).lead_unit.name == "城关镇"


def test_export_then_import_updates_instead_of_duplicating(session, units):
    leader = save_leader(session, "王五")
    first = factories.project(session, name="城关大道改造", leader_name=leader.name)
    factories.project(session, "T02", level="provincial", central_funds=True)
    plans.file_approved(session, first, YEAR, plans.PlanData(Decimal("2500.25")), "monthly")
    session.commit()

    exported = export_projects(session, COUNTY, YEAR)

    sheet = load_workbook(BytesIO(exported)).active
    assert sheet.title == "重点项目台账"
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == HEADERS
    by_name = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_name["城关大道改造"][3] == "县重点"
    assert by_name["城关大道改造"][9] == 2500.25
    assert by_name["城关大道改造"][12] == "王五"
    other = next(r for name, r in by_name.items() if name != "城关大道改造")
    assert (other[3], other[7], other[9], other[10]) == ("省重点", "是", None, "县水利局")

    sheet.cell(2, 2).value = "改过的名称"
    edited = BytesIO()
    sheet.parent.save(edited)
    result = import_projects(session, edited.getvalue(), YEAR, "monthly")

    assert (result.created, result.updated, result.leaders_added, result.plans_filed) == (
        0,
        2,
        0,
        0,
    )
    assert count(session, Project) == 2
    assert count(session, PlanVersion) == 1
    assert stored(session, str(sheet.cell(2, 3).value)).name == "改过的名称"


def test_export_shows_only_the_viewers_projects(session, units):
    mine = factories.project(session, "T01")
    factories.project(session, "T02")
    liaison = factories.user(session, "liaison1", "T01", "unit_liaison")
    sheet = load_workbook(BytesIO(export_projects(session, viewer_for(session, liaison), YEAR)))
    codes = [r[2] for r in sheet.active.iter_rows(min_row=2, values_only=True)]
    assert codes == [mine.code]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"总投资（万元）": -5}, "第4行「总投资（万元）」：金额不能为负数"),
        ({"总投资（万元）": "一万"}, "第4行「总投资（万元）」：“一万”不是数字"),
        ({"牵头责任单位": "不存在的镇"}, "第4行「牵头责任单位」：未知单位“不存在的镇”"),
        ({"项目代码": "2026-44-1"}, "第4行「项目代码」：格式不正确"),
        ({"项目代码": CODE_A}, f"第4行「项目代码」：项目代码 {CODE_A} 与第2行重复"),
        ({"项目级别": "国家级"}, "第4行「项目级别」：取值“国家级”无效，可选：省重点"),
        ({"是否政府投资": "也许"}, "第4行「是否政府投资」：取值“也许”无效，应填“是”或“否”"),
        ({"计划开工日期": "2026/13/45"}, "第4行「计划开工日期」：“2026/13/45”不是有效日期"),
        ({"项目名称": "  "}, "第4行「项目名称」：不能为空"),
        (
            {"计划开工日期": "2026-05-01", "计划竣工日期": "2026-04-01"},
            "第4行「计划竣工日期」：计划竣工日期不能早于计划开工日期",
        ),
    ],
)
def test_one_bad_row_refuses_the_whole_file(session, units, bad, message):
    before = (count(session, Project), count(session, Leader), count(session, PlanVersion))
    rows = [
        row(CODE_A, 联系领导="新领导", **{"年度计划投资（万元）": 100}),
        None,
        row(CODE_B, **bad),
        row(CODE_C),
    ]

    with pytest.raises(ImportRowError) as info:
        import_projects(session, workbook(rows), YEAR, "monthly")

    assert str(info.value).startswith(message)
    assert [r[0] for r in info.value.rows] == [4]
    after = (count(session, Project), count(session, Leader), count(session, PlanVersion))
    assert after == before


def test_every_bad_row_is_reported_at_once(session, units):
    rows = [row(CODE_A, **{"总投资（万元）": -1}), row(CODE_B, 牵头责任单位="无此单位")]
    with pytest.raises(ImportRowError) as info:
        import_projects(session, workbook(rows), YEAR, "monthly")
    assert info.value.lines() == [
        "第2行「总投资（万元）」：金额不能为负数",
        "第3行「牵头责任单位」：未知单位“无此单位”",
    ]
    assert isinstance(info.value, ValidationError)
    assert count(session, Project) == 0


def test_missing_required_column_is_named(session, units):
    headers = [h for h in HEADERS if h != "总投资（万元）"]
    with pytest.raises(ImportRowError) as info:
        import_projects(session, workbook([row(CODE_A)], headers), YEAR, "monthly")
    assert str(info.value) == "第1行「总投资（万元）」：缺少此列（必需列）"
    assert count(session, Project) == 0


def test_a_file_that_is_not_a_workbook_is_refused(session, units):
    with pytest.raises(ValidationError, match=r"\.xlsx"):
        import_projects(session, b"not a workbook", YEAR, "monthly")


def test_plan_amount_must_match_the_approved_plan(session, units):
    project = factories.project(session, code=CODE_A)
    plans.file_approved(session, project, YEAR, plans.PlanData(Decimal("3000")), "monthly")
    session.commit()

    differing = workbook([row(CODE_A, **{"年度计划投资（万元）": 3500})])
    with pytest.raises(ImportRowError) as info:
        import_projects(session, differing, YEAR, "monthly")
    assert str(info.value) == (
        "第2行「年度计划投资（万元）」：与已批准的年度计划（3000万元）不一致，请通过计划调整修改（AL5）"
    )

    same = workbook([row(CODE_A, **{"年度计划投资（万元）": "3000.00"})])
    result = import_projects(session, same, YEAR, "monthly")
    assert (result.updated, result.plans_filed) == (1, 0)
    assert count(session, PlanVersion) == 1


def test_cli_import_refuses_a_bad_file_then_accepts_a_good_one(run, tmp_path):
    office = "县重点项目建设办公室"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        workbook([row(CODE_A, 牵头责任单位=office), row(CODE_B, 牵头责任单位="不存在的镇")])
    )
    good = tmp_path / "good.xlsx"
    good.write_bytes(
        workbook(
            [row(CODE_A, 牵头责任单位=office, 联系领导="张三", **{"年度计划投资（万元）": 80})]
        )
    )

    refused = run("import", "projects", str(bad), "--year", "2026")
    assert refused.exit_code != 0
    assert "第3行「牵头责任单位」：未知单位“不存在的镇”" in refused.output
    assert "未导入任何数据" in refused.output

    accepted = run("import", "projects", str(good), "--year", "2026")
    assert accepted.exit_code == 0, accepted.output
    assert "新增1个，更新0个，新登记领导1名，导入年度计划1个" in accepted.output

    out = tmp_path / "out.xlsx"
    exported = run("export", "projects", str(out), "--year", "2026")
    assert exported.exit_code == 0, exported.output
    rows = list(load_workbook(out).active.iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[9], r[12]) for r in rows] == [(CODE_A, 80, "张三")]
