"""Importing the project ledger workbook: all rows or none, each problem named by row and column."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest

from keyproj.db.models import Leader, PlanVersion, Project
from keyproj.errors import ImportRowError, ValidationError
from keyproj.services.org.directory import save_leader
from keyproj.services.projects import plans
from keyproj.services.projects.ledger import importing
from keyproj.services.projects.ledger.importing import import_projects
from tests.builders import factories
from tests.builders.ledger import (
    CODE_A,
    CODE_B,
    CODE_C,
    HEADERS,
    YEAR,
    count,
    row,
    stored,
    workbook,
)


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


class Recorder:
    """The progress an import reports: each stage with its expected rows and the rows done."""

    def __init__(self) -> None:
        self.stages: list[list[object]] = []

    def stage(self, name: str, total: int | None) -> None:
        self.stages.append([name, total, 0])

    def advance(self, rows: int) -> None:
        self.stages[-1][2] += rows  # type: ignore[operator]


def test_progress_counts_the_rows_checked_then_written(session, units, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK", 2)
    rows = [row(f"2026-441623-48-01-3000{n:02d}") for n in range(5)]
    progress = Recorder()

    import_projects(session, workbook(rows), YEAR, "monthly", progress)

    assert progress.stages == [["检查", 5, 5], ["写入", 5, 5]]


def test_rows_are_checked_against_earlier_chunks_and_a_late_bad_row_refuses_all(
    session, units, monkeypatch
):
    monkeypatch.setattr(importing, "CHUNK", 2)
    rows = [row(f"2026-441623-48-01-3000{n:02d}") for n in range(5)]
    rows.append(row("2026-441623-48-01-300001"))  # row 7 repeats row 3, three chunks later
    rows.append(row(CODE_A, 牵头责任单位="无此单位"))

    with pytest.raises(ImportRowError) as info:
        import_projects(session, workbook(rows), YEAR, "monthly")

    assert info.value.lines() == [
        "第7行「项目代码」：项目代码 2026-441623-48-01-300001 与第3行重复",
        "第8行「牵头责任单位」：未知单位“无此单位”",
    ]
    assert count(session, Project) == 0


def test_a_file_wrong_throughout_is_reported_by_its_first_problems(session, units, monkeypatch):
    monkeypatch.setattr(importing, "MAX_PROBLEMS", 3)
    rows = [row(f"2026-441623-48-01-3000{n:02d}", 项目级别="国家级") for n in range(10)]

    with pytest.raises(ImportRowError) as info:
        import_projects(session, workbook(rows), YEAR, "monthly")

    lines = info.value.lines()
    assert [line[:3] for line in lines[:3]] == ["第2行", "第3行", "第4行"]
    assert lines[3].endswith("错误超过3处，以下各行未再检查")
    assert len(lines) == 4


def test_a_workbook_damaged_inside_is_refused_with_a_message(session, units):
    good = workbook([row(f"2026-441623-48-01-3000{n:02d}") for n in range(30)])
    damaged = BytesIO()
    with zipfile.ZipFile(BytesIO(good)) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]  # cut off in the middle of the rows
            target.writestr(item, content)

    with pytest.raises(ImportRowError, match="文件已损坏"):
        import_projects(session, damaged.getvalue(), YEAR, "monthly")
    assert count(session, Project) == 0


def test_a_plan_whose_versions_were_all_rejected_gets_the_imported_one_next(session, units):
    project = factories.project(session, code=CODE_A)
    draft = plans.draft_version(
        session, None, project, YEAR, plans.PlanData(Decimal("100")), "monthly"
    )
    plans.submit_version(session, None, draft)
    plans.reject_version(session, None, draft, "金额有误")
    session.commit()

    result = import_projects(
        session, workbook([row(CODE_A, **{"年度计划投资（万元）": 120})]), YEAR, "monthly"
    )

    assert result.plans_filed == 1
    current = plans.current_version(session, project.id, YEAR)
    assert current is not None
    assert (current.number, current.annual_investment) == (2, Decimal("120"))
