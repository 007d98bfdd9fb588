"""Pages of the lists: sizes and bounds, reading ``page`` and ``per_page``, one page counted in SQL.

Every list of the pages and the API is read one way: ``read_paging`` takes the two query
parameters (a malformed or out-of-range one is a ``PagingError`` naming it, never ignored),
and ``fetch_page`` has the database count the list and cut the page from it, so no list is
loaded whole.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from keyproj.errors import FieldError, ValidationError
from keyproj.inputs import BadInput, parse_int

PAGE_SIZE = 50  # the pages' lists: cases, the task inbox, projects, issues, accounts
NOTIFICATION_PAGE_SIZE = 20
API_PAGE_SIZE = 50  # the API's default ``per_page``; a client asks for up to MAX_PER_PAGE
MAX_PER_PAGE = 200
# The page number's ceiling: the database's integer, like an id. The offset it makes (up to
# ~4.3e11 rows) still fits the 64-bit OFFSET of SQLite and PostgreSQL.
MAX_PAGE = 2_147_483_647
LABELS = {"page": "页码", "per_page": "每页条数"}

T = TypeVar("T")
U = TypeVar("U")


class PagingError(ValidationError):
    """A ``page`` or ``per_page`` that is malformed or out of bounds (a 400, naming the parameter)."""


@dataclass(frozen=True)
class Paging:
    """Which page of a list is asked for, and how many items a page holds."""

    page: int = 1
    per_page: int = PAGE_SIZE

    @property
    def offset(self) -> int:
        """The rows before this page."""
        return offset(self.page, self.per_page)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its items, the total under the list's filters, and where it lies."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the total fills (at least one)."""
        return page_count(self.total, self.per_page)

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        """The same page with every item converted."""
        return Page([convert(item) for item in self.items], self.total, self.page, self.per_page)


class PagedByFilters:
    """A page whose number and size are its filters' (``total`` and ``filters`` set by the class)."""

    total: int
    filters: Any

    @property
    def page(self) -> int:
        """The page's number."""
        return int(self.filters.page)

    @property
    def per_page(self) -> int:
        """How many rows a page holds."""
        return int(self.filters.per_page)

    @property
    def pages(self) -> int:
        """How many pages the total fills (at least one)."""
        return page_count(self.total, self.per_page)


def offset(page: int, size: int) -> int:
    """The rows before ``page`` (pages count from 1; anything less is the first)."""
    return (max(page, 1) - 1) * size


def page_count(total: int, size: int) -> int:
    """How many pages ``total`` rows fill (at least one, so an empty list still has a page)."""
    return max(1, -(-total // size))


def read_paging(args: Mapping[str, str], per_page: int, strict: bool = False) -> Paging:
    """``page`` and ``per_page`` from a query string, with ``per_page`` as the default size.

    Each must be a whole number in ASCII digits: ``page`` from 1 to MAX_PAGE, ``per_page``
    from 1 to MAX_PER_PAGE. Anything else raises a PagingError naming every bad parameter.
    A blank value is the default on the pages (a form may send one); the API (``strict``)
    refuses it like any other value that is no number.
    """
    errors: list[FieldError] = []
    paging = paging_of(args, per_page, strict, errors)
    if errors:
        raise PagingError(errors)
    return paging


def paging_of(
    args: Mapping[str, str], per_page: int, strict: bool, errors: list[FieldError]
) -> Paging:
    """As ``read_paging``, but a bad parameter is added to ``errors`` (for a caller that names
    every bad parameter of a request at once) and its default is used."""
    page = _read_bounded(args, "page", MAX_PAGE, strict, errors)
    size = _read_bounded(args, "per_page", MAX_PER_PAGE, strict, errors)
    return Paging(page or 1, size or per_page)


def refuse(paging_errors: list[FieldError], other_errors: list[FieldError]) -> None:
    """Raise every bad parameter at once: as a PagingError (a 400) when paging is among them."""
    if paging_errors:
        raise PagingError([*paging_errors, *other_errors])
    if other_errors:
        raise ValidationError(other_errors)


def _read_bounded(
    args: Mapping[str, str], name: str, ceiling: int, strict: bool, errors: list[FieldError]
) -> int | None:
    text = args.get(name)
    if text is None or (text == "" and not strict):
        return None
    try:
        return parse_int(text, 1, ceiling)
    except BadInput as exc:
        errors.append(FieldError(name, LABELS[name], str(exc)))
        return None


def fetch_page(session: Session, query: Select[*tuple[Any, ...]], paging: Paging) -> Page[Any]:
    """One page of ``query``'s rows (ordered by the query) and the total of all its rows.

    A query of one entity or column gives its values; a query of several gives tuples.
    The count is a statement of its own rather than a window count beside each row: a
    window makes the database build every row of the list before it cuts the page (330 ms
    against 25 ms for a page of 50,000 projects on SQLite).
    """
    whole = query.order_by(None).subquery()
    total = int(session.scalar(select(func.count()).select_from(whole)) or 0)
    records = session.execute(query.limit(paging.per_page).offset(paging.offset)).all()
    rows = [record if len(record) > 1 else record[0] for record in records]
    return Page(rows, total, paging.page, paging.per_page)
