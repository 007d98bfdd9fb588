"""Issuing bulletins: when each profile's fall due, the 文号, the archive and the DOCX (LP19, DC7, GS1)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.calendar import WorkCalendar
from keyproj.clock import BEIJING
from keyproj.codes import Role
from keyproj.db.models import Bulletin
from keyproj.errors import Conflict, NotFound
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, require_role
from keyproj.services.bulletins.figures import bulletin_period, compute
from keyproj.services.bulletins.text import document, title
from keyproj.services.cases.numbering import next_number
from keyproj.services.documents.layout import to_docx
from keyproj.services.reference.identity import county_identity

# The bulletin speaks for the key office: every project of the county, whoever asks.
COUNTY = Viewer(user_id=0, unit_id=0, roles=frozenset({Role.ADMIN}))
CATCH_UP_DAYS = 7  # a day the workers missed is made up within a week, never later


def issue_day(profile: PolicyProfile, calendar: WorkCalendar, period: periods.Period) -> date:
    """The day period's bulletin is issued. Monthly (LP19 每月11日前, DC7 after the meeting): the
    last working day on or before the profile's due day of the next month (after the month's end).
    Weekly (GS1): the
    first working day after the week."""
    if period.cycle == "weekly":
        day = period.end + timedelta(days=1)
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
        return day
    due = (period.end + timedelta(days=1)).replace(day=profile.bulletin.due_day_of_month)
    day = due
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    if day > period.end:
        return day
    # A holiday running from the month's end past the due day (5 May, 5 Oct): the bulletin
    # cannot report a month not yet over, so it goes out on the first working day after.
    day = due
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


def due_on(profile: PolicyProfile, calendar: WorkCalendar, today: date) -> list[periods.Period]:
    """The periods whose bulletin is issued on ``today``."""
    cadence = profile.bulletin.cadence
    latest = periods.containing(cadence, today)
    out: list[periods.Period] = []
    # A monthly bulletin is issued in the next month; a weekly one within a holiday or two.
    candidate = periods.containing(cadence, latest.start - timedelta(days=1))
    for _ in range(4):
        if issue_day(profile, calendar, candidate) == today:
            out.append(candidate)
        candidate = periods.containing(cadence, candidate.start - timedelta(days=1))
    return sorted(out, key=lambda p: p.start)


def prefix(session: Session, profile: PolicyProfile) -> str:
    """The bulletin's 文号 prefix: the key office's, e.g. 连重点办通报 beside 连重点办预警."""
    warning = county_identity(session, profile).warning_notice_prefix
    return warning.removesuffix("预警") + "通报"


def issue(
    session: Session, profile: PolicyProfile, key: str, viewer: Viewer | None, now: datetime
) -> Bulletin:
    """Build period ``key``'s bulletin, number it and archive it with its figures; once a period."""
    if viewer is not None:
        require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    period = bulletin_period(profile, key)
    if archived(session, profile, period.key) is not None:
        raise Conflict(f"{period.label}通报已印发")
    figures = compute(session, profile, COUNTY, period.key)
    identity = county_identity(session, profile)
    figures["issuer"] = identity.notice_issuer
    figures["county"] = identity.county_name
    year = now.astimezone(BEIJING).year
    found = Bulletin(
        profile=profile.profile.id,
        cadence=period.cycle,
        period=period.key,
        number=next_number(session, prefix(session, profile), year),
        year=year,
        title=title(identity.county_name, figures),
        issued_at=now,
        issued_by_id=viewer.user_id if viewer else None,
        figures=figures,
    )
    session.add(found)
    session.flush()
    return found


def issue_due(
    session: Session, profile: PolicyProfile, calendar: WorkCalendar, now: datetime
) -> list[Bulletin]:
    """The worker's daily run: issue every bulletin due today, or missed in the last week."""
    today = now.astimezone(BEIJING).date()
    out = []
    for back in range(CATCH_UP_DAYS, -1, -1):
        for period in due_on(profile, calendar, today - timedelta(days=back)):
            if archived(session, profile, period.key) is None:
                out.append(issue(session, profile, period.key, None, now))
    return out


def archived(session: Session, profile: PolicyProfile, key: str) -> Bulletin | None:
    """The issued bulletin of period ``key``, if any."""
    return session.scalar(
        select(Bulletin).where(
            Bulletin.profile == profile.profile.id,
            Bulletin.cadence == profile.bulletin.cadence,
            Bulletin.period == key,
        )
    )


def listed(session: Session, profile: PolicyProfile) -> list[Bulletin]:
    """Every issued bulletin of the profile, newest first (the distribution reads them all)."""
    return list(
        session.scalars(
            select(Bulletin)
            .where(Bulletin.profile == profile.profile.id)
            .order_by(Bulletin.issued_at.desc(), Bulletin.id.desc())
        )
    )


def one(session: Session, bulletin_id: int) -> Bulletin:
    """One bulletin; NotFound otherwise."""
    found = session.get(Bulletin, bulletin_id)
    if found is None:
        raise NotFound(f"通报 {bulletin_id} 不存在")
    return found


def docx(found: Bulletin) -> bytes:
    """The archived bulletin as a DOCX in official layout, from its stored figures."""
    day = found.issued_at.astimezone(BEIJING).date()
    written = f"{day.year}年{day.month}月{day.day}日"
    return to_docx(document(found.number, found.title, found.figures, written))
