"""Warnings fed back by the provincial or city system (LP12): CSV or JSON, all rows or none."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from keyproj.db.models import Case, EarlyWarning, Project
from keyproj.db.session import make_engine
from keyproj.errors import ImportRowError
from keyproj.policy import load_profile
from keyproj.services.scan.run import import_feedback
from tests.builders.cli import Run
from tests.builders.clock import FrozenClock, beijing

NOW = beijing(date(2026, 3, 20), 10)
HEADER = "编号,来源,项目代码,期次,预警等级,预警颜色,预警内容,预警日期"


def csv_file(tmp_path, *lines: str, encoding: str = "utf-8-sig"):  # type: ignore[no-untyped-def]
    path = tmp_path / "feedback.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding=encoding)
    return path


def warnings_in(session) -> int:  # type: ignore[no-untyped-def]
    return int(session.scalar(select(func.count()).select_from(EarlyWarning)) or 0)


@pytest.fixture
def two(county):  # type: ignore[no-untyped-def]
    return county.project("国道G236线改线工程"), county.project("青石水库除险加固工程")


def test_LP12_csv_feedback_becomes_warnings_once_and_waits_in_triage(session, tmp_path, two):
    road, dam = two
    path = csv_file(
        tmp_path,
        f"SX-2026-0031,省,{road.code},2026-02,进度预警,红色,2月投资完成率低于序时进度60%,2026-03-18",
        f"SJ-2026-0107,市,{dam.code},2026-02,问题预警,黄,征地问题超过1个月未解决,",
    )

    result = import_feedback(session, load_profile("lianping"), path, NOW)

    assert (result.rows, result.created, result.existing, result.cases_started) == (2, 2, 0, 0)
    rows = session.scalars(select(EarlyWarning).order_by(EarlyWarning.id)).all()
    assert [(w.rule_id, w.project_id, w.period, w.level, w.colour, w.source) for w in rows] == [
        ("feedback_province_progress", road.id, "2026-02", "progress", "red", "feedback"),
        ("feedback_city_issue", dam.id, "2026-02", "issue", "yellow", "feedback"),
    ]
    assert rows[0].evidence["summary"] == "2月投资完成率低于序时进度60%"
    assert rows[0].evidence["reference"] == "SX-2026-0031"
    assert rows[0].evidence["origin"] == "省"
    assert rows[0].evidence["raised_on"] == "2026-03-18"
    assert session.scalar(select(func.count()).select_from(Case)) == 0  # LP13: in triage

    again = import_feedback(session, load_profile("lianping"), path, NOW)
    assert (again.created, again.existing, again.cases_started) == (0, 2, 0)


def test_LP12_json_feedback_with_english_keys(session, tmp_path, two):
    road, _ = two
    path = tmp_path / "feedback.json"
    item = {
        "reference": "SX-1",
        "origin": "province",
        "project_code": road.code,
        "period": "2026-W09",
        "level": "urging",
        "colour": "red",
        "message": "急需协调事项超过3个工作日未解决",
    }
    path.write_text(json.dumps({"warnings": [item]}, ensure_ascii=False), encoding="utf-8")

    result = import_feedback(session, load_profile("guangshan"), path, NOW)

    assert result.created == 1
    warning = session.scalars(select(EarlyWarning)).one()
    assert (warning.rule_id, warning.period) == ("feedback_province_urging", "2026-W09")


def test_LP12_bad_rows_name_row_column_and_reason_and_import_nothing(session, tmp_path, two):
    road, _ = two
    path = csv_file(
        tmp_path,
        f"SX-1,省,{road.code},2026-02,进度预警,红,投资完成率偏低,",
        "SX-2,省,2099-000000-00-00-000000,2026-02,进度预警,红,项目不存在,",
        f"SX-3,县,{road.code},2026-13,紧急,紫,,2026-02-30",
        f"SX-4,省,{road.code},2026-02,进度预警,黄,与第2行重复,",
    )

    with pytest.raises(ImportRowError) as info:
        import_feedback(session, load_profile("lianping"), path, NOW)

    assert info.value.lines() == [
        "第3行「项目代码」：系统中没有项目代码为“2099-000000-00-00-000000”的项目",
        "第4行「预警内容」：必填",
        "第4行「来源」：“县”应为 省 或 市（province / city）",
        "第4行「期次」：“2026-13”不是期次，应如 2026-03、2026-03-1、2026-W12、2026-Q1",
        "第4行「预警等级」：“紧急”应为 进度预警、问题预警、重点事项催办",
        "第4行「预警颜色」：“紫”应为 绿色、蓝色、黄色、红色",
        "第4行「预警日期」：日期“2026-02-30”不存在",
        "第5行「期次」：与第2行是同一项目、来源、等级和期次的预警",
    ]
    assert warnings_in(session) == 0


def test_LP12_unknown_or_missing_columns_are_named_in_the_header(session, tmp_path):
    path = tmp_path / "feedback.csv"
    path.write_text("编号,项目代码,备注\nSX-1,x,y\n", encoding="utf-8")

    with pytest.raises(ImportRowError) as info:
        import_feedback(session, load_profile("lianping"), path, NOW)

    (line,) = info.value.lines()
    assert line.startswith("第1行「表头」：未知的列：备注；缺少必填列：来源、期次")


def test_LP12_csv_saved_by_chinese_excel_is_read(session, tmp_path, two):
    road, _ = two
    path = csv_file(
        tmp_path, f"SX-1,省,{road.code},2026-02,进度预警,红,投资完成率偏低,", encoding="gb18030"
    )

    assert import_feedback(session, load_profile("lianping"), path, NOW).created == 1


@pytest.mark.slow  # loads the demo county
def test_LP12_cli_import_of_the_demo_county(run: Run, clock: FrozenClock, tmp_path: Path) -> None:
    clock.at(datetime(2026, 11, 23, 2, tzinfo=UTC))
    assert run("demo", "--date", "2026-11-23").exit_code == 0
    code = demo_project_code(tmp_path)
    good = csv_file(tmp_path, f"SX-9,市,{code},2026-10,进度预警,黄,10月形象进度滞后,")
    first = run("import", "warnings", str(good))
    second = run("import", "warnings", str(good))
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nSX-1,省,{code},2026-10,进度预警,橙,颜色不对,\n", encoding="utf-8")
    refused = run("import", "warnings", str(bad))

    assert first.exit_code == 0, first.output
    assert "新增 1 条" in first.output
    assert "进入待研判清单" in first.output
    assert "新增 0 条（此前已导入 1 条）" in second.output
    assert refused.exit_code == 1
    assert "第2行「预警颜色」：“橙”应为 绿色、蓝色、黄色、红色" in refused.output
    assert "未导入任何预警" in refused.output


def demo_project_code(tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The code of the demo's first project, read from the database the ``run`` fixture made."""
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    try:
        with engine.connect() as conn:
            return str(conn.scalar(select(Project.code).order_by(Project.id).limit(1)))
    finally:
        engine.dispose()
