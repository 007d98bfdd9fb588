"""The demo county's units, accounts, leaders and liaisons, made the way a real county makes them.

The first administrator comes from the command line (``keyproj users``), who then creates the
units and accounts through the administration services the pages use, and fills the leader
and liaison registries by importing the same Excel templates a county's key office fills in.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from keyproj.clock import now_utc
from keyproj.codes import Role, UnitKind
from keyproj.db.models import User
from keyproj.demo import data
from keyproj.demo.county import DemoAccount, DemoCounty, LeaderInfo, Person
from keyproj.demo.data import DEMO_PASSWORD
from keyproj.passwords import hash_password
from keyproj.services.access import viewer_for
from keyproj.services.admin import units as unit_admin
from keyproj.services.admin import users as user_admin
from keyproj.services.admin.changelog import CLI_ACTOR, Actor, actor_of
from keyproj.services.org import leaders as leader_registry
from keyproj.services.org import liaisons as liaison_registry
from keyproj.services.org.directory import UserData
from keyproj.services.org.sheets import Column, workbook

REVIEWER = "fgj-review"  # the bureau's reviewer (LP8), where the profile has one
REVIEWER_UNIT = "DEPT01"  # 县发展和改革局


def usernames(units: dict[str, str]) -> list[str]:
    """Every account name the demo makes (a database holding one cannot take the demo)."""
    names = [a[0] for a in data.OFFICE_ACCOUNTS] + [REVIEWER]
    names += [f"leader{i:02d}" for i in range(1, len(data.LEADER_TITLES) + 1)]
    return names + [c.lower() for c in units] + [f"{c.lower()}-head" for c in units]


def build_people(c: DemoCounty) -> None:
    """Units, accounts, and the leader and liaison registries."""
    # One argon2 hash for the shared demo password: ~0.2 s a hash would dominate the load.
    hashed = hash_password(DEMO_PASSWORD)
    username, roles, unit, _post = data.OFFICE_ACCOUNTS[0]
    admin = _account(c, CLI_ACTOR, hashed, username, c.person(), unit, *roles)
    c.admin = viewer_for(c.session, admin)
    actor = actor_of(c.session, c.admin)
    now = now_utc()
    for code, name in c.units.items():
        kind = UnitKind.TOWN if "TOWN" in code else UnitKind.COUNTY_DEPARTMENT
        unit_admin.create_unit(c.session, actor, now, code, name, kind)
    for username, roles, unit, _post in data.OFFICE_ACCOUNTS[1:]:
        _account(c, actor, hashed, username, c.person(), unit, *roles)
    reviewer = c.person()  # drawn on every profile, so the other names do not shift
    if c.profile.reporting.reviewed_by_drb:
        _account(c, actor, hashed, REVIEWER, reviewer, REVIEWER_UNIT, Role.DRB_REVIEWER)
    leaders = _leaders(c, actor, hashed)
    liaisons = [_unit_people(c, actor, hashed, code) for code in c.units]
    registrar = c.registrar()
    sheet = registry_sheet("县领导名录", leader_registry.COLUMNS, leaders)
    leader_registry.import_leaders(c.session, registrar, sheet)
    sheet = registry_sheet("联络员名单", liaison_registry.COLUMNS, liaisons)
    liaison_registry.import_liaisons(c.session, registrar, sheet, c.today)


def _account(
    c: DemoCounty, actor: Actor, hashed: str, username: str, who: Person, unit: str, *roles: str
) -> User:
    fields = UserData(username, who[0], unit, DEMO_PASSWORD, list(roles), phone=who[1])
    user = user_admin.create(c.session, actor, now_utc(), fields, hashed)
    c.accounts.append(DemoAccount(username, who[0], unit, user.unit.name, roles))
    return user


def _leaders(c: DemoCounty, actor: Actor, hashed: str) -> list[dict[str, object]]:
    """Each county leader's account, and their row of the leader registry (linked to it)."""
    rows: list[dict[str, object]] = []
    for i, (title, linked) in enumerate(data.LEADER_TITLES, start=1):
        name, phone = c.person()
        _account(c, actor, hashed, f"leader{i:02d}", (name, phone), "XLD", Role.LEADER)
        c.leaders |= dict.fromkeys(linked, LeaderInfo(name, title, phone))
        rows.append({"name": name, "title": title, "phone": phone, "username": f"leader{i:02d}"})
    return rows


def _unit_people(c: DemoCounty, actor: Actor, hashed: str, code: str) -> dict[str, object]:
    """The unit's liaison (LP5, AL8) and head, each with an account; a deputy for the teams."""
    staff = {post: c.person() for post in ("liaison", "head", "deputy")}
    c.staff[code] = staff
    liaison = _account(c, actor, hashed, code.lower(), staff["liaison"], code, Role.UNIT_LIAISON)
    head = _account(c, actor, hashed, f"{code.lower()}-head", staff["head"], code, Role.UNIT_HEAD)
    c.viewers[code] = (viewer_for(c.session, liaison), viewer_for(c.session, head))
    name, phone = staff["liaison"]
    post = "党政办副主任" if "TOWN" in code else "办公室主任"
    since = date(c.year, 1, 1)
    return {"unit": c.units[code], "name": name, "position": post, "phone": phone, "since": since}


def registry_sheet(title: str, columns: tuple[Column, ...], rows: list[dict[str, object]]) -> bytes:
    """A registry's template (its headers) filled with ``rows``, as a key office fills it in."""
    return workbook(
        title,
        [col.header for col in columns],
        [[r.get(col.field) for col in columns] for r in rows],
    )


def user_named(c: DemoCounty, username: str) -> User:
    """A demo account by its user name."""
    return c.session.scalars(select(User).where(User.username == username)).one()
