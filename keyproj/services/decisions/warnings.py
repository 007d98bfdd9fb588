"""The warnings' lists leave out the warnings that only carry decided items' cases."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from keyproj.codes import WarningSource
from keyproj.db.models import EarlyWarning


def early_warnings() -> ColumnElement[bool]:
    """Warnings proper: not a decided item's carrier (source ``decision``)."""
    return EarlyWarning.source != WarningSource.DECISION
