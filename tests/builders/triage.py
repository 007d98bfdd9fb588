"""The key office's triage, driven through its services: notices for every queued warning."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import Lane
from keyproj.db.models import Case, EarlyWarning, Unit
from keyproj.policy import PolicyProfile
from keyproj.services.cases.events import OfficeActor
from keyproj.services.cases.lanes import office_units
from keyproj.services.triage.notices import Selected, by_project, issue_matters, proposed_form
from keyproj.services.triage.queue import queued


def automatic(profile: PolicyProfile) -> PolicyProfile:
    """The profile with automatic first notices switched on (``triage.auto_notice``)."""
    triage = profile.triage.model_copy(update={"auto_notice": True})
    return profile.model_copy(update={"triage": triage})


def issue_all_queued(
    session: Session, profile: PolicyProfile, now: datetime, portfolio_unit: str = "ZDB"
) -> list[Case]:
    """Issue one notice per project matter for every queued warning, on the proposed form, as
    the key office does from its triage; portfolio warnings are addressed to ``portfolio_unit``."""
    warnings = list(session.scalars(select(EarlyWarning).where(queued()).order_by(EarlyWarning.id)))
    if not warnings:
        return []
    selected = []
    for project_id, group in by_project(warnings).items():
        form = proposed_form(session, profile, group)
        if project_id is None:
            form["lead_unit_code"] = portfolio_unit
        selected.append(Selected(group, form))
    units = office_units(session, Lane.KEY_OFFICE)
    return issue_matters(session, OfficeActor(units[0] if units else None), selected, profile, now)


def unit_code(session: Session, unit_id: int) -> str:
    """A unit's code."""
    return session.get_one(Unit, unit_id).code
