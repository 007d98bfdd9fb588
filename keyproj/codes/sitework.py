"""Code lists of site work: why a project is in a spot-check plan (LP10), who visited a project
and what kind of visit it was (GS3, DC2), and the lists of an industry chain (DC5)."""

from __future__ import annotations

from keyproj.codes.base import Code

# The rule id of a warning raised from a spot check's finding (LP10 feeding LP11–LP13).
SPOT_CHECK_RULE = "spot_check_finding"


class SampleReason(Code):
    """Why a project is in a cycle's spot-check plan."""

    THRESHOLD = "threshold", "总投资达到重点覆盖标准"  # LP10: 5亿元以上, never removed
    SAMPLED = "sampled", "随机抽取"
    ADDED = "added", "重点办增列"


class VisitRole(Code):
    """Who went to the site: GS3's project chief or assistant, DC2's leader in charge and the
    responsible unit (处级分包领导和责任单位每周至少现场办公1次)."""

    CHIEF = "chief", "项目长"
    ASSISTANT = "assistant", "项目长助理"
    LEADER = "leader", "分包领导"
    UNIT = "unit", "责任单位"


class VisitKind(Code):
    """What the visit was."""

    ONSITE_OFFICE = "onsite_office", "现场办公"
    INSPECTION = "inspection", "现场调研"


class ChainListKind(Code):
    """DC5's lists of a chain besides its projects: key matters, parks and companies."""

    MATTER = "matter", "重点事项"
    PARK = "park", "重点园区"
    COMPANY = "company", "重点企业"
