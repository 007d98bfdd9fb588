"""The year-end evaluation: the key office has it proposed (stored with every figure, never
edited), then confirms it once, striking any item with a reason; confirming writes each
remaining item as a record on its unit's record, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import AwardKind, Role
from keyproj.db.models import AwardRecord, YearEndEvaluation
from keyproj.errors import Conflict, NotFound, ValidationError
from keyproj.inputs import LONG_TEXT, BadInput, clean_text
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, require_role
from keyproj.services.awards.proposals import Item, build

OFFICE = (Role.KEY_OFFICE, Role.ADMIN)


def sees_all(viewer: Viewer) -> bool:
    """The offices, leaders and auditors see every unit's outcomes; a unit its own."""
    return viewer.county_wide or viewer.has(Role.LEADER)


@dataclass(frozen=True)
class Proposed:
    """An item of a stored evaluation as a reader sees it, with its fate."""

    n: int
    item: Item
    struck: str | None  # the reason it was struck


def propose(
    session: Session,
    profile: PolicyProfile,
    viewer: Viewer,
    year: int,
    now: datetime,
    today: date,
) -> YearEndEvaluation:
    """Build the year's evaluation under the profile and store it (key office)."""
    require_role(viewer, *OFFICE)
    if profile.year_end is None or profile.year_end.basis == "none":
        raise Conflict("本地制度未设年终考评奖惩规则，奖惩和问责请逐条录入")
    _not_confirmed(session, year)
    figures = build(session, profile, viewer, year, today)
    row = YearEndEvaluation(
        profile=profile.profile.id,
        year=year,
        basis=figures["basis"],
        proposed_by_id=viewer.user_id,
        proposed_at=now,
        figures=figures,
    )
    session.add(row)
    session.flush()
    return row


def confirm(
    session: Session,
    viewer: Viewer,
    evaluation_id: int,
    struck: dict[int, str],
    now: datetime,
) -> list[AwardRecord]:
    """Confirm the evaluation; items in ``struck`` (number → reason) are left out. Each other
    item becomes a record once: confirming again writes nothing more."""
    require_role(viewer, *OFFICE)
    row = session.get(YearEndEvaluation, evaluation_id, with_for_update=True)
    if row is None:
        raise NotFound(f"年终考评 {evaluation_id} 不存在")
    if row.confirmed_at is not None:
        return records_of(session, row.id)
    _not_confirmed(session, row.year)
    numbers = {i["n"] for i in row.figures["items"]}
    reasons = _reasons(struck, numbers)
    for data in row.figures["items"]:
        if data["n"] in reasons:
            continue
        session.add(_record(row, data, viewer, now))
    row.confirmed_by_id, row.confirmed_at = viewer.user_id, now
    row.struck = {str(n): text for n, text in reasons.items()}
    session.flush()
    return records_of(session, row.id)


def records_of(session: Session, evaluation_id: int) -> list[AwardRecord]:
    """The records a confirmed evaluation wrote, in item order."""
    return list(
        session.scalars(
            select(AwardRecord)
            .where(AwardRecord.evaluation_id == evaluation_id)
            .order_by(AwardRecord.item)
        )
    )


def evaluation(session: Session, viewer: Viewer, evaluation_id: int) -> YearEndEvaluation:
    """One stored evaluation (every signed-in reader; its items cut by ``items_in_scope``)."""
    row = session.get(YearEndEvaluation, evaluation_id)
    if row is None:
        raise NotFound(f"年终考评 {evaluation_id} 不存在")
    return row


def of_year(session: Session, year: int) -> list[YearEndEvaluation]:
    """The year's stored evaluations, the newest first."""
    return list(
        session.scalars(
            select(YearEndEvaluation)
            .where(YearEndEvaluation.year == year)
            .order_by(YearEndEvaluation.id.desc())
        )
    )


def items_in_scope(row: YearEndEvaluation, viewer: Viewer) -> list[Proposed]:
    """The evaluation's items the viewer may see: all, or their own unit's."""
    struck = row.struck or {}
    out = []
    for data in row.figures["items"]:
        if sees_all(viewer) or data["unit_id"] == viewer.unit_id:
            fields = {k: v for k, v in data.items() if k != "n"}
            out.append(Proposed(data["n"], Item(**fields), struck.get(str(data["n"]))))
    return out


def figures_in_scope(row: YearEndEvaluation, viewer: Viewer) -> dict[str, Any]:
    """The figures the viewer may see: every unit's totals, project figures of their own only."""
    figures = dict(row.figures)
    if sees_all(viewer):
        return figures
    for key in ("towns", "departments"):
        figures[key] = [
            r if r["unit_id"] == viewer.unit_id else {**r, "projects": []}
            for r in figures.get(key, [])
        ]
    figures["projects"] = [p for p in figures.get("projects", []) if p["unit_id"] == viewer.unit_id]
    return figures


def _not_confirmed(session: Session, year: int) -> None:
    done = session.scalar(
        select(YearEndEvaluation.id).where(
            YearEndEvaluation.year == year, YearEndEvaluation.confirmed_at.is_not(None)
        )
    )
    if done is not None:
        raise Conflict(f"{year}年度考评已确认（第{done}号），不能再次确认或重新生成")


def _reasons(struck: dict[int, str], numbers: set[int]) -> dict[int, str]:
    out = {}
    for n, text in struck.items():
        if n not in numbers:
            raise ValidationError.single(f"strike_{n}", "删除事项", f"考评中没有第{n}项")
        try:
            reason = clean_text(text or "", LONG_TEXT, required=True)
        except BadInput as exc:
            raise ValidationError.single(
                f"reason_{n}", f"第{n}项删除理由", f"请填写删除理由：{exc}"
            ) from None
        out[n] = reason or ""
    return out


def _record(
    row: YearEndEvaluation, data: dict[str, Any], viewer: Viewer, now: datetime
) -> AwardRecord:
    amount = data.get("amount")
    return AwardRecord(
        year=row.year,
        unit_id=data["unit_id"],
        project_id=data.get("project_id"),
        kind=AwardKind(data["kind"]),
        amount=None if amount is None else Decimal(amount),
        reason=data["rule"],
        clause=data["clause"],
        evaluation_id=row.id,
        item=data["n"],
        recorded_by_id=viewer.user_id,
        recorded_at=now,
    )
