"""Files the pages hand out (DOCX, Excel, JSON): named in UTF-8, never cached."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(body: bytes | str, mimetype: str, name: str) -> Response:
    """``body`` as a download named ``name`` (Chinese names kept); private, not stored."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response.headers["Cache-Control"] = "private, no-store"
    return response
