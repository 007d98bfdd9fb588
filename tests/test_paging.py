"""Paging: page and per_page read one way (bounded, ASCII digits, never ignored), a page counted in SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from keyproj.db.models import Project
from keyproj.paging import MAX_PAGE, MAX_PER_PAGE, Page, PagingError, fetch_page, read_paging
from keyproj.paging import Paging as P
from tests.builders import factories


def refusal(args: dict[str, str], strict: bool = True) -> dict[str, str]:
    with pytest.raises(PagingError) as refused:
        read_paging(args, 50, strict)
    return refused.value.by_field()


def test_absent_parameters_give_the_first_page_of_the_default_size():
    assert read_paging({}, 50) == P(1, 50)
    assert read_paging({}, 20, strict=True) == P(1, 20)


def test_the_bounds_are_accepted():
    args = {"page": str(MAX_PAGE), "per_page": str(MAX_PER_PAGE)}
    assert read_paging(args, 50, strict=True) == P(MAX_PAGE, MAX_PER_PAGE)
    assert read_paging({"page": "1", "per_page": "1"}, 50) == P(1, 1)


OUT_OF_RANGE = f"应在1至{MAX_PAGE}之间"
NO_NUMBER = "不是整数，应为半角数字"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("0", OUT_OF_RANGE),
        (str(MAX_PAGE + 1), OUT_OF_RANGE),
        ("9" * 40, OUT_OF_RANGE),
        ("-1", NO_NUMBER),
        ("+1", NO_NUMBER),
        ("1.0", NO_NUMBER),
        ("1e3", NO_NUMBER),
        ("abc", NO_NUMBER),
        (" 1", NO_NUMBER),
        ("２", NO_NUMBER),
        ("١", NO_NUMBER),
    ],
)
def test_a_bad_page_is_refused_with_its_name_and_the_reason(value, reason):
    reasons = refusal({"page": value})
    assert set(reasons) == {"page"}
    assert reason in reasons["page"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [("0", "应在1至200之间"), ("201", "应在1至200之间"), ("many", NO_NUMBER), ("５０", NO_NUMBER)],
)
def test_a_bad_page_size_is_refused_with_its_name_and_the_reason(value, reason):
    reasons = refusal({"per_page": value})
    assert set(reasons) == {"per_page"}
    assert reason in reasons["per_page"]


def test_both_bad_values_are_named_at_once():
    assert set(refusal({"page": "x", "per_page": "y"}, strict=False)) == {"page", "per_page"}


def test_a_blank_value_is_the_default_on_the_pages_but_refused_by_the_api():
    assert read_paging({"page": "", "per_page": ""}, 50) == P(1, 50)
    assert set(refusal({"page": ""})) == {"page"}


def test_a_very_long_value_is_shortened_in_the_message():
    reason = refusal({"page": "x" * 500})["page"]
    assert len(reason) < 80


def test_page_count_and_offset():
    assert Page([], 0, 1, 50).pages == 1
    assert Page([], 101, 1, 50).pages == 3
    assert P(3, 20).offset == 40


def test_a_page_is_sliced_and_counted_in_the_database(session, county):
    made = [factories.project(session, "T01", name=f"项目{i}").code for i in range(5)]
    session.commit()
    query = select(Project).order_by(Project.code)
    page = fetch_page(session, query, P(2, 2))
    assert [p.code for p in page.items] == sorted(made)[2:4]
    assert (page.total, page.pages) == (5, 3)
    last = fetch_page(session, query, P(3, 2))
    assert [p.code for p in last.items] == sorted(made)[4:]


def test_a_page_past_the_end_is_empty_and_still_has_the_total(session, county):
    for i in range(3):
        factories.project(session, "T01", name=f"项目{i}")
    session.commit()
    past = fetch_page(session, select(Project).order_by(Project.code), P(9, 2))
    assert (past.items, past.total, past.page, past.pages) == ([], 3, 9, 2)


def test_rows_of_several_columns_come_back_as_tuples(session, county):
    factories.project(session, "T01", name="甲项目")
    session.commit()
    page = fetch_page(session, select(Project.name, Project.level), P())
    assert [tuple(row) for row in page.items] == [("甲项目", "county")]
