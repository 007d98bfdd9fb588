"""GS8 service units: their 服务保障承诺书 entered by the key office, scored (0–100, with a
comment) by towns and project owners, one score per scoring unit and year, editable until the
year's evaluation is confirmed; a unit's score is the mean, ranked (1, 1, 3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from keyproj.codes import UNIT_STAFF_ROLES, PledgeOutcome, Role, UnitKind
from keyproj.db.models import (
    AnnualPlan,
    Project,
    ServicePledge,
    ServiceScore,
    Unit,
    YearEndEvaluation,
)
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.inputs import LONG_TEXT, BadInput, clean_text
from keyproj.services.access import Viewer, require_role

PLACES = Decimal("0.01")
ITEMS_MAX = 30
COMMENT_MAX = LONG_TEXT


@dataclass(frozen=True)
class ServiceRow:
    """A service unit's year: its mean score, how many scored it, its rank, its pledge."""

    unit_id: int
    unit: str
    pledge_id: int
    items: list[str]
    outcome: str
    mean: Decimal | None
    count: int
    rank: int | None
    last: bool

    def as_json(self) -> dict[str, object]:
        """The row as stored with an evaluation."""
        return {
            "unit_id": self.unit_id,
            "unit": self.unit,
            "mean": None if self.mean is None else str(self.mean),
            "count": self.count,
            "rank": self.rank,
            "last": self.last,
            "outcome": self.outcome,
            "outcome_label": PledgeOutcome.label_of(self.outcome),
        }


def year_confirmed(session: Session, year: int) -> bool:
    """Whether the year's evaluation has been confirmed (pledges and scores are then final)."""
    return bool(
        session.scalar(
            select(
                exists().where(
                    YearEndEvaluation.year == year, YearEndEvaluation.confirmed_at.is_not(None)
                )
            )
        )
    )


def save_pledge(
    session: Session,
    viewer: Viewer,
    unit_id: int,
    year: int,
    items_text: str,
    outcome: str,
    now: datetime,
) -> ServicePledge:
    """The key office enters (or corrects) a service unit's pledge for ``year``: one item a line."""
    require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    _open(session, year)
    unit = session.get(Unit, unit_id)
    if unit is None or unit.kind != UnitKind.COUNTY_DEPARTMENT:
        raise ValidationError.single("unit_id", "服务单位", "服务协调单位应为县直部门")
    items = _items(items_text)
    found = PledgeOutcome.parse(outcome)
    if found is None:
        choices = "、".join(PledgeOutcome.labels().values())
        raise ValidationError.single("outcome", "承诺完成情况", f"请选择：{choices}")
    pledge = session.scalar(
        select(ServicePledge).where(ServicePledge.unit_id == unit_id, ServicePledge.year == year)
    )
    if pledge is None:
        pledge = ServicePledge(unit_id=unit_id, year=year)
        session.add(pledge)
    pledge.items, pledge.outcome = items, found
    pledge.entered_by_id, pledge.entered_at = viewer.user_id, now
    session.flush()
    return pledge


def may_score(session: Session, viewer: Viewer, year: int) -> bool:
    """Towns' staff and the staff of units leading a project in the year's plan score (GS8)."""
    if not viewer.has(*UNIT_STAFF_ROLES):
        return False
    unit = session.get(Unit, viewer.unit_id)
    if unit is not None and unit.kind == UnitKind.TOWN:
        return True
    owns = select(Project.id).where(
        Project.lead_unit_id == viewer.unit_id,
        Project.id.in_(select(AnnualPlan.project_id).where(AnnualPlan.year == year)),
    )
    return session.scalar(select(exists(owns))) or False


