"""Decided items (议定事项): recorded with their owner unit, deadline and acceptance, each
started at once as a case of the ``decided_item`` diagram (AL13 一是, DC3 三(三), GS6).

Meetings, tours and inspections record their items through ``record_items``; the office records
items not from a meeting on its own page. Every read is scoped: the offices see every item, a
unit the items it owns, a leader the items on the projects they lead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.orm import Session

from keyproj.clock import beijing_date
from keyproj.codes import (
    UNIT_STAFF_ROLES,
    DecidedItemState,
    DecisionOriginKind,
    Role,
)
from keyproj.db.models import DecidedItem, Project, Unit
from keyproj.errors import CalendarYearMissing, FieldError, NotFound, ValidationError
from keyproj.inputs import LONG_TEXT
from keyproj.paging import Page, Paging, fetch_page
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, require_role
from keyproj.services.decisions.cases import ItemStart, start_item_cases
from keyproj.services.decisions.deadlines import item_deadlines
from keyproj.services.reference.calendar import cached_calendar

# Who records decided items: the offices that hold the meetings.
RECORDERS = (Role.KEY_OFFICE, Role.COUNTY_GOV)
ROW_LABELS = {
    "matter": "议定事项",
    "owner_unit_code": "责任单位",
    "due_on": "落实期限",
    "acceptance": "验收标准",
    "project_code": "项目",
}
TITLE_MAX = 200


@dataclass(frozen=True)
class DecisionOrigin:
    """Where items were decided: the kind, its row (a meeting's id; 0 for the office's own
    page), its title and the unit that chaired it."""

    kind: str
    ref_id: int
    title: str
    chair_unit_id: int | None = None
    # HD4: the department that held the meeting; its own staff record the items too.
    host_unit_id: int | None = None


@dataclass(frozen=True)
class ItemFilters:
    """The list's filters: where decided, which owner unit, which state (None: any)."""

    origin_kind: str | None = None
    owner_unit_id: int | None = None
    state: str | None = None


def may_record(viewer: Viewer) -> bool:
    """The key office and 县府办 record decided items."""
    return viewer.has(*RECORDERS)


def record_items(
    session: Session,
    profile: PolicyProfile,
    viewer: Viewer,
    origin: DecisionOrigin,
    rows: list[dict[str, Any]],
    now: datetime,
) -> list[DecidedItem]:
    """Record the items and start each one's case; every refused cell is named
    (``items[i].field``, 议定事项第i+1项·…) and nothing is saved unless every row is good."""
    if not _hosts(viewer, origin):
        require_role(viewer, *RECORDERS)
    kind = _origin(session, origin)
    if not rows:
        raise ValidationError.single("items", "议定事项", "至少填写一项议定事项")
    problems: list[FieldError] = []
    rows_checked = [_row(session, index, row, now, problems) for index, row in enumerate(rows)]
    checked = [row for row in rows_checked if row is not None]
    if problems or len(checked) != len(rows):
        raise ValidationError(problems)
    calendar = cached_calendar(session)
    remind = profile.decisions.remind_working_days_before if profile.decisions else 1
    starts = []
    for index, (matter, owner, due_on, acceptance, project) in enumerate(checked):
        try:
            deadlines = item_deadlines(calendar, due_on, remind)
        except CalendarYearMissing as missing:
            raise ValidationError.single(
                f"items[{index}].due_on", _label(index, "due_on"), str(missing)
            ) from None
        origin_data = {
            "kind": str(kind),
            "ref_id": origin.ref_id,
            "title": origin.title.strip(),
            "chair_unit_id": origin.chair_unit_id,
        }
        starts.append(ItemStart(matter, acceptance, owner, project, deadlines, origin_data))
    cases = start_item_cases(session, profile, starts, now)
    first = _next_position(session, kind, origin.ref_id)
    items = [
        DecidedItem(
            origin_kind=kind,
            origin_ref_id=origin.ref_id,
            origin_title=origin.title.strip(),
            position=first + index,
            chair_unit_id=origin.chair_unit_id,
            matter=start.matter,
            owner_unit_id=start.owner.id,
            project_id=start.project.id if start.project else None,
            due_on=date.fromisoformat(start.deadlines["due_on"]),
            acceptance=start.acceptance,
            state=DecidedItemState.IN_PROGRESS,
            case_id=case.id,
            warning_id=case.warning_id,
            recorded_at=now,
            recorded_by_id=viewer.user_id,
        )
        for index, (start, case) in enumerate(zip(starts, cases, strict=True))
    ]
    session.add_all(items)
    session.flush()
    return items


def _hosts(viewer: Viewer, origin: DecisionOrigin) -> bool:
    """Whether the viewer is staff of the department that held the origin's meeting (HD4)."""
    return (
        origin.host_unit_id is not None
        and viewer.has(*UNIT_STAFF_ROLES)
        and viewer.unit_id == origin.host_unit_id
    )


def items_for(session: Session, viewer: Viewer, origin_kind: str, ref_id: int) -> list[DecidedItem]:
    """The items an origin (a meeting, a tour, an inspection) decided that the viewer may see."""
    query = (
        select(DecidedItem)
        .where(
            DecidedItem.origin_kind == origin_kind,
            DecidedItem.origin_ref_id == ref_id,
            item_scope(viewer),
        )
        .order_by(DecidedItem.position, DecidedItem.id)
    )
    return list(session.scalars(query))


def item_list(
    session: Session, viewer: Viewer, filters: ItemFilters, paging: Paging
) -> Page[DecidedItem]:
    """The items the viewer may see under the filters, the nearest deadline first."""
    return fetch_page(session, _list_query(viewer, filters), paging)


