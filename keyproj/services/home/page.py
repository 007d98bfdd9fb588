"""A user's whole home page: the sections of every role they hold, in a fixed order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from keyproj.clock import beijing_date
from keyproj.codes import Role
from keyproj.policy.model import PolicyProfile
from keyproj.services.access import Viewer
from keyproj.services.home.admin import AdminHome, admin_home
from keyproj.services.home.auditor import AuditorHome, auditor_home
from keyproj.services.home.key_office import KeyOfficeHome, key_office_home
from keyproj.services.home.leader import LeaderHome, leader_home
from keyproj.services.home.offices import (
    CountyGovHome,
    SupervisionHome,
    county_gov_home,
    supervision_home,
)
from keyproj.services.home.unit import UnitHome, unit_home
from keyproj.services.home.unit_head import UnitHeadHome, unit_head_home


@dataclass(frozen=True)
class HomePage:
    """One section per role the viewer holds; None for the roles they do not."""

    key_office: KeyOfficeHome | None = None
    unit: UnitHome | None = None
    unit_head: UnitHeadHome | None = None
    leader: LeaderHome | None = None
    county_gov: CountyGovHome | None = None
    supervision: SupervisionHome | None = None
    auditor: AuditorHome | None = None
    admin: AdminHome | None = None

    @property
    def empty(self) -> bool:
        """True when no role of the viewer has a section."""
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)


def home_page(session: Session, viewer: Viewer, profile: PolicyProfile, now: datetime) -> HomePage:
    """The viewer's home: each of their roles' counts, within what they may see."""
    has = viewer.has
    today = beijing_date(now)
    return HomePage(
        key_office=key_office_home(session, viewer, profile.deadlines.notice_working_days, now)
        if has(Role.KEY_OFFICE)
        else None,
        unit=unit_home(session, viewer, profile.reporting.cycle, now, today)
        if has(Role.UNIT_LIAISON)
        else None,
        unit_head=unit_head_home(session, viewer) if has(Role.UNIT_HEAD) else None,
        leader=leader_home(session, viewer, now) if has(Role.LEADER) else None,
        county_gov=county_gov_home(session, viewer, today) if has(Role.COUNTY_GOV) else None,
        supervision=supervision_home(session, viewer) if has(Role.SUPERVISION) else None,
        auditor=auditor_home(session, viewer) if has(Role.AUDITOR) else None,
        admin=admin_home(session, now) if has(Role.ADMIN) else None,
    )
