"""Code lists of the county's organisation: unit kinds, user roles, project team roles."""

from __future__ import annotations

from keyproj.codes.base import Code


class UnitKind(Code):
    """What a unit is; the office kinds are what the diagrams' office lanes resolve to."""

    TOWN = "town", "乡镇"
    COUNTY_DEPARTMENT = "county_department", "县直部门"
    KEY_OFFICE = "key_office", "重点办"
    COUNTY_GOV_OFFICE = "county_gov_office", "县府办"
    SUPERVISION_OFFICE = "supervision_office", "督查室"
    LEADERSHIP = "leadership", "县领导"
    DRB = "drb", "发展和改革局"  # reviews and forwards the monthly reports (LP8, AL6)


class Role(Code):
    """A role a user holds; lanes and data scope are decided by roles."""

    ADMIN = "admin", "系统管理员"
    KEY_OFFICE = "key_office", "重点办工作人员"
    COUNTY_GOV = "county_gov", "县府办工作人员"
    SUPERVISION = "supervision", "督查室工作人员"
    UNIT_LIAISON = "unit_liaison", "单位联络员"
    UNIT_HEAD = "unit_head", "单位负责人"
    LEADER = "leader", "县领导"
    AUDITOR = "auditor", "审计人员"
    DRB_REVIEWER = "drb_reviewer", "发改局审核人员"
    INTEGRATION = "integration", "上级系统接口"  # the provincial / city system's token (LP12)


# Roles that see every project of the county (the offices, auditors, administrators).
# The bureau's reviewers read every project: LP8 has it review every project's monthly report.
COUNTY_WIDE_ROLES = frozenset(
    {
        Role.ADMIN,
        Role.KEY_OFFICE,
        Role.COUNTY_GOV,
        Role.SUPERVISION,
        Role.AUDITOR,
        Role.DRB_REVIEWER,
    }
)
# Roles of a unit's own staff, who answer for the unit's projects and cases.
UNIT_STAFF_ROLES = frozenset({Role.UNIT_LIAISON, Role.UNIT_HEAD})
# Units that can be named responsible in a notice (LP13): towns and county departments.
RESPONSIBLE_UNIT_KINDS = (UnitKind.TOWN, UnitKind.COUNTY_DEPARTMENT)


class TeamRole(Code):
    """A member's place in a project's team: the GS3 "1+3" team and the DC1 site-sign roles."""

    CHIEF = "chief", "项目长（分包县领导）"
    ASSISTANT = "assistant", "项目长助理"
    RESPONSIBLE = "responsible", "项目责任人"
    HELPER = "helper", "帮办人员"
    CONSTRUCTION_CONTACT = "construction_contact", "建设单位责任人"
    COOPERATING_CONTACT = "cooperating_contact", "配合单位责任人"
    DISCIPLINE_INSPECTOR = "discipline_inspector", "派驻纪检监察员"


class AuthEventKind(Code):
    """What a sign-in record reports."""

    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKED = "locked", "账号锁定"
    LOGOUT = "logout", "退出"
    UNLOCKED = "unlocked", "解除锁定"
