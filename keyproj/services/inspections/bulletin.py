"""The weekly inspection bulletin (GS5: 交由重点项目办汇总形成督导检查通报印发), compiled by the
key office from the week's records and gaps, as a DOCX after GB/T 9704."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.clock import BEIJING
from keyproj.codes import AttachmentOwner, FindingSeverity
from keyproj.db.models import (
    Attachment,
    InspectionAssignment,
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
from keyproj.services.inspections.records import records_in_scope, shown_milestone
from keyproj.services.reference.identity import county_identity

YES_NO = {True: "已核实", False: "未核实"}
CLOSING = "请各责任单位对检查发现的问题立即整改，整改情况报县重点项目办。"


def bulletin_lines(
    session: Session, profile: PolicyProfile, viewer: Viewer, week_key: str, today: date
) -> list[str]:
    """The bulletin's body for a week, line by line (the page shows the same lines); the groups
    that report separately (GS5: 督导检查报告单独印发) are left out, and the bulletin says so.
    ``today`` (Beijing) tells a week still under way from one that has ended."""
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
    lines += _missing_lines(session, week, today, gaps, apart, n + 1)
    lines.append(CLOSING)
    return lines


def _missing_lines(
    session: Session,
    week: periods.Period,
    today: date,
    gaps: list[InspectionGap],
    apart: set[int],
    n: int,
) -> list[str]:
    """The part on projects not checked: the flagged gaps of an ended week, else the projects
    with no record yet; "all checked" only where every assigned project has a record."""
    heading = f"{_numeral(n)}、未按周检查的项目"
    if not all_groups(session):
        return [heading, "尚未建立联合检查组，本周无实地检查记录。"]
    unrecorded = _unrecorded(session, week.key, apart)
    if today <= week.end:
        # The week is under way: nothing is missed yet, only not yet checked.
        done = f"截至{today.month}月{today.day}日"
        return [
            f"{_numeral(n)}、尚无本周检查记录的项目",
            f"本周尚未结束，{done}的检查情况如上。",
            *(f"{label}：{name}（{code}）尚无本周检查记录。" for label, name, code in unrecorded),
        ]
    if gaps:
        return [heading, *(gap_line(g) for g in gaps)]
    if unrecorded:
        return [
            heading,
            *(f"{label}：{name}（{code}）本周无检查记录。" for label, name, code in unrecorded),
        ]
    return [heading, "各检查组均已按周完成所分项目的实地检查。"]


def _unrecorded(session: Session, week_key: str, apart: set[int]) -> list[tuple[str, str, str]]:
    """The assigned projects (group label, name, code) with no record in the week, the groups
    reporting separately left out."""
    seen = set(
        session.execute(
            select(InspectionRecord.group_id, InspectionRecord.project_id).where(
                InspectionRecord.week == week_key
            )
        ).all()
    )
    out = []
    for group in all_groups(session):
        if group.number in apart:
            continue
        rows = session.scalars(
            select(InspectionAssignment)
            .where(InspectionAssignment.group_id == group.id)
            .order_by(InspectionAssignment.project_id)
        )
        out += [
            (group.label, a.project.name, a.project.code)
            for a in rows
            if (group.id, a.project_id) not in seen
        ]
    return out


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
    day = now.astimezone(BEIJING).date()
    lines = bulletin_lines(session, profile, viewer, week_key, day)
    week = periods.parse("weekly", week_key, "week")
    identity = county_identity(session, profile)
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
    milestone = shown_milestone(r.milestone)
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
