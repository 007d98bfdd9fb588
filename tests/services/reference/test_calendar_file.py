"""Calendar files (X5): whole years replaced only from a whole schedule, the file's own line
numbers, encodings detected or refused, and nothing changed by a refused file."""

from __future__ import annotations

from datetime import date

import pytest

from keyproj.errors import ValidationError
from keyproj.services.reference import calendar as calendar_service
from keyproj.services.reference import calendar_file
from tests.builders.clock import bj
from tests.builders.database import CALENDAR_2027

HEADER = "日期,类型,名称"


def year_as_csv(session, year: int) -> str:  # type: ignore[no-untyped-def]
    """The stored schedule of ``year`` written as an import file."""
    lines = [HEADER]
    for d in calendar_service.year_days(session, year):
        lines.append(f"{d.day},{d.kind},{d.name or ''}")
    return "\n".join(lines) + "\n"


def stored(session, year: int) -> list[tuple[date, str]]:  # type: ignore[no-untyped-def]
    return [(d.day, d.kind) for d in calendar_service.year_days(session, year)]


def test_x5_imported_year_makes_its_deadlines_work(session):
    years = calendar_file.import_file(session, CALENDAR_2027.read_bytes())
    session.commit()
    assert years == [2027]
    cal = calendar_service.load_calendar(session)
    # Dec 28 2026 (Mon) + 5: 29, 30, 31 Dec, then Jan 1–3 holidays, Mon 4 Jan, Tue 5 Jan.
    assert cal.deadline(bj(2026, 12, 28, 9), 5) == bj(2027, 1, 5, 23, 59, 59)
    assert cal.is_working_day(date(2027, 2, 14))
    assert not cal.is_working_day(date(2027, 2, 8))


def test_x5_a_one_row_file_does_not_wipe_a_loaded_year(session):
    before = stored(session, 2026)
    assert len(before) == 39

    with pytest.raises(ValidationError) as info:
        calendar_file.import_file(session, f"{HEADER}\n2026-10-09,放假,国庆节\n")

    message = str(info.value)
    assert "2026年：文件中只有放假1天，少于该年法定节假日13天" in message
    assert "删除已有的39天" in message
    assert "--replace" in message
    assert stored(session, 2026) == before


def test_x5_the_preview_counts_what_a_replacement_adds_removes_and_changes(session):
    text = year_as_csv(session, 2026)
    text = text.replace("2026-10-07,holiday", "2026-10-07,workday")  # changed
    text = text.replace("2026-01-01,holiday,元旦\n", "")  # removed
    text += "2026-03-10,放假,临时放假\n"  # added

    plan = calendar_file.preview(session, text)

    (year,) = plan.years
    assert (year.year, year.loaded, year.covers) == (2026, True, True)
    assert (year.count("added"), year.count("removed"), year.count("changed")) == (1, 1, 1)
    assert [(c.day, c.before, c.after) for c in year.changes] == [
        (date(2026, 1, 1), "holiday", None),
        (date(2026, 3, 10), None, "holiday"),
        (date(2026, 10, 7), "holiday", "workday"),
    ]
    assert len(stored(session, 2026)) == 39  # a preview writes nothing


def test_x5_a_whole_schedule_replaces_the_year(session):
    text = year_as_csv(session, 2026) + "2026-03-10,放假,临时放假\n"
    assert calendar_file.import_file(session, text) == [2026]
    assert not calendar_service.load_calendar(session).is_working_day(date(2026, 3, 10))
    assert len(stored(session, 2026)) == 40


def test_x5_replace_takes_a_partial_file_as_the_whole_year(session):
    calendar_file.import_file(session, f"{HEADER}\n2026-10-09,放假,国庆节\n", replace=True)
    assert stored(session, 2026) == [(date(2026, 10, 9), "holiday")]


def test_x5_a_partial_file_for_a_new_year_is_refused_too(session):
    with pytest.raises(ValidationError, match="2028年：文件中只有放假2天"):
        calendar_file.import_file(session, f"{HEADER}\n2028-01-01,放假,元旦\n2028-01-02,休,\n")
    assert 2028 not in calendar_service.load_calendar(session).years


def test_x5_line_numbers_are_the_files_own(session):
    text = (
        "# 2027年部分节假日安排\n"
        "\n"
        f"{HEADER}\n"
        "# 元旦\n"
        "2027-01-01,放假,元旦\n"
        "\n"
        "2027-13-01,放假,坏日期\n"
        "2027-02-14,加班,错类型\n"
        "2027-01-01,放假,又一次\n"
    )
    with pytest.raises(ValidationError) as info:
        calendar_file.import_file(session, text)
    reasons = [e.reason for e in info.value.errors]
    assert reasons == [
        "第7行：“2027-13-01”不是 YYYY-MM-DD 日期",
        "第8行：“加班”应为 放假/holiday 或 调休上班/workday",
        "第9行：2027-01-01 与第5行重复",
    ]
    assert 2027 not in calendar_service.load_calendar(session).years


def test_x5_the_header_is_named_at_its_line(session):
    with pytest.raises(ValidationError, match="第3行应为表头"):
        calendar_file.import_file(session, "# 说明\n\n2027-01-01,放假,元旦\n")


def test_x5_days_outside_the_calendar_years_are_refused(session):
    with pytest.raises(ValidationError, match="第2行：0001-01-01 不在2000至2100年之间"):
        calendar_file.import_file(session, f"{HEADER}\n0001-01-01,放假,元旦\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_x5_utf8_with_or_without_bom_and_chinese_windows_encodings_are_read(session, encoding):
    data = CALENDAR_2027.read_text(encoding="utf-8").encode(encoding)
    assert calendar_file.import_file(session, data) == [2027]
    names = {d.name for d in calendar_service.year_days(session, 2027)}
    assert names == {"元旦", "春节", "国庆节"}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "不是文本文件"),
        ("日期,类型,名称\n".encode("utf-16"), "UTF-16"),
        (b"\xe6\x97\xa5\xff\xff\xff", "文件编码无法识别"),
    ],
)
def test_x5_binary_and_unknown_encodings_get_a_message_and_change_nothing(session, data, reason):
    before = stored(session, 2026)
    with pytest.raises(ValidationError, match=reason):
        calendar_file.import_file(session, data)
    assert stored(session, 2026) == before


def test_x5_a_name_longer_than_the_column_is_refused_at_its_line(session):
    with pytest.raises(ValidationError, match="第2行：名称不能超过50个字符"):
        calendar_file.import_file(session, f"{HEADER}\n2027-01-01,放假,{'节' * 51}\n")


def test_x5_a_correction_with_a_name_longer_than_the_column_is_refused(session):
    with pytest.raises(ValidationError, match="不能超过50个字符"):
        calendar_service.set_day(session, date(2026, 3, 10), "holiday", "节" * 51)
    assert calendar_service.load_calendar(session).is_working_day(date(2026, 3, 10))


def test_x5_a_control_character_in_a_name_is_refused_at_its_line(session):
    data = f"{HEADER}\n2027-01-01,放假,元\x00旦\n".encode()
    with pytest.raises(ValidationError, match="第2行：含有不允许的控制字符 U\\+0000"):
        calendar_file.import_file(session, data)
    assert 2027 not in calendar_service.load_calendar(session).years
