"""A bulletin's words: title, numbered sections and the official document (LP19, GS1, DC7)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from keyproj.codes import CaseOutcome, CaseStatus
from keyproj.rules.base import amount, percent
from keyproj.services.access import Viewer
from keyproj.services.documents.layout import OfficialDocument

NUMERALS = "一二三四五六七八九十"
TRIAGE = "待重点办分类处置"


def title(county: str, figures: dict[str, Any]) -> str:
    """E.g. 连平县重点项目建设情况通报（2026年9月）."""
    return f"{county}重点项目建设情况通报（{figures['label']}）"


def _money(text: str | None) -> str:
    return amount(Decimal(text)) if text is not None else "—"


def _pct(text: str | None) -> str:
    return percent(Decimal(text)) if text is not None else "无法计算"


def _standing_label(key: str) -> str:
    if key == "triage":
        return TRIAGE
    for code in (CaseOutcome, CaseStatus):
        found = code.parse(key)
        if found is not None:
            return str(found.label)
    return key


def visible_listed(figures: dict[str, Any], viewer: Viewer | None) -> list[dict[str, Any]]:
    """The behind-schedule projects a viewer may see named: all for the offices, their own unit's
    for a unit (the counts stay county-wide: the bulletin is sent to every unit)."""
    rows: list[dict[str, Any]] = figures["colours"]["listed"]
    if viewer is None or viewer.county_wide:
        return rows
    return [r for r in rows if r["unit_id"] == viewer.unit_id]


def sections(figures: dict[str, Any], viewer: Viewer | None = None) -> list[tuple[str, list[str]]]:
    """The body's sections in order, each a heading and its lines."""
    progress, inv, colours = figures["progress"], figures["investment"], figures["colours"]
    out: list[tuple[str, list[str]]] = [
        (
            "总体进展",
            [
                f"{figures['label']}纳入调度的重点项目{progress['projects']}个，"
                f"其中按年度计划和进度报告完成评价的{progress['judged']}个"
                f"（评价期{progress['evaluation_period']}）。"
            ],
        ),
    ]
    if figures["starts"]:
        lines = [
            f"截至{s['by']}，应开工项目{s['total']}个，已开工{s['started']}个，开工率{_pct(s['rate'])}，"
            f"目标{_pct(s['target'])}，{'已达到' if s['met'] else '未达到'}目标。"
            for s in figures["starts"]
        ]
        out.append(("开工率", lines))
    out.append(
        (
            "投资完成",
            [
                f"已评价项目截至期末序时计划投资{_money(inv['planned'])}万元，"
                f"年度完成投资{_money(inv['completed'])}万元，完成率{_pct(inv['rate'])}。"
            ],
        )
    )
    counts = "，".join(f"{colours['labels'][o]}{n}个" for o, n in colours["counts"].items())
    listed = [
        f"{r['name']}（{r['unit']}，{colours['labels'][r['colour']]}）：序时计划投资{_money(r['planned'])}万元，"
        f"完成{_money(r['completed'])}万元（{r['report_period']}进度报告）。"
        for r in visible_listed(figures, viewer)
    ]
    out.append(("四色评价", [f"{counts}。", *listed]))
    warnings = figures["warnings"]
    stand = "，".join(f"{_standing_label(k)}{n}个" for k, n in warnings["standing"].items())
    out.append(
        (
            "预警处置",
            [f"本期发出预警{warnings['raised']}个" + (f"，其中{stand}。" if stand else "。")],
        )
    )
    out.append(
        ("提请县政府协调", [f"本期提请县政府协调的事项{figures['escalations']['cases']}件。"])
    )
    sup = figures["supervision"]
    numbers = f"（{'、'.join(sup['numbers'])}）" if sup["numbers"] else ""
    out.append(("督查督办", [f"本期督查立项{sup['filed']}件{numbers}，办结{sup['concluded']}件。"]))
    ranking = figures["ranking"]
    rank_lines = []
    for group in ranking["groups"]:
        top = "、".join(f"{u}（{r}）" for _, u, r in group["top"]) or "无"
        bottom = "、".join(f"{u}（{r}）" for _, u, r in group["bottom"]) or "无"
        rank_lines.append(f"{group['label']}：前列{top}；后列{bottom}。")
    out.append((f"投资完成率排名（{ranking['label']}）", rank_lines or ["本期无参与排名的单位。"]))
    return [(f"{NUMERALS[i]}、{h}", lines) for i, (h, lines) in enumerate(out)]


def document(
    number: str, bulletin_title: str, figures: dict[str, Any], issued_text: str
) -> OfficialDocument:
    """The bulletin in GB/T 9704 parts: sent to every town and county department, copied to the
    county committee and government (LP19 报送县委、县政府并发各乡镇、县直部门)."""
    body: list[str] = []
    for heading, lines in sections(figures):
        body.append(heading)
        body.extend(lines)
    county = figures["county"]
    return OfficialDocument(
        issuer=figures["issuer"],
        number=number,
        title=bulletin_title,
        addressee="各乡镇人民政府，县直各单位",
        body=body,
        signature=figures["issuer"],
        date_text=issued_text,
        copied_to=[f"{county}委", f"{county}人民政府"],
    )
