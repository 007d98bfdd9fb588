"""Printable official documents of a case (DOCX), for the users who may see the case."""

from __future__ import annotations

from flask import Blueprint, Response, request

from keyproj.codes import DocumentKind
from keyproj.errors import ValidationError
from keyproj.services.documents.cases import case_document, issued_documents
from keyproj.services.documents.layout import to_docx
from web.auth import current_viewer
from web.db import db_session, state
from web.downloads import DOCX, attachment

bp = Blueprint("documents", __name__)


@bp.route("/cases/<int:case_id>/document.docx", endpoint="case_document")
def case_docx(case_id: int) -> Response:
    """One document of the case (``kind``: notice by default, escalation, supervision) as DOCX."""
    kind = request.args.get("kind", DocumentKind.NOTICE)
    if DocumentKind.parse(kind) is None:
        choices = "、".join(DocumentKind)
        raise ValidationError.single("kind", "文书", f"应为 {choices} 之一")
    doc = case_document(db_session(), current_viewer(), case_id, kind, state().profile)
    name = f"{doc.number or doc.title}.docx"
    return attachment(to_docx(doc), DOCX, name)


@bp.app_template_global("case_documents")
def case_documents(case_id: int) -> list[DocumentKind]:
    """The documents a case has issued, for the download links on its page."""
    return issued_documents(db_session(), current_viewer(), case_id)
