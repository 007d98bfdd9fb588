"""Paging of the pages' lists: the page asked for, and the arguments its pager links keep."""

from __future__ import annotations

from typing import Any

from flask import request

from keyproj.paging import PAGE_SIZE, Paging, read_paging


def paging(per_page: int = PAGE_SIZE) -> Paging:
    """The page of the list asked for; a malformed or out-of-range one is a PagingError (a 400 page)."""
    return read_paging(request.args, per_page)


def kept_args(*keys: str) -> dict[str, Any]:
    """The list's filters that were sent, and ``per_page``, for the links to its other pages."""
    return {k: request.args[k] for k in (*keys, "per_page") if request.args.get(k)}
