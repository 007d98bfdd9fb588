"""Task forms with rows (LP16: an on-site meeting's follow-up items): posted rows read back in
order, blank rows dropped, each cell's error shown beside it, unit choices offered."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from web.task_forms import needs_units, read_post, widgets

UNITS = [("T01", "城关镇"), ("T02", "石桥镇")]


def posted(**cells: str) -> MultiDict[str, str]:
    return MultiDict({"coordination": "现场协调", "decision": "onsite_meeting", **cells})


def test_lp16_rows_are_read_in_order_and_blank_rows_dropped() -> None:
    data = read_post(
        "county_gov_handle",
        posted(
            **{
                "follow_ups-0-unit_code": "T02",
                "follow_ups-0-matter": "完成临时用地协调",
                "follow_ups-0-due_date": "2026-12-20",
                "follow_ups-2-unit_code": "T01",
                "follow_ups-2-matter": "完成征地",
                "follow_ups-2-due_date": "",
            }
        ),
    )
    assert data["follow_ups"] == [
        {"unit_code": "T02", "matter": "完成临时用地协调", "due_date": "2026-12-20"},
        {"unit_code": "T01", "matter": "完成征地", "due_date": ""},
    ]


def test_lp16_a_cell_error_is_shown_beside_its_cell_with_blank_rows_to_add() -> None:
    typed = {"follow_ups": [{"unit_code": "X99", "matter": "完成征地", "due_date": "2026-12-20"}]}
    errors = {"follow_ups[0].unit_code": "未知单位“X99”"}
    [rows] = [
        w for w in widgets("county_gov_handle", typed, errors, UNITS) if w.name == "follow_ups"
    ]
    assert rows.widget == "rows"
    assert rows.columns == ["责任单位", "落实事项", "落实期限"]
    assert len(rows.rows) == 3  # the typed row, then two blank ones
    unit, matter, due = rows.rows[0]
    assert (unit.widget, unit.value, unit.error) == ("unit", "X99", "未知单位“X99”")
    assert (matter.value, matter.error, due.widget) == ("完成征地", None, "date")
    assert rows.choices == UNITS
    assert needs_units("county_gov_handle")
    assert not needs_units("follow_up_item")