def item_of(session: Session, viewer: Viewer, item_id: int) -> DecidedItem:
    """One item in the viewer's scope; any other is NotFound."""
    found = session.scalar(select(DecidedItem).where(DecidedItem.id == item_id, item_scope(viewer)))
    if found is None:
        raise NotFound(f"议定事项 {item_id} 不存在或无权查看")
    return found


def item_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Items the viewer may see: the offices every one, a unit those it owns or follows up, a
    leader those on the projects they lead."""
    if viewer.county_wide:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if viewer.has(*UNIT_STAFF_ROLES):
        clauses.append(DecidedItem.owner_unit_id == viewer.unit_id)
        # The unit that follows an item up (DC7 三(三); a department's own meeting, HD4).
        clauses.append(DecidedItem.chair_unit_id == viewer.unit_id)
    if viewer.leader_id is not None:
        led = select(Project.id).where(Project.leader_id == viewer.leader_id)
        clauses.append(DecidedItem.project_id.in_(led))
    return or_(*clauses) if clauses else false()


def _list_query(viewer: Viewer, filters: ItemFilters) -> Select[DecidedItem]:
    query = select(DecidedItem).where(item_scope(viewer))
    if filters.origin_kind:
        query = query.where(DecidedItem.origin_kind == filters.origin_kind)
    if filters.owner_unit_id:
        query = query.where(DecidedItem.owner_unit_id == filters.owner_unit_id)
    if filters.state:
        query = query.where(DecidedItem.state == filters.state)
    return query.order_by(DecidedItem.due_on, DecidedItem.id)


def _origin(session: Session, origin: DecisionOrigin) -> DecisionOriginKind:
    """The origin's kind, with its title and chair unit checked."""
    kind = DecisionOriginKind.parse(origin.kind)
    problems = []
    if kind is None:
        problems.append(FieldError("origin.kind", "议定来源", f"未知来源“{origin.kind}”"))
    title = (origin.title or "").strip()
    if not title:
        problems.append(FieldError("origin.title", "会议名称", "不能为空"))
    elif len(title) > TITLE_MAX:
        problems.append(FieldError("origin.title", "会议名称", f"不能超过{TITLE_MAX}个字"))
    if origin.chair_unit_id is not None and session.get(Unit, origin.chair_unit_id) is None:
        problems.append(FieldError("origin.chair_unit_id", "主持单位", "单位不存在"))
    if problems:
        raise ValidationError(problems)
    assert kind is not None
    return kind


Checked = tuple[str, Unit, date, str, Project | None]
Fail = Callable[[str, str], None]


def _row(
    session: Session, index: int, row: dict[str, Any], now: datetime, problems: list[FieldError]
) -> Checked | None:
    """One row's values; each refused cell joins ``problems``."""
    found: list[FieldError] = []

    def fail(name: str, reason: str) -> None:
        found.append(FieldError(f"items[{index}].{name}", _label(index, name), reason))

    matter = _text(row.get("matter"), "matter", fail)
    acceptance = _text(row.get("acceptance"), "acceptance", fail)
    owner = _unit(session, row.get("owner_unit_code"), fail)
    due_on = _due(row.get("due_on"), beijing_date(now), fail)
    project = _project(session, row.get("project_code"), fail)
    problems.extend(found)
    if matter is None or owner is None or due_on is None or acceptance is None or found:
        return None
    return matter, owner, due_on, acceptance, project


def _label(index: int, name: str) -> str:
    return f"议定事项第{index + 1}项·{ROW_LABELS[name]}"


def _text(value: Any, name: str, fail: Fail) -> str | None:
    if not isinstance(value, str) or not value.strip():
        fail(name, "不能为空" if value in (None, "") or isinstance(value, str) else "应为文本")
        return None
    if len(value.strip()) > LONG_TEXT:
        fail(name, f"不能超过{LONG_TEXT}个字")
        return None
    return value.strip()


def _unit(session: Session, code: Any, fail: Fail) -> Unit | None:
    if not isinstance(code, str) or not code.strip():
        fail("owner_unit_code", "不能为空")
        return None
    unit = session.scalar(select(Unit).where(Unit.code == code.strip()))
    if unit is None or not unit.active:
        fail("owner_unit_code", f"未知单位“{code.strip()}”")
        return None
    return unit


def _due(value: Any, today: date, fail: Fail) -> date | None:
    if not isinstance(value, str) or not value.strip():
        fail("due_on", "不能为空")
        return None
    try:
        due = date.fromisoformat(value.strip())
    except ValueError:
        fail("due_on", "日期格式应为YYYY-MM-DD")
        return None
    if due < today:
        fail("due_on", "不能早于今天")
        return None
    return due


def _project(session: Session, code: Any, fail: Fail) -> Project | None:
    if code is None or (isinstance(code, str) and not code.strip()):
        return None
    if not isinstance(code, str):
        fail("project_code", "应为文本")
        return None
    project = session.scalar(select(Project).where(Project.code == code.strip()))
    if project is None:
        fail("project_code", f"未知项目“{code.strip()}”")
    return project


def _next_position(session: Session, kind: DecisionOriginKind, ref_id: int) -> int:
    """The place after the origin's last item (the office's own page numbers its items too)."""
    last = session.scalar(
        select(DecidedItem.position)
        .where(DecidedItem.origin_kind == kind, DecidedItem.origin_ref_id == ref_id)
        .order_by(DecidedItem.position.desc())
        .limit(1)
    )
    return (last or 0) + 1
