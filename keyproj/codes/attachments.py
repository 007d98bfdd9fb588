"""Code lists of attachments: what an attachment belongs to."""

from __future__ import annotations

from keyproj.codes.base import Code


class AttachmentOwner(Code):
    """The kind of record an attachment is filed with."""

    ISSUE = "issue", "问题台账"
    REPORT = "report", "进度报告"
    WARNING = "warning", "预警"
    TASK = "task", "办理环节"
    INSPECTION = "inspection", "联合检查记录"  # GS5: its site photos
    SPOT_CHECK = "spot_check", "抽查记录"  # LP10: its site photos
