"""Stored half-year evaluations (GS2 半年评比): run by the key office or by the worker after a
half-year ends, shown with every figure, and published (frozen) once by the office."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import Role
from keyproj.db.models import HalfYearEvaluation
from keyproj.errors import Conflict, NotFound
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, require_role
from keyproj.services.half_year.compute import build, label
from keyproj.services.rankings.composite import applies

OFFICE = (Role.KEY_OFFICE, Role.ADMIN)


def run(
    session: Session,
    profile: PolicyProfile,
    viewer: Viewer | None,
    year: int,
    half: int,
    now: datetime,
) -> HalfYearEvaluation:
    """Build the half-year's evaluation and store it (key office; None: the worker)."""
    if viewer is not None:
        require_role(viewer, *OFFICE)
    figures = build(session, profile, year, half)
    _not_published(session, year, half)
    row = HalfYearEvaluation(
        profile=profile.profile.id,
        year=year,
        half=half,
        run_by_id=viewer.user_id if viewer else None,
        run_at=now,
        figures=figures,
    )
    session.add(row)
    session.flush()
    return row


def publish(
    session: Session, viewer: Viewer, evaluation_id: int, now: datetime
) -> HalfYearEvaluation:
    """The office confirms the evaluation: it is published and frozen; confirming again is a no-op."""
    require_role(viewer, *OFFICE)
    row = session.get(HalfYearEvaluation, evaluation_id, with_for_update=True)
    if row is None:
        raise NotFound(f"半年评比 {evaluation_id} 不存在")
    if row.confirmed_at is not None:
        return row
    _not_published(session, row.year, row.half)
    row.confirmed_by_id, row.confirmed_at = viewer.user_id, now
    session.flush()
    return row


def evaluation(session: Session, evaluation_id: int) -> HalfYearEvaluation:
    """One stored evaluation (every signed-in reader; figures cut by ``figures_in_scope``)."""
    row = session.get(HalfYearEvaluation, evaluation_id)
    if row is None:
        raise NotFound(f"半年评比 {evaluation_id} 不存在")
    return row


def stored(session: Session, year: int | None = None) -> list[HalfYearEvaluation]:
    """The stored evaluations (of ``year``), the newest first."""
    query = select(HalfYearEvaluation).order_by(HalfYearEvaluation.id.desc())
    if year is not None:
        query = query.where(HalfYearEvaluation.year == year)
    return list(session.scalars(query))


def figures_in_scope(row: HalfYearEvaluation, viewer: Viewer) -> dict[str, Any]:
    """A stored evaluation's figures as the viewer may see them (``in_scope``)."""
    return in_scope(row.figures, viewer)


def in_scope(figures: dict[str, Any], viewer: Viewer) -> dict[str, Any]:
    """Every unit's ranks and scores for all; each project's figures of the viewer's unit only."""
    if viewer.county_wide:
        return figures
    ranking = dict(figures["ranking"])
    for key in ("towns", "departments"):
        ranking[key] = [
            r if r["unit_id"] == viewer.unit_id else {**r, "projects": []}
            for r in ranking.get(key, [])
        ]
    return {**figures, "ranking": ranking}


def last_ended(today: date) -> tuple[int, int]:
    """The half-year that ended last before ``today``."""
    return (today.year, 1) if today.month >= 7 else (today.year - 1, 2)


def draft_due(
    session: Session, profile: PolicyProfile, today: date, now: datetime
) -> HalfYearEvaluation | None:
    """The worker's daily run: once a half-year has ended, store its evaluation for the office
    to check and publish, unless one is stored already. None where nothing is due."""
    if not applies(profile, "half_year"):
        return None
    year, half = last_ended(today)
    exists = session.scalar(
        select(HalfYearEvaluation.id).where(
            HalfYearEvaluation.year == year, HalfYearEvaluation.half == half
        )
    )
    if exists is not None:
        return None
    return run(session, profile, None, year, half, now)


def title(row: HalfYearEvaluation) -> str:
    """The evaluation's title, e.g. 2026年上半年重点项目评比."""
    return f"{label(row.year, row.half)}重点项目评比"


def _not_published(session: Session, year: int, half: int) -> None:
    done = session.scalar(
        select(HalfYearEvaluation.id).where(
            HalfYearEvaluation.year == year,
            HalfYearEvaluation.half == half,
            HalfYearEvaluation.confirmed_at.is_not(None),
        )
    )
    if done is not None:
        raise Conflict(f"{label(year, half)}评比已确认发布（第{done}号），不能再次生成或确认")
