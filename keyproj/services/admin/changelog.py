"""The administration change log: every change an administrator makes, with who and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import AdminAction
from keyproj.db.base import length_of
from keyproj.db.models import AdminChange, User
from keyproj.paging import Page, Paging, fetch_page
from keyproj.services.access import Viewer
from keyproj.services.org.accounts import COMMAND_LINE, require_admin


@dataclass(frozen=True)
class Actor:
    """Who makes a change: an administrator's account, or the command line (no account)."""

    user_id: int | None
    name: str


CLI_ACTOR = Actor(None, COMMAND_LINE)


def actor_of(session: Session, viewer: Viewer) -> Actor:
    """The administrator ``viewer`` as the change log names them; refuses anyone else."""
    require_admin(viewer)
    user = session.get(User, viewer.user_id)
    return Actor(viewer.user_id, user.username if user is not None else str(viewer.user_id))


def record(
    session: Session,
    actor: Actor,
    action: AdminAction,
    target: str,
    now: datetime,
    details: str | None = None,
) -> AdminChange:
    """Write one change to the log, in the caller's transaction (so both stand or fall together)."""
    change = AdminChange(
        occurred_at=now,
        actor_id=actor.user_id,
        actor=actor.name,
        action=action,
        target=target[: length_of(AdminChange.target)],
        details=details,
    )
    session.add(change)
    session.flush()
    return change


def changes(session: Session, viewer: Viewer, paging: Paging) -> Page[AdminChange]:
    """A page of the log, newest first (administrators only)."""
    require_admin(viewer)
    return log_page(session, paging)


def log_page(session: Session, paging: Paging) -> Page[AdminChange]:
    """A page of the log, newest first, for the server's operator (``keyproj log``)."""
    query = select(AdminChange).order_by(AdminChange.occurred_at.desc(), AdminChange.id.desc())
    return fetch_page(session, query, paging)
