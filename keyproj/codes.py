"""Code lists of the domain, each code with its Chinese label (the label is what users see)."""

from __future__ import annotations

UNIT_KINDS = {
    "town": "乡镇",
    "county_department": "县直部门",
    "key_office": "重点办",
    "county_gov_office": "县府办",
    "supervision_office": "督查室",
    "leadership": "县领导",
}

ROLES = {
    "admin": "系统管理员",
    "key_office": "重点办工作人员",
    "county_gov": "县府办工作人员",
    "supervision": "督查室工作人员",
    "unit_liaison": "单位联络员",
    "unit_head": "单位负责人",
    "leader": "县领导",
    "auditor": "审计人员",
}

# Roles that see every project of the county (the offices, auditors, administrators).
COUNTY_WIDE_ROLES = frozenset({"admin", "key_office", "county_gov", "supervision", "auditor"})

PROJECT_LEVELS = {  # LP2
    "provincial": "省重点",
    "city": "市重点",
    "county": "县重点",
    "central_budget": "中央预算内",
}

PROJECT_NATURES = {
    "new": "新开工",
    "continued": "续建",
    "preliminary": "前期",
    "completed": "竣工",
}

PROJECT_STAGES = {  # GS7 milestones, AL12 stages folded into the common sequence
    "planning": "谋划储备",
    "preparation": "前期手续",
    "site_ready": "三通一平",
    "under_construction": "主体施工",
    "acceptance": "竣工验收",
    "in_use": "投入使用",
}

TEAM_ROLES = {  # GS3 "1+3" team and DC1 site-sign roles
    "chief": "项目长（分包县领导）",
    "assistant": "项目长助理",
    "responsible": "项目责任人",
    "helper": "帮办人员",
    "construction_contact": "建设单位责任人",
    "cooperating_contact": "配合单位责任人",
    "discipline_inspector": "派驻纪检监察员",
}

ISSUE_CATEGORIES = {  # LP7
    "approval": "报批事项",
    "planning_design": "规划设计及概算变更",
    "land": "征地拆迁",
    "funding": "资金筹措",
    "coordination": "建设协调",
    "stability": "社会稳定",
    "other": "其他",
}

WARNING_LEVELS = {  # LP13
    "progress": "进度预警",
    "issue": "问题预警",
    "urging": "重点事项催办",
}

COLOURS = {  # HD3 four-colour evaluation
    "green": "绿色",
    "blue": "蓝色",
    "yellow": "黄色",
    "red": "红色",
}

START_STATUSES = {  # AL6 开（复）工情况
    "not_started": "未开工",
    "started": "已开工",
    "restarted": "已复工",
    "suspended": "停工",
    "completed": "已竣工",
}

PROCEDURE_ITEMS = {  # AL6 approvals, AL10 procedure list
    "feasibility": "可研",
    "site_selection": "规划选址",
    "environment": "环评",
    "land": "土地",
    "energy": "能评",
    "project_approval": "立项",
    "design": "设计",
    "water_conservation": "水保",
    "tendering": "招标",
}

PROCEDURE_STATUSES = {
    "not_needed": "无需办理",
    "not_started": "未办理",
    "in_progress": "办理中",
    "approved": "已批复",
}

PLAN_STATUSES = {
    "draft": "草稿",
    "submitted": "待审批",
    "approved": "已批准",
    "rejected": "已退回",
    "superseded": "已被替代",
}
