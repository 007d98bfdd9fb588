"""《关于进度缓慢重点项目情况的报告》 as text lines (the page) and as an official document (DOCX)
to the banner's 旗委、旗政府 (AL3 第三条(二)5)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.db.models import SlowReport
from keyproj.errors import NotFound
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer
from keyproj.services.awards.evaluations import sees_all
from keyproj.services.documents.layout import OfficialDocument, to_docx
from keyproj.services.meetings.slow_report import TITLE, visible_report
from keyproj.services.reference.identity import county_identity


def report_lines(row: SlowReport, projects: list[dict[str, Any]]) -> list[str]:
    """The report's body: the opening, one paragraph per project, the general measures."""
    figures = row.figures
    lines = [
        f"{figures['meeting']}听取了重点项目推进情况。现将{figures['period_label']}序时进度评价为"
        f"{'、'.join(figures['colours'])}的{len(projects)}个进度缓慢重点项目情况报告如下："
    ]
    for n, p in enumerate(projects, start=1):
        lines.append(f"{_number(n)}、{p['name']}（{p['code']}，责任单位：{p['unit']}）")
        lines.append(project_figures(p))
        lines.append("存在问题：" + ("；".join(i["title"] for i in p["issues"]) or "无") + "。")
        warned = "；".join(f"{w['label']}（{w['period']}）" for w in p["warnings"])
        lines.append(f"未解除预警：{warned or '无'}。")
        lines.append("会议议定措施：" + (_measures(p["measures"]) or "无") + "。")
    if figures["measures"]:
        lines.append("会议议定的其他措施：" + _measures(figures["measures"]) + "。")
    lines.append("特此报告。")
    return lines


def project_figures(p: dict[str, Any]) -> str:
    """A project's figures in words: plan to date, completed, rate and colour."""
    if p["as_of"] is None:
        return f"序时进度评价：{p['colour_label']}。"
    return (
        f"截至{p['as_of']}，序时计划投资{p['planned']}万元，年度完成投资{p['completed']}万元，"
        f"完成率{p['rate'] or '—'}；形象进度{p['progress_pct']}%（序时{p['planned_pct']}%）；"
        f"序时进度评价：{p['colour_label']}。"
    )


def report_docx(session: Session, profile: PolicyProfile, viewer: Viewer, report_id: int) -> bytes:
    """The whole report as DOCX, for the offices and leaders (a unit reads its own rows)."""
    row = visible_report(session, viewer, report_id)
    if not sees_all(viewer):
        raise NotFound(f"报告 {report_id} 不存在或无权查看")
    county = county_identity(session, profile)
    when = row.sent_at or row.produced_at
    doc = OfficialDocument(
        issuer=county.notice_issuer,
        number=row.number,
        title=TITLE,
        addressee=row.addressee,
        body=report_lines(row, row.figures["projects"]),
        signature=county.notice_issuer,
        date_text=f"{when.astimezone(BEIJING):%Y年%m月%d日}",
    )
    return to_docx(doc)


def _measures(items: list[dict[str, Any]]) -> str:
    return "；".join(f"{m['matter']}（{m['owner_unit']}，{m['due_on']}前）" for m in items)


def _number(n: int) -> str:
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
