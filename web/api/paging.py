"""Paging of the API's lists: ``page`` and ``per_page`` read strictly, and the answer's shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, jsonify, request

from keyproj.paging import API_PAGE_SIZE, Page, Paging, read_paging


def paging() -> Paging:
    """The request's page (``API_PAGE_SIZE`` items unless ``per_page`` says otherwise).

    A blank, malformed or out-of-range value is a PagingError (a 400 naming the parameter).
    """
    return read_paging(request.args, API_PAGE_SIZE, strict=True)


def page_response(key: str, page: Page[Any], item: Callable[[Any], dict[str, Any]]) -> Response:
    """A list's answer: the page's items under ``key``, their count, the total and the page's place."""
    items = [item(row) for row in page.items]
    return jsonify(
        {
            "count": len(items),
            "total": page.total,
            "page": page.page,
            "per_page": page.per_page,
            "pages": page.pages,
            key: items,
        }
    )
