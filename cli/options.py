"""What several commands share: the ``--date`` option and the report of a refused import."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, TypeVar

import click

from keyproj.errors import ImportRowError

F = TypeVar("F", bound=Callable[..., Any])


class BeijingDate(click.ParamType):
    """A calendar day written YYYY-MM-DD, handed to the command as a ``date``."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        """The day ``value`` names; anything else is a usage error that says what was expected."""
        if isinstance(value, date):
            return value
        try:
            return datetime.strptime(value, "%Y-%m-%d").date()
        except ValueError:
            self.fail(f"“{value}”不是有效日期，应为 YYYY-MM-DD", param, ctx)


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
