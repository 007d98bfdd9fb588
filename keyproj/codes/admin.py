"""Code lists of the administration: what an administrator changed, and the documents issued."""

from __future__ import annotations

from keyproj.codes.base import Code


class AdminAction(Code):
    """One kind of change an administrator makes; every one is written to the change log."""

    UNIT_CREATED = "unit_created", "新建单位"
    UNIT_RENAMED = "unit_renamed", "单位改名"
    UNIT_KIND_CHANGED = "unit_kind_changed", "更改单位类型"
    UNIT_DEACTIVATED = "unit_deactivated", "停用单位"
    UNIT_REACTIVATED = "unit_reactivated", "恢复单位"
    USER_CREATED = "user_created", "新建账号"
    USER_ROLES_CHANGED = "user_roles_changed", "更改角色"
    USER_UNIT_CHANGED = "user_unit_changed", "调整所属单位"
    PASSWORD_RESET = "password_reset", "重置密码"
    USER_UNLOCKED = "user_unlocked", "解除锁定"
    USER_DISABLED = "user_disabled", "停用账号"
    USER_ENABLED = "user_enabled", "恢复账号"
    TOKEN_ISSUED = "token_issued", "签发接口令牌"
    TOKEN_REVOKED = "token_revoked", "吊销接口令牌"
    CALENDAR_DAY_SET = "calendar_day_set", "更正日历"
    CALENDAR_IMPORTED = "calendar_imported", "导入节假日安排"
    IDENTITY_CHANGED = "identity_changed", "修改本县信息"
    WARNING_DISMISSED = "warning_dismissed", "预警不予处置"


ADMIN_ACTIONS = AdminAction.labels()


class DocumentKind(Code):
    """An official document a case issues, printable as DOCX (LP13, LP16, LP20)."""

    NOTICE = "notice", "预警催办通知"
    ESCALATION = "escalation", "提请县政府协调的报告"
    SUPERVISION = "supervision", "督查立项通知书"
