"""The tour's printable guide (DC4: 印制活动指南): date, meeting point, route with each
project's unit and figures, vehicles and notes, as a DOCX after GB/T 9704."""

from __future__ import annotations

from sqlalchemy.orm import Session

from keyproj.db.models import Tour, Unit
from keyproj.policy import PolicyProfile
from keyproj.rules.base import amount as wan
from keyproj.services.documents.layout import OfficialDocument, to_docx
from keyproj.services.reference.identity import county_identity


def guide_lines(session: Session, tour: Tour) -> list[str]:
    """The guide's body, line by line (the page prints the same lines)."""
    day = tour.tour_on
    lines = [
        f"一、观摩时间：{day.year}年{day.month}月{day.day}日",
        f"二、集合地点：{tour.meeting_point}",
        "三、观摩路线及项目：",
    ]
    for stop in tour.stops:
        p = stop.project
        unit = session.get(Unit, p.lead_unit_id)
        lines.append(
            f"{stop.position}. {p.name}（{p.code}），责任单位：{unit.name if unit else ''}，"
            f"总投资{wan(p.total_investment)}万元"
        )
    lines.append("四、车辆安排：")
    if not tour.vehicles:
        lines.append("（另行通知）")
    for v in tour.vehicles:
        driver = f"，驾驶员：{v['driver']}" if v.get("driver") else ""
        lines.append(f"{v['name']}，{v['seats']}座{driver}")
    lines.append(
        f"五、打分人员：{'、'.join(s.user.display_name or s.user.username for s in tour.scorers)}"
    )
    criteria = "、".join(f"{c['label']}{c['weight']}分" for c in tour.criteria)
    lines.append(f"六、评分项目：{criteria}，满分100分。")
    if tour.notes:
        lines.append(f"七、注意事项：{tour.notes}")
    return lines


def guide_docx(session: Session, profile: PolicyProfile, tour: Tour) -> bytes:
    """The guide as a DOCX."""
    identity = county_identity(session, profile)
    day = tour.tour_on
    return to_docx(
        OfficialDocument(
            issuer=identity.notice_issuer,
            number=None,
            title=f"{tour.title}活动指南",
            addressee="各参加观摩活动的单位和人员",
            body=guide_lines(session, tour),
            signature=identity.notice_issuer,
            date_text=f"{day.year}年{day.month}月{day.day}日",
        )
    )
