"""HD3: the monthly 专报 of the four-colour evaluation, as lines for the page and as a DOCX."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from keyproj.policy import PolicyProfile
from keyproj.rules.base import amount, percent
from keyproj.services.documents.layout import OfficialDocument
from keyproj.services.evaluation.colours import ColourBoard, Evaluation
from keyproj.services.reference.identity import county_identity

# The colours the 专报 lists project by project: those that fall behind (HD3 黄、红).
LISTED = ("red", "yellow")


def title(board: ColourBoard, county: str) -> str:
    """The 专报's title, e.g. 某县重点项目四色评价专报（2026年9月）."""
    return f"{county}重点项目四色评价专报（{board.period.label}）"


def summary(board: ColourBoard) -> str:
    """The counts sentence: every outcome with its number, unjudged ones included."""
    counts = board.counts
    parts = "，".join(f"{board.label(o)}{counts[o]}个" for o in board.outcomes)
    return f"{board.period.label}共评价重点项目{len(board.evaluations)}个：{parts}。"


def project_line(e: Evaluation) -> str:
    """One listed project with its unit and figures."""
    s = e.standing
    assert s is not None  # only coloured projects are listed
    inv = percent(s.investment_ratio) if s.investment_ratio is not None else "不评价"
    phy = percent(s.progress_ratio) if s.progress_ratio is not None else "不评价"
    return (
        f"{e.name}（{e.unit_name}）：截至{s.as_of}年度完成投资{amount(s.completed)}万元，"
        f"序时计划{amount(s.planned)}万元，完成{inv}；形象进度{amount(s.progress_pct)}%，"
        f"序时计划{amount(s.planned_pct)}%，完成{phy}。"
    )


def sections(board: ColourBoard) -> list[tuple[str, list[str]]]:
    """The body: the overview, then each listed colour's projects (or a line saying none)."""
    out: list[tuple[str, list[str]]] = [("一、总体情况", [summary(board)])]
    numerals = "二三四五"
    for i, colour in enumerate(c for c in LISTED if c in board.outcomes):
        listed = board.select(outcome=colour)
        lines = [project_line(e) for e in listed] or ["无。"]
        out.append((f"{numerals[i]}、{board.label(colour)}项目（{len(listed)}个）", lines))
    return out


def special_report(
    session: Session, profile: PolicyProfile, board: ColourBoard, issued_on: date
) -> OfficialDocument:
    """The 专报 as an official document from the key office, to the county committee and government."""
    county = county_identity(session, profile)
    body: list[str] = []
    for heading, lines in sections(board):
        body.append(heading)
        body.extend(lines)
    return OfficialDocument(
        issuer=county.notice_issuer,
        number=None,
        title=title(board, county.county_name),
        addressee=f"{county.county_name}委、{county.county_name}政府",
        body=body,
        signature=county.notice_issuer,
        date_text=f"{issued_on.year}年{issued_on.month}月{issued_on.day}日",
    )
