"""The weekly inspection bulletin (GS5: 交由重点项目办汇总形成督导检查通报印发), compiled by the
key office from the week's records and gaps, as a DOCX after GB/T 9704."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.clock import BEIJING
from keyproj.codes import FindingSeverity
from keyproj.db.models import InspectionRecord, Unit
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, require_role
from keyproj.services.documents.layout import OfficialDocument, to_docx
from keyproj.services.inspections.gaps import gaps_of
from keyproj.services.inspections.groups import OFFICE, all_groups
from keyproj.services.inspections.records import records_in_scope
from keyproj.services.reference.identity import county_identity

YES_NO = {True: "已核实", False: "未核实"}


def bulletin_lines(session: Session, viewer: Viewer, week_key: str) -> list[str]:
    """The bulletin's body for a week, line by line (the page shows the same lines)."""
    require_role(viewer, *OFFICE)
    week = periods.parse("weekly", week_key, "week")
    records = sorted(
        records_in_scope(session, viewer, week=week.key),
        key=lambda r: (r.group.number, r.inspected_on, r.id),
    )
    found = [r for r in records if r.severity != FindingSeverity.NONE]
    verified = sum(1 for r in records if r.milestone_verified)
    gaps = gaps_of(session, week.key)
    lines = [
        f"{week.label}（{week.start.month}月{week.start.day}日至{week.end.month}月{week.end.day}日），"
        f"县重点项目联合检查组共实地督导检查项目{len(records)}个次，核实节点计划{verified}个次，"
        f"发现问题{len(found)}个。现将检查情况通报如下。",
    ]
    n = 0
    for group in all_groups(session):
        mine = [r for r in records if r.group_id == group.id]
        if not mine:
            continue
        n += 1
        lines.append(f"{_numeral(n)}、{group.label}")
        lines += [_line(session, r) for r in mine]
    lines.append(f"{_numeral(n + 1)}、未按周检查的项目")
    lines += [
        f"{g.group.label}：{g.project.name}（{g.project.code}）本周未实地检查。" for g in gaps
    ]
    if not gaps:
        lines.append("各检查组均已按周完成所分项目的实地检查。")
    lines.append("请各责任单位对检查发现的问题立即整改，整改情况报县重点项目办。")
    return lines


def bulletin_docx(
    session: Session, profile: PolicyProfile, viewer: Viewer, week_key: str, now: datetime
) -> bytes:
    """The week's bulletin as a DOCX (key office)."""
    lines = bulletin_lines(session, viewer, week_key)
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


def _line(session: Session, r: InspectionRecord) -> str:
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
        f"{image}；{finding}。"
    )


def _numeral(n: int) -> str:
    return "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)
