"""A case's dossier for the archive (X4): the case facts, the timeline, each step's data, the
verification and the re-execution as DOCX, and the raw events with their hashes as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from io import BytesIO
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import Pt
from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.audit.canonical import utc_text
from keyproj.clock import BEIJING, now_utc
from keyproj.db.models import CaseEvent
from keyproj.services.access import Viewer
from keyproj.services.cases.views.history import CaseHistory, HistoryStep, require_auditor
from keyproj.services.cases.views.pages import visible_case

BODY_FONT = "仿宋_GB2312"  # the font of the county's official documents


def _time(moment: datetime | None) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if moment else "—"


def verification_text(history: CaseHistory) -> str:
    """The chain's verification in one sentence."""
    if history.problem is None:
        return (
            f"哈希链校验通过：{len(history.steps)}条事件完整，未发现修改、删除、调换、插入或截断。"
        )
    broken = history.broken_step
    after = f"第{broken.index}步起的记录不可信。" if broken else ""
    return f"哈希链校验未通过（事件{history.problem_kind}）：{history.problem.message}。{after}"


def reexecution_text(history: CaseHistory) -> str:
    """The re-execution's result in one sentence."""
    first = history.first_mismatch
    if first is None and history.final_matches_stored:
        return "重新执行：每一步的状态哈希均与记录一致，最终状态与案件保存的状态一致。"
    if first is None:
        return "重新执行：每一步的状态哈希均与记录一致，但最终状态与案件保存的状态不一致。"
    why = first.error or "重新执行得到的状态哈希与记录不一致"
    return f"重新执行：第{first.index}步（事件序号{first.seq}）起不一致：{why}。"


def dossier_docx(session: Session, viewer: Viewer, history: CaseHistory) -> bytes:
    """The dossier as a Word document (the history already verified and re-executed)."""
    require_auditor(viewer)
    case, warning, project = visible_case(session, viewer, history.case.id)
    doc: DocumentObject = Document()
    style = doc.styles["Normal"]
    style.font.name = BODY_FONT  # type: ignore[attr-defined]
    style.font.size = Pt(11)  # type: ignore[attr-defined]
    doc.add_heading(f"预警案件办理档案 {case.notice_number or f'#{case.id}'}", level=1)
    facts = [
        ("项目", project.name if project else "全县预警"),
        ("预警期次", warning.period),
        ("预警规则", warning.rule_id),
        (
            "流程图",
            f"{history.diagram_title}（{history.diagram}，第{history.definition_version}版）",
        ),
        ("立案时间", _time(case.opened_at)),
        ("办结时间", _time(case.closed_at)),
        ("案件状态", str(case.status.label)),
        ("事件条数", str(case.event_count)),
        ("最后事件哈希", case.last_event_hash),
        ("导出时间", _time(now_utc())),
    ]
    _table(doc, ("项目", "内容"), facts)
    doc.add_heading("校验与重新执行", level=2)
    doc.add_paragraph(verification_text(history))
    doc.add_paragraph(reexecution_text(history))
    doc.add_heading("办理过程", level=2)
    _table(
        doc,
        ("步", "时间", "事项", "办理人", "单位", "重新执行"),
        [_timeline_row(step) for step in history.steps],
    )
    doc.add_heading("各步数据", level=2)
    doc.add_paragraph("第1步列出案件启动时的全部数据，此后各步只列出该步新增或变化的数据项。")
    for step in history.steps:
        doc.add_heading(f"第{step.index}步 {step.entry.what}", level=3)
        if step.error:
            doc.add_paragraph(step.error)
            continue
        if step.entry.details:  # what was submitted, by the form's labels
            doc.add_paragraph("提交内容：" + "；".join(f"{k}：{v}" for k, v in step.entry.details))
        if step.entry.text:
            doc.add_paragraph(step.entry.text)
        if step.open_tasks:
            waiting = "；".join(
                f"{t.title}{f'（{t.unit}）' if t.unit else ''}，期限{_time(t.due_at)}"
                for t in step.open_tasks
            )
            doc.add_paragraph(f"待办及期限：{waiting}")
        changed = [(i.label, i.value) for i in step.shown if i.changed]
        if changed:
            _table(doc, ("数据项", "值"), changed)
        else:
            doc.add_paragraph("本步未改变案件数据。")
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _timeline_row(step: HistoryStep) -> tuple[str, ...]:
    entry = step.entry
    result = "一致" if step.matches else "不一致"
    if not step.trusted:
        result += "（不可信）"
    return (
        str(step.index),
        _time(entry.occurred_at),
        entry.what,
        entry.actor or "系统",
        entry.unit or "",
        result,
    )


def _table(doc: DocumentObject, headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def events_json(session: Session, viewer: Viewer, history: CaseHistory) -> dict[str, Any]:
    """The case's raw events in storage order with their hashes, as the log holds them."""
    require_auditor(viewer)
    case = history.case
    rows = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    )
    problem = history.problem
    return {
        "case": {
            "id": case.id,
            "notice_number": case.notice_number,
            "diagram": history.diagram,
            "diagram_version": history.definition_version,
            "event_count": case.event_count,
            "last_event_hash": case.last_event_hash,
        },
        "verification": {
            "intact": problem is None,
            "problem": None
            if problem is None
            else {"seq": problem.seq, "kind": problem.kind, "message": problem.message},
        },
        "events": [
            {
                "seq": r.seq,
                "kind": r.kind,
                "actor_id": r.actor_id,
                "unit_id": r.unit_id,
                "task_id": r.task_id,
                "task_name": r.task_name,
                "data": r.data,
                "occurred_at": utc_text(r.occurred_at),
                "state_hash": r.state_hash,
                "prev_hash": r.prev_hash,
                "hash": r.hash,
            }
            for r in rows
        ],
    }
