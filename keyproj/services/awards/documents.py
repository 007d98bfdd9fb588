"""The confirmed year-end evaluation as the county's 通报 (DOCX, GB/T 9704) and as a workbook
of its items and figures in the viewer's scope."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.codes import AwardKind
from keyproj.db.models import YearEndEvaluation
from keyproj.errors import Conflict
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer
from keyproj.services.awards.evaluations import Proposed, figures_in_scope, items_in_scope
from keyproj.services.documents.layout import OfficialDocument, to_docx
from keyproj.services.reference.identity import county_identity

ITEM_HEADER = ("序号", "单位", "项目", "奖惩类别", "金额（万元）", "依据", "事由及数据", "确认情况")
UNIT_HEADER = ("名次", "单位", "计划投资（万元）", "完成投资（万元）", "完成率", "说明")


def bulletin_docx(
    session: Session, profile: PolicyProfile, row: YearEndEvaluation, viewer: Viewer
) -> bytes:
    """The year's 通报 of commendations and criticisms: the confirmed items, struck ones left out."""
    if row.confirmed_at is None:
        raise Conflict("年终考评尚未确认，不能印发通报")
    kept = [p for p in items_in_scope(row, viewer) if p.struck is None]
    rewards = [p for p in kept if AwardKind(p.item.kind).is_reward]
    sanctions = [p for p in kept if not AwardKind(p.item.kind).is_reward]
    identity = county_identity(session, profile)
    body = [
        f"根据{row.year}年度重点项目建设年终综合考评结果，经研究，现将奖惩情况通报如下。",
        "一、表彰奖励",
        *(_line(i, p) for i, p in enumerate(rewards, start=1)),
        "二、通报批评及处理",
        *(_line(i, p) for i, p in enumerate(sanctions, start=1)),
        "希望受到表彰的单位再接再厉，受到批评的单位认真反思、切实整改，确保重点项目建设任务全面完成。",
    ]
    if not rewards:
        body.insert(2, "（无）")
    if not sanctions:
        body.insert(-1, "（无）")
    return to_docx(
        OfficialDocument(
            issuer=identity.notice_issuer,
            number=None,
            title=f"关于{row.year}年度重点项目建设考评奖惩情况的通报",
            addressee="各乡镇（街区）、县直有关单位",
            body=body,
            signature=identity.notice_issuer,
            date_text=_written(row.confirmed_at),
        )
    )


def evaluation_xlsx(row: YearEndEvaluation, viewer: Viewer) -> bytes:
    """The evaluation's items and its ranking or score tables, cut to the viewer's scope."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "奖惩事项"
    sheet.append([f"{row.year}年度重点项目建设年终考评"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(ITEM_HEADER))
    for p in items_in_scope(row, viewer):
        sheet.append(_item_cells(p, row.confirmed_at is not None))
    sheet.column_dimensions["G"].width = 60
    figures = figures_in_scope(row, viewer)
    for key, label in (("towns", "乡镇排名"), ("departments", "县直部门排名")):
        if key in figures:
            _units_sheet(book.create_sheet(label), figures[key])
    if "services" in figures:
        part = book.create_sheet("服务协调单位")
        part.append(["名次", "单位", "平均得分", "打分单位数", "承诺完成情况"])
        for s in figures["services"]:
            part.append(
                [s["rank"] or "不排名", s["unit"], s["mean"], s["count"], s["outcome_label"]]
            )
    if "scores" in figures:
        part = book.create_sheet("年终得分")
        part.append(["名次", "单位", "一季度", "二季度", "三季度", "四季度", "年终得分"])
        for s in figures["scores"]:
            part.append([s["rank"] or "不计分", s["unit"], *s["quarters"], s["score"]])
    if "projects" in figures:
        part = book.create_sheet(f"{figures.get('period_label', '')}序时进度")
        part.append(["项目代码", "项目", "牵头单位", "评价", "完成比例"])
        for p in figures["projects"]:
            part.append([p["code"], p["name"], p["unit"], p["label"], p["ratio"]])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _units_sheet(sheet: object, rows: list[dict[str, object]]) -> None:
    sheet.append(list(UNIT_HEADER))  # type: ignore[attr-defined]
    for r in rows:
        rate = r["rate"]
        shown = "—" if rate is None else f"{float(str(rate)) * 100:.2f}%"
        sheet.append(  # type: ignore[attr-defined]
            [
                r["rank"] or "不排名",
                r["unit"],
                r["planned"],
                r["completed"],
                shown,
                r["reason"] or "",
            ]
        )


def _item_cells(p: Proposed, confirmed: bool) -> list[object]:
    state = f"已删除：{p.struck}" if p.struck else ("已确认" if confirmed else "待确认")
    item = p.item
    amount = float(item.amount) if item.amount else None
    return [p.n, item.unit, item.project, item.kind_label, amount, item.clause, item.rule, state]


def _line(i: int, p: Proposed) -> str:
    item = p.item
    what = item.kind_label + (f"{item.amount}万元" if item.amount else "")
    whom = item.unit + (f"（{item.project}）" if item.project else "")
    return f"{i}. {whom}：{what}。{item.rule}。"


def _written(moment: datetime) -> str:
    day = moment.astimezone(BEIJING).date()
    return f"{day.year}年{day.month}月{day.day}日"
