"""What several commands share: bounded dates, years and ids, and the report of a refused import."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, TypeVar

import click

from keyproj.errors import ImportRowError
from keyproj.inputs import ADMIN_YEARS, DB_INT_MAX

F = TypeVar("F", bound=Callable[..., Any])


# The years the product's data may be about: the working-day calendar, plans and reports.
FIRST_YEAR, LAST_YEAR = ADMIN_YEARS.first, ADMIN_YEARS.last
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,12}")


class BeijingDate(click.ParamType):
    """A calendar day written YYYY-MM-DD within 2000–2100, handed to the command as a ``date``."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        """The day ``value`` names; anything else is a usage error that says what was expected."""
        if isinstance(value, date):
            return value
        try:
            day = datetime.strptime(value, "%Y-%m-%d").date()
        except ValueError:
            self.fail(f"“{value}”不是有效日期，应为 YYYY-MM-DD", param, ctx)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.fail(f"“{value}”超出范围，应在{FIRST_YEAR}年至{LAST_YEAR}年之间", param, ctx)
        return day


class BoundedInt(click.ParamType):
    """A whole number between two bounds, refused in Chinese with the bounds."""

    def __init__(self, name: str, low: int, high: int):
        self.name, self.low, self.high = name, low, high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """The number ``value`` names, within the bounds."""
        if isinstance(value, int):
            number = value
        else:
            text = str(value).strip()
            # int() would also take full-width and other Unicode digits.
            if not WHOLE_NUMBER.fullmatch(text):
                self.fail(f"“{value}”不是整数", param, ctx)
            number = int(text)
        if not self.low <= number <= self.high:
            self.fail(f"{number} 超出范围，应在 {self.low} 至 {self.high} 之间", param, ctx)
        return number


YEAR = BoundedInt("YEAR", FIRST_YEAR, LAST_YEAR)
RECORD_ID = BoundedInt("ID", 1, DB_INT_MAX)


def date_option(help_text: str) -> Callable[[F], F]:
    """``--date YYYY-MM-DD``, passed as the ``on`` argument (None when not given: today)."""
    return click.option("--date", "on", type=BeijingDate(), help=help_text)


@contextmanager
def import_errors(nothing_imported: str) -> Iterator[None]:
    """Print every bad row of a refused import and ``nothing_imported``, then exit with 1."""
    try:
        yield
    except ImportRowError as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        click.echo(f"共{len(exc.rows)}处错误，{nothing_imported}", err=True)
        raise click.exceptions.Exit(1) from exc
