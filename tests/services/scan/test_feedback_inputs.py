"""LP12 feedback import against hostile values: periods and dates in ASCII digits, sensible years, NUL."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from keyproj.db.models import EarlyWarning
from keyproj.errors import ImportRowError
from keyproj.policy import load_profile
from keyproj.services.scan.run import import_feedback
from tests.builders.clock import beijing
from tests.builders.import_files import feedback_csv

NOW = beijing(date(2026, 3, 20), 10)


@pytest.fixture
def road(county):  # type: ignore[no-untyped-def]
    return county.project("国道G236线改线工程")


def refusal(session, path) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportRowError) as info:
        import_feedback(session, load_profile("lianping"), path, NOW)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(EarlyWarning)) == 0
    return info.value.lines()


def test_LP12_full_width_digits_in_period_and_date_are_refused(session, tmp_path, road):
    path = feedback_csv(
        tmp_path,
        f"SX-1,省,{road.code},２０２６-02,进度预警,红,投资完成率偏低,２０２６-03-01",
        f"SX-2,省,{road.code},2026-W１2,进度预警,红,进度滞后,2026-03-01",
    )
    lines = refusal(session, path)
    assert lines[0].startswith("第2行「期次」：“２０２６-02”不是期次")
    assert lines[1].startswith("第2行「预警日期」：“２０２６-03-01”不是日期")
    assert "半角数字" in lines[1]
    assert lines[2].startswith("第3行「期次」：“2026-W１2”不是期次")
    assert len(lines) == 3


def test_LP12_year_zero_periods_and_dates_are_refused(session, tmp_path, road):
    path = feedback_csv(
        tmp_path,
        f"SX-1,省,{road.code},0000-01,进度预警,红,投资完成率偏低,0001-01-01",
    )
    assert refusal(session, path) == [
        "第2行「期次」：“0000-01”：年份应在2000年至2100年之间",
        "第2行「预警日期」：年份应在2000年至2100年之间",
    ]


def test_LP12_a_nul_in_a_project_code_is_a_row_error_not_a_database_error(session, tmp_path, road):
    path = feedback_csv(tmp_path, f"SX-1,省,{road.code}\x00,2026-02,进度预警,红,投资完成率偏低,")
    assert refusal(session, path) == ["第2行「项目代码」：含有不允许的控制字符 U+0000"]


def test_LP12_lone_surrogates_and_nul_in_texts_are_refused_naming_the_column(
    session, tmp_path, road
):
    item = {
        "编号": "SX\ud800",
        "来源": "省",
        "项目代码": road.code,
        "期次": "2026-02",
        "预警等级": "进度预警",
        "预警颜色": "红",
        "预警内容": "投资\x00偏低",
    }
    path = tmp_path / "feedback.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    assert refusal(session, path) == [
        "第1行「编号」：含有无效字符（不成对的 UTF-16 代理码位）",
        "第1行「预警内容」：含有不允许的控制字符 U+0000",
    ]
