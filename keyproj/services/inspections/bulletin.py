"""The weekly inspection bulletin (GS5: 交由重点项目办汇总形成督导检查通报印发), compiled by the
key office from the week's records and gaps, as a DOCX after GB/T 9704."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.clock import BEIJING
from keyproj.codes import AttachmentOwner, FindingSeverity
from keyproj.db.models import (
    Attachment,
    InspectionGap,
    InspectionGroup,
    InspectionRecord,
    InspectionReport,
    Unit,
)
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, require_role
from keyproj.services.documents.layout import OfficialDocument, to_docx
from keyproj.services.inspections.gaps import gaps_of
from keyproj.services.inspections.groups import OFFICE, all_groups
from keyproj.services.inspections.records import records_in_scope
from keyproj.services.reference.identity import county_identity

YES_NO = {True: "已核实", False: "未核实"}
CLOSING = "请各责任单位对检查发现的问题立即整改，整改情况报县重点项目办。"


def bulletin_lines(
    session: Session, profile: PolicyProfile, viewer: Viewer, week_key: str
) -> list[str]:
    """The bulletin's body for a week, line by line (the page shows the same lines); the groups
    that report separately (GS5: 督导检查报告单独印发) are left out, and the bulletin says so."""
    require_role(viewer, *OFFICE)
    week = periods.parse("weekly", week_key, "week")
    apart = apart_numbers(profile)
    records = [r for r in week_records(session, viewer, week.key) if r.group.number not in apart]
    found = [r for r in records if r.severity != FindingSeverity.NONE]
    verified = sum(1 for r in records if r.milestone_verified)
    gaps = [g for g in gaps_of(session, week.key) if g.group.number not in apart]
    lines = [
        f"{week.label}（{week.start.month}月{week.start.day}日至{week.end.month}月{week.end.day}日），"
        f"县重点项目联合检查组共实地督导检查项目{len(records)}个次，核实节点计划{verified}个次，"
        f"发现问题{len(found)}个。现将检查情况通报如下。",
    ]
    lines += _apart_lines(session, profile, week.key)
    photos = photo_names(session, [r.id for r in records])
    n = 0
    for group in all_groups(session):
        mine = [r for r in records if r.group_id == group.id]
        if not mine:
            continue
        n += 1
        lines.append(f"{_numeral(n)}、{group.label}")
        lines += [record_line(session, r, photos.get(r.id, [])) for r in mine]
    lines.append(f"{_numeral(n + 1)}、未按周检查的项目")
    lines += [gap_line(g) for g in gaps]
    if not gaps:
        lines.append("各检查组均已按周完成所分项目的实地检查。")
    lines.append(CLOSING)
    return lines


def apart_numbers(profile: PolicyProfile) -> set[int]:
    """The numbers of the groups whose findings are reported on their own."""
    rules = profile.inspections
    return {s.group for s in rules.separate_reports} if rules else set()


def week_records(session: Session, viewer: Viewer, week_key: str) -> list[InspectionRecord]:
    """The week's records in the viewer's scope, by group, day and entry."""
    return sorted(
        records_in_scope(session, viewer, week=week_key),
        key=lambda r: (r.group.number, r.inspected_on, r.id),
    )


def photo_names(session: Session, record_ids: list[int]) -> dict[int, list[str]]:
    """Each record's site photos by name, in upload order (the caller has checked the scope)."""
    rows = session.execute(
        select(Attachment.owner_id, Attachment.name)
        .where(
            Attachment.owner_kind == AttachmentOwner.INSPECTION,
            Attachment.owner_id.in_(record_ids),
        )
        .order_by(Attachment.uploaded_at, Attachment.id)
    )
    out: dict[int, list[str]] = {}
    for owner_id, name in rows:
        out.setdefault(owner_id, []).append(name)
    return out


def _apart_lines(session: Session, profile: PolicyProfile, week_key: str) -> list[str]:
    """One line per group reporting separately: what it checks, and its report's number once
    issued."""
    rules = profile.inspections
    if rules is None:
        return []
    out = []
    for apart in rules.separate_reports:
        issued = session.scalar(
            select(InspectionReport)
            .join(InspectionGroup, InspectionGroup.id == InspectionReport.group_id)
            .where(InspectionGroup.number == apart.group, InspectionReport.week == week_key)
        )
        number = f"（{issued.number}）" if issued else ""
        out.append(
            f"第{apart.group}组（{rules.groups[apart.group - 1]}）负责督导检查{apart.covers}，"
            f"其检查情况不列入本通报，督导检查报告{number}单独印发。"
        )
    return out


def bulletin_docx(
    session: Session, profile: PolicyProfile, viewer: Viewer, week_key: str, now: datetime
) -> bytes:
    """The week's bulletin as a DOCX (key office)."""
    lines = bulletin_lines(session, profile, viewer, week_key)
    week = periods.parse("weekly", week_key, "week")
    identity = county_identity(session, profile)
    day = now.astimezone(BEIJING).date()
    return to_docx(
        OfficialDocument(
            issuer=identity.notice_issuer,
            number=None,
            title=f"关于{week.label}重点项目联合督导检查情况的通报",
            addressee="各乡镇（街区）、县直有关单位",
            body=lines,
            signature=identity.notice_issuer,
            date_text=f"{day.year}年{day.month}月{day.day}日",
        )
    )


def record_line(session: Session, r: InspectionRecord, photos: list[str]) -> str:
    """One record as the bulletin and the separate reports tell it, its photos by name."""
    unit = session.get(Unit, r.project.lead_unit_id)
    milestone = r.milestone or "计划未列节点"
    image = "已查看形象进度" if r.image_checked else "未查看形象进度"
    finding = (
        f"发现{FindingSeverity.label_of(r.severity)}：{r.findings}"
        if r.severity != FindingSeverity.NONE
        else "未发现问题"
    )
    return (
        f"{r.inspected_on.month}月{r.inspected_on.day}日，{r.project.name}"
        f"（{unit.name if unit else ''}）：节点计划（{milestone}）{YES_NO[r.milestone_verified]}，"
        f"{image}；{finding}"
        + (f"；现场照片{len(photos)}张（{'、'.join(photos)}）" if photos else "")
        + "。"
    )


def gap_line(g: InspectionGap) -> str:
    """A project its group did not inspect in the week."""
    return f"{g.group.label}：{g.project.name}（{g.project.code}）本周未实地检查。"


def _numeral(n: int) -> str:
    return "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)
