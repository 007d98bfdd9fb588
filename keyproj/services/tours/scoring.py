"""A scorer's score sheet for one project of the tour: marks per criterion (0 to the criterion's
full marks) and a comment; one sheet per scorer and project, editable until scoring closes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.clock import beijing_date
from keyproj.codes import TourState
from keyproj.db.models import Tour, TourScore
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.inputs import LONG_TEXT
from keyproj.services.access import Viewer
from keyproj.services.tours.plans import is_scorer, tour_for
from keyproj.validation import Checks

MARK_PLACES = Decimal("0.1")  # marks in tenths: 27.5 of 30


def save_sheet(
    session: Session,
    viewer: Viewer,
    tour_id: int,
    project_id: int,
    marks: dict[str, str],
    comment: str | None,
    now: datetime,
) -> TourScore:
    """Save (or replace) the viewer's sheet for a project of the tour."""
    tour = tour_for(session, viewer, tour_id)
    if not is_scorer(tour, viewer):
        raise PermissionDenied("只有观摩方案中的打分人员可以打分")
    if tour.state != TourState.SCORING:
        raise Conflict(f"观摩活动当前为“{TourState.label_of(tour.state)}”，不能打分")
    if project_id not in {s.project_id for s in tour.stops}:
        raise NotFound(f"项目 {project_id} 不在本次观摩路线中")
    day = tour.tour_on
    if beijing_date(now) < day:  # the marks are what the scorer saw on the tour (GS2, DC4)
        raise ValidationError.single(
            "tour_on",
            "观摩日期",
            f"观摩活动定于{day.year}年{day.month}月{day.day}日，当天起才能打分",
        )
    labels = {f"marks.{c['key']}": c["label"] for c in tour.criteria} | {"comment": "点评意见"}
    checks = Checks(labels)
    values = {c["key"]: _mark(checks, c, marks.get(c["key"])) for c in tour.criteria}
    text = checks.text("comment", comment, LONG_TEXT)
    checks.done()
    sheet = sheet_of(session, tour.id, project_id, viewer.user_id)
    if sheet is None:
        sheet = TourScore(tour_id=tour.id, project_id=project_id, scorer_id=viewer.user_id)
        session.add(sheet)
    sheet.marks = {k: str(v) for k, v in values.items()}
    sheet.total = sum(values.values(), Decimal(0)).quantize(Decimal("0.01"))
    sheet.comment, sheet.scored_at = text, now
    session.flush()
    return sheet


def sheet_of(session: Session, tour_id: int, project_id: int, user_id: int) -> TourScore | None:
    """A scorer's sheet for a project, if written."""
    return session.scalar(
        select(TourScore).where(
            TourScore.tour_id == tour_id,
            TourScore.project_id == project_id,
            TourScore.scorer_id == user_id,
        )
    )


def sheets_in_scope(session: Session, viewer: Viewer, tour: Tour) -> list[TourScore]:
    """The offices see every sheet; a scorer their own; others none."""
    query = select(TourScore).where(TourScore.tour_id == tour.id)
    if not viewer.county_wide:
        query = query.where(TourScore.scorer_id == viewer.user_id)
    return list(session.scalars(query.order_by(TourScore.project_id, TourScore.scorer_id)))


def _mark(checks: Checks, criterion: dict[str, object], raw: str | None) -> Decimal:
    field, weight = f"marks.{criterion['key']}", Decimal(str(criterion["weight"]))
    text = (raw or "").strip()
    if not text:
        checks.fail(field, "不能为空")
        return Decimal(0)
    try:
        value = Decimal(text)
    except InvalidOperation:
        checks.fail(field, "应为数字")
        return Decimal(0)
    if not value.is_finite() or not 0 <= value <= weight:
        checks.fail(field, f"应在0至{weight}分之间")
        return Decimal(0)
    if value != value.quantize(MARK_PLACES):
        checks.fail(field, "最多保留一位小数")
        return Decimal(0)
    return value.quantize(MARK_PLACES)
