"""What the decided items' pages and API show: rows with names and labels, and the choices of
the office's form."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.codes import DecidedItemState, DecisionOriginKind
from keyproj.db.models import DecidedItem, Meeting, Project, Unit
from keyproj.paging import Page, Paging
from keyproj.services.access import Viewer, project_scope
from keyproj.services.decisions.items import ItemFilters, item_list, may_record
from keyproj.services.decisions.progress import item_of_case
from keyproj.services.meetings.agenda import meeting_scope

# Origins whose items come from a meeting's page (ref: the meeting's id).
MEETING_ORIGINS = (DecisionOriginKind.MEETING, DecisionOriginKind.APPROVAL_MEETING)
STATE_TAGS = {
    DecidedItemState.IN_PROGRESS: "blue",
    DecidedItemState.OVERDUE: "red",
    DecidedItemState.REPORTED: "yellow",
    DecidedItemState.DONE: "green",
    DecidedItemState.REJECTED: "yellow",
}


@dataclass(frozen=True)
class ItemRow:
    """One decided item as the list shows it."""

    id: int
    origin_kind: str
    origin: str
    origin_title: str
    position: int
    matter: str
    owner_unit_id: int
    owner_unit: str
    project: str
    due_on: date
    acceptance: str
    state: str
    state_label: str
    tag: str
    case_id: int
    recorded_at: str
    overdue_at: str | None
    done_at: str | None
    rejection_reason: str | None
    meeting_id: int | None = None  # the meeting it came from, where the viewer may open it


@dataclass(frozen=True)
class Choices:
    """What the office's form and the list's filters offer: units and projects by code."""

    units: list[tuple[str, str]]  # code, name
    owners: list[tuple[int, str]]  # id, name (the list's filter)
    projects: list[tuple[str, str]]  # code, name


def rows(session: Session, viewer: Viewer, filters: ItemFilters, paging: Paging) -> Page[ItemRow]:
    """A page of the items in the viewer's scope under the filters, as rows."""
    return item_list(session, viewer, filters, paging).map(row_of)


def row_of(item: DecidedItem) -> ItemRow:
    """One item as shown."""
    state = DecidedItemState(item.state)
    return ItemRow(
        id=item.id,
        origin_kind=str(item.origin_kind),
        origin=DecisionOriginKind.label_of(str(item.origin_kind)) or str(item.origin_kind),
        origin_title=item.origin_title,
        position=item.position,
        matter=item.matter,
        owner_unit_id=item.owner_unit_id,
        owner_unit=item.owner_unit.name,
        project=item.project.name if item.project else "—",
        due_on=item.due_on,
        acceptance=item.acceptance,
        state=str(state),
        state_label=state.label,
        tag=STATE_TAGS[state],
        case_id=item.case_id,
        recorded_at=_local(item.recorded_at) or "",
        overdue_at=_local(item.overdue_at),
        done_at=_local(item.done_at),
        rejection_reason=item.rejection_reason,
    )


def item_row_of_case(session: Session, viewer: Viewer, case_id: int) -> ItemRow | None:
    """The item a case carries out, as shown (the case page checked the viewer's scope), with
    its meeting where the viewer may open that meeting's page."""
    item = item_of_case(session, case_id)
    if item is None:
        return None
    row = row_of(item)
    meeting = _meeting_of(session, viewer, item)
    return replace(row, meeting_id=meeting) if meeting is not None else row


def _meeting_of(session: Session, viewer: Viewer, item: DecidedItem) -> int | None:
    """The id of the meeting that decided the item, if it came from one the viewer may see
    (an item typed on the office's own page has no meeting row: ref 0)."""
    if item.origin_kind not in MEETING_ORIGINS or item.origin_ref_id <= 0:
        return None
    query = select(Meeting.id).where(Meeting.id == item.origin_ref_id, meeting_scope(viewer))
    return session.scalar(query)


def choices(session: Session, viewer: Viewer) -> Choices:
    """The active units and the projects the viewer may see; the form's lists only for those
    who record items."""
    units = session.execute(
        select(Unit.id, Unit.code, Unit.name).where(Unit.active.is_(True)).order_by(Unit.code)
    ).all()
    projects: list[tuple[str, str]] = []
    if may_record(viewer):
        projects = [
            (code, name)
            for code, name in session.execute(
                select(Project.code, Project.name)
                .where(project_scope(viewer))
                .order_by(Project.code)
            )
        ]
    return Choices(
        units=[(code, name) for _, code, name in units],
        owners=[(uid, name) for uid, _, name in units],
        projects=projects,
    )


def _local(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
