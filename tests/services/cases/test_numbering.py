"""Notice numbers (LP13) taken for a batch of notices at once: the numbers one-by-one taking
gives, in the same order, with none lost or shared."""

from __future__ import annotations

import pytest

from keyproj.services.cases import numbering
from keyproj.services.cases.numbering import next_notice_number, notice_numbers_reserved


def number(n: int, year: int = 2026) -> str:
    return f"连重点办预警〔{year}〕{n}号"


def test_lp13_a_batch_takes_the_numbers_one_by_one_taking_would(session, profile):
    assert next_notice_number(session, profile, 2026) == number(1)

    with notice_numbers_reserved(session, profile, 2026, 3):
        taken = [next_notice_number(session, profile, 2026) for _ in range(3)]

    assert taken == [number(2), number(3), number(4)]
    assert next_notice_number(session, profile, 2026) == number(5)


def test_lp13_numbers_a_batch_left_unused_are_given_back(session, profile):
    with notice_numbers_reserved(session, profile, 2026, 5):
        taken = [next_notice_number(session, profile, 2026) for _ in range(2)]

    assert taken == [number(1), number(2)]
    assert next_notice_number(session, profile, 2026) == number(3)  # no gap of three


def test_lp13_a_notice_of_another_year_inside_a_batch_takes_that_years_counter(session, profile):
    with notice_numbers_reserved(session, profile, 2026, 1):
        other = next_notice_number(session, profile, 2027)
        this = next_notice_number(session, profile, 2026)

    assert (other, this) == (number(1, 2027), number(1))


def test_lp13_a_batch_that_fails_gives_nothing_back_its_transaction_is_rolled_back(
    session, profile
):
    def batch() -> None:
        with notice_numbers_reserved(session, profile, 2026, 4):
            next_notice_number(session, profile, 2026)
            raise RuntimeError("a notice of the batch failed")

    savepoint = session.begin_nested()
    with pytest.raises(RuntimeError):
        batch()
    savepoint.rollback()

    assert numbering._RESERVED not in session.info
    assert next_notice_number(session, profile, 2026) == number(1)
