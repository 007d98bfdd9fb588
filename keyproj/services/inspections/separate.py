"""A group's own weekly report (GS5: 县百城提质办负责督导检查全县百城建设提质工程(官渡河综合治理项目),
督导检查报告单独印发): compiled by the key office from that group's records and missed projects,
issued once a week with its own number, and kept as issued; before that, a draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.clock import BEIJING
from keyproj.codes import FindingSeverity
from keyproj.db.models import InspectionGroup, InspectionReport
from keyproj.errors import Conflict
from keyproj.policy import PolicyProfile
from keyproj.policy.inspections import SeparateReport
from keyproj.services.access import Viewer, require_role
from keyproj.services.cases.numbering import next_number
from keyproj.services.documents.layout import OfficialDocument, to_docx
from keyproj.services.inspections.bulletin import (
    CLOSING,
    gap_line,
    photo_names,
    record_line,
    week_records,
)
from keyproj.services.inspections.gaps import gaps_of
from keyproj.services.inspections.groups import OFFICE, group
from keyproj.services.reference.identity import county_identity

ADDRESSEE = "各乡镇（街区）、县直有关单位"


@dataclass(frozen=True)
class Draft:
    """A group's report for a week: its title and body, and its number once issued."""

    group: InspectionGroup
    week: periods.Period
    title: str
    body: list[str]
    issued: InspectionReport | None


def report(
    session: Session, profile: PolicyProfile, viewer: Viewer, group_id: int, week_key: str
) -> Draft:
    """The group's report for the week: as issued, else as it would be issued now (key office).
    Conflict for a group whose findings go into the joint bulletin."""
    require_role(viewer, *OFFICE)
    row = group(session, group_id)
    apart = _apart(profile, row)
    week = periods.parse("weekly", week_key, "week")
    issued = issued_report(session, row.id, week.key)
    if issued is not None:
        return Draft(row, week, issued.title, list(issued.body), issued)
    title = f"关于{week.label}{apart.covers}督导检查情况的报告"
    return Draft(row, week, title, _body(session, viewer, row, apart, week), None)


def issue(
    session: Session,
    profile: PolicyProfile,
    viewer: Viewer,
    group_id: int,
    week_key: str,
    now: datetime,
) -> InspectionReport:
    """Issue the group's report for the week with the next number of the year; once a week."""
    draft = report(session, profile, viewer, group_id, week_key)
    if draft.issued is not None:
        raise Conflict(
            f"{draft.group.label}{draft.week.label}督导检查报告已印发（{draft.issued.number}）"
        )
    year = now.astimezone(BEIJING).year
    row = InspectionReport(
        group_id=draft.group.id,
        week=draft.week.key,
        number=next_number(session, prefix(session, profile), year),
        year=year,
        title=draft.title,
        body=draft.body,
        issued_at=now,
        issued_by_id=viewer.user_id,
    )
    session.add(row)
    session.flush()
    return row


def report_docx(
    session: Session,
    profile: PolicyProfile,
    viewer: Viewer,
    group_id: int,
    week_key: str,
    now: datetime,
) -> bytes:
    """The report as a DOCX: numbered and dated as issued, else an unnumbered draft of today."""
    draft = report(session, profile, viewer, group_id, week_key)
    identity = county_identity(session, profile)
    day = (draft.issued.issued_at if draft.issued else now).astimezone(BEIJING).date()
    return to_docx(
        OfficialDocument(
            issuer=identity.notice_issuer,
            number=draft.issued.number if draft.issued else None,
            title=draft.title,
            addressee=ADDRESSEE,
            body=draft.body,
            signature=identity.notice_issuer,
            date_text=f"{day.year}年{day.month}月{day.day}日",
        )
    )


def prefix(session: Session, profile: PolicyProfile) -> str:
    """The reports' 文号 prefix: the key office's, e.g. 光重点办督查 beside 光重点办预警."""
    return county_identity(session, profile).warning_notice_prefix.removesuffix("预警") + "督查"


def issued_report(session: Session, group_id: int, week_key: str) -> InspectionReport | None:
    """The group's issued report of the week, if any."""
    return session.scalar(
        select(InspectionReport).where(
            InspectionReport.group_id == group_id, InspectionReport.week == week_key
        )
    )


def _apart(profile: PolicyProfile, row: InspectionGroup) -> SeparateReport:
    rules = profile.inspections
    apart = rules.separate(row.number) if rules else None
    if apart is None:
        raise Conflict(f"{row.label}的检查情况列入联合督导检查通报，不单独印发报告")
    return apart


def _body(
    session: Session,
    viewer: Viewer,
    row: InspectionGroup,
    apart: SeparateReport,
    week: periods.Period,
) -> list[str]:
    records = [r for r in week_records(session, viewer, week.key) if r.group_id == row.id]
    gaps = [g for g in gaps_of(session, week.key) if g.group_id == row.id]
    found = sum(1 for r in records if r.severity != FindingSeverity.NONE)
    verified = sum(1 for r in records if r.milestone_verified)
    photos = photo_names(session, [r.id for r in records])
    lines = [
        f"{week.label}（{week.start.month}月{week.start.day}日至{week.end.month}月{week.end.day}日），"
        f"县重点项目联合检查组{row.label}对{apart.covers}共实地督导检查项目{len(records)}个次，"
        f"核实节点计划{verified}个次，发现问题{found}个。现将检查情况报告如下。",
        "一、检查情况",
    ]
    lines += [record_line(session, r, photos.get(r.id, [])) for r in records]
    if not records:
        lines.append("本周未开展实地督导检查。")
    lines.append("二、未按周检查的项目")
    lines += [gap_line(g) for g in gaps]
    if not gaps:
        lines.append("已按周完成所分项目的实地检查。")
    lines.append(CLOSING)
    return lines
