"""The key office records bonus points for a department's quarter, with a reason (AL12)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.codes import Role, UnitKind
from keyproj.db.models import ScoreBonus, Unit
from keyproj.errors import ValidationError
from keyproj.services.access import Viewer, require_role

MAX_POINTS = Decimal(100)
REASON_MAX = 2000


def record_bonus(
    session: Session,
    viewer: Viewer,
    unit_id: int,
    key: str,
    points: str,
    reason: str,
    now: datetime,
) -> ScoreBonus:
    """Bonus points for ``unit_id`` in quarter ``key``, recorded by the key office with a reason."""
    require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    period = periods.parse("quarterly", key)
    unit = session.get(Unit, unit_id)
    if unit is None or unit.kind != UnitKind.COUNTY_DEPARTMENT:
        raise ValidationError.single("unit_id", "部门", "只能给县直部门加分")
    try:
        value = Decimal(str(points).strip())
    except InvalidOperation:
        raise ValidationError.single("points", "加分", "加分应为数字，如 2 或 1.5") from None
    if (
        not value.is_finite()
        or value <= 0
        or value > MAX_POINTS
        or value != value.quantize(Decimal("0.01"))
    ):
        raise ValidationError.single("points", "加分", "加分应大于0、不超过100，最多两位小数")
    text = (reason or "").strip()
    if not text or len(text) > REASON_MAX:
        raise ValidationError.single(
            "reason", "加分理由", f"请填写加分理由（不超过{REASON_MAX}字）"
        )
    row = ScoreBonus(
        unit_id=unit.id,
        period=period.key,
        points=value,
        reason=text,
        recorded_by_id=viewer.user_id,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    return row
