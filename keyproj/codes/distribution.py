"""Code lists of a monthly report's distribution (LP8): the bureau's review and forwarding."""

from __future__ import annotations

from keyproj.codes.base import Code


class ReviewStatus(Code):
    """A submitted report awaits the development-and-reform bureau, then is forwarded (LP8)."""

    AWAITING = "awaiting", "待发改局审核"
    FORWARDED = "forwarded", "已审核报送"
    NOT_REQUIRED = "not_required", "无需发改局审核"
