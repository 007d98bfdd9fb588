"""What the demo loader knows of the county as it builds it: people, accounts, projects."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from keyproj.db.models import Project
from keyproj.demo import data
from keyproj.demo.data import Scheme
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer

SEED = 2026
Person = tuple[str, str]  # name, mobile number


@dataclass(frozen=True)
class DemoAccount:
    """One demo sign-in; every one has DEMO_PASSWORD."""

    username: str
    display_name: str
    unit_code: str
    unit_name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class LeaderInfo:
    """A county leader as the registry holds them."""

    name: str
    title: str
    phone: str


@dataclass
class DemoCounty:
    """The county under construction. One Random drives every choice and the same draws are
    made on every profile, so only what a profile decides (team roles, the bureau's reviewer,
    the report cycle) differs between them."""

    session: Session
    profile: PolicyProfile
    today: date
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    names: set[str] = field(default_factory=set)
    units: dict[str, str] = field(default_factory=lambda: dict(data.TOWNS + data.DEPARTMENTS))
    staff: dict[str, dict[str, Person]] = field(default_factory=dict)  # unit → post → person
    leaders: dict[str, LeaderInfo] = field(default_factory=dict)  # lead unit → linked leader
    viewers: dict[str, tuple[Viewer, Viewer]] = field(default_factory=dict)  # (liaison, head)
    admin: Viewer | None = None  # the administrator who sets the county up
    accounts: list[DemoAccount] = field(default_factory=list)
    schemes: list[Scheme] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)

    @property
    def year(self) -> int:
        """The year the demo's plans and reports are of."""
        return self.today.year

    def person(self) -> Person:
        """A fresh fictional person."""
        return data.person(self.rng, self.names)

    def registrar(self) -> Viewer:
        """The administrator's viewer (made first of all the accounts)."""
        assert self.admin is not None  # people.build_people makes it before anything else
        return self.admin
