"""Page sizes of the lists, and the page arithmetic they share."""

from __future__ import annotations

PAGE_SIZE = 50  # the case list and the task inbox
NOTIFICATION_PAGE_SIZE = 20
API_PAGE_SIZE = 500  # a page of API results; clients narrow with filters


def offset(page: int, size: int) -> int:
    """The rows before ``page`` (pages count from 1; anything less is the first)."""
    return (max(page, 1) - 1) * size


def page_count(total: int, size: int) -> int:
    """How many pages ``total`` rows fill (at least one, so an empty list still has a page)."""
    return max(1, -(-total // size))