def score(
    session: Session,
    viewer: Viewer,
    pledge_id: int,
    value: str,
    comment: str,
    now: datetime,
) -> ServiceScore:
    """The viewer's unit scores a service unit against its pledge (0–100, a comment); once per
    unit and year, replaced until the year's evaluation is confirmed."""
    pledge = session.get(ServicePledge, pledge_id)
    if pledge is None:
        raise NotFound(f"服务承诺 {pledge_id} 不存在")
    if not may_score(session, viewer, pledge.year):
        raise PermissionDenied("只有乡镇（街区）和项目单位可以为服务协调单位打分")
    if pledge.unit_id == viewer.unit_id:
        raise PermissionDenied("不能为本单位打分")
    _open(session, pledge.year)
    points = _points(value)
    try:
        text = clean_text(comment or "", COMMENT_MAX, required=True)
    except BadInput as exc:
        raise ValidationError.single("comment", "评价意见", str(exc)) from None
    row = session.scalar(
        select(ServiceScore).where(
            ServiceScore.pledge_id == pledge_id, ServiceScore.scorer_unit_id == viewer.unit_id
        )
    )
    if row is None:
        row = ServiceScore(pledge_id=pledge_id, scorer_unit_id=viewer.unit_id)
        session.add(row)
    row.score, row.comment = points, text or ""
    row.scored_by_id, row.scored_at = viewer.user_id, now
    session.flush()
    return row


def pledges(session: Session, year: int) -> list[ServicePledge]:
    """The year's pledges, by unit code."""
    return list(
        session.scalars(
            select(ServicePledge)
            .join(Unit, Unit.id == ServicePledge.unit_id)
            .where(ServicePledge.year == year)
            .order_by(Unit.code)
        )
    )


def scores_of(session: Session, viewer: Viewer, year: int) -> list[ServiceScore]:
    """The scores the viewer may read: all for the offices and leaders, their unit's own otherwise."""
    query = (
        select(ServiceScore)
        .join(ServicePledge, ServicePledge.id == ServiceScore.pledge_id)
        .where(ServicePledge.year == year)
        .order_by(ServiceScore.pledge_id, ServiceScore.scorer_unit_id)
    )
    if not (viewer.county_wide or viewer.has(Role.LEADER)):
        query = query.where(ServiceScore.scorer_unit_id == viewer.unit_id)
    return list(session.scalars(query))


def service_ranking(session: Session, year: int) -> list[ServiceRow]:
    """Each pledged unit's mean score and competition rank; units nobody scored are not ranked."""
    found = pledges(session, year)
    scores: dict[int, list[Decimal]] = {}
    for pledge_id, value in session.execute(
        select(ServiceScore.pledge_id, ServiceScore.score).where(
            ServiceScore.pledge_id.in_([p.id for p in found])
        )
    ):
        scores.setdefault(pledge_id, []).append(Decimal(value))
    means = {
        pid: (sum(v, Decimal(0)) / len(v)).quantize(PLACES, ROUND_HALF_UP)
        for pid, v in scores.items()
    }
    values = list(means.values())
    rows = []
    for p in found:
        mean = means.get(p.id)
        rank = None if mean is None else sum(1 for v in values if v > mean) + 1
        last = mean is not None and all(v >= mean for v in values)
        count = len(scores.get(p.id, []))
        rows.append(
            ServiceRow(p.unit_id, p.unit.name, p.id, p.items, p.outcome, mean, count, rank, last)
        )
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0))


def _open(session: Session, year: int) -> None:
    if year_confirmed(session, year):
        raise Conflict(f"{year}年度考评已确认，服务承诺和打分不能再修改")


def _items(text: str) -> list[str]:
    try:
        lines = [clean_text(line, LONG_TEXT) for line in (text or "").splitlines()]
    except BadInput as exc:
        raise ValidationError.single("items", "承诺事项", str(exc)) from None
    items = [line for line in lines if line]
    if not items or len(items) > ITEMS_MAX:
        raise ValidationError.single("items", "承诺事项", f"请逐行填写承诺事项（1至{ITEMS_MAX}条）")
    return items


def _points(value: str) -> Decimal:
    try:
        points = Decimal(str(value).strip())
    except ArithmeticError:
        points = Decimal("NaN")
    if not points.is_finite() or not 0 <= points <= 100 or points != points.quantize(PLACES):
        raise ValidationError.single("score", "得分", "得分应为0至100之间的数字，最多两位小数")
    return points
