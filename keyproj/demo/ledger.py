"""The demo's projects, plans and teams, taken in through the ledger and team imports.

The loader fills in the ledger template (the 「重点项目台账」 and 「年度计划分解」 sheets) and the
team template as a key office would, and imports them: every check a real county's files meet,
the demo's meet too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from keyproj.clock import BEIJING
from keyproj.codes import TeamRole
from keyproj.db.models import Project
from keyproj.demo import data
from keyproj.demo.county import DemoCounty, Person
from keyproj.demo.data import Scheme
from keyproj.demo.people import registry_sheet
from keyproj.services.org import liaisons as liaison_registry
from keyproj.services.projects import plans, teams
from keyproj.services.projects.ledger.breakdown import BREAKDOWN_COLUMNS, BREAKDOWN_TITLE
from keyproj.services.projects.ledger.columns import COLUMNS, Column, write_cell
from keyproj.services.projects.ledger.export import SHEET_TITLE, export_template, put_value
from keyproj.services.projects.ledger.importing import import_projects
from keyproj.services.projects.project import project_by_code

Cells = dict[str, Any]


@dataclass
class _Ledger:
    """The rows of the demo's ledger and the day each plan was filed."""

    projects: list[Cells]
    periods: list[Cells]
    filed: dict[int, date]  # project position → the day its plan was filed (LP6)


def import_ledger(c: DemoCounty) -> None:
    """Draw the projects' year, import them with their plans, then their teams."""
    helpers = _draw_projects(c)
    ledger = _ledger(c)
    book = ledger_workbook(c.profile.plans.breakdown, c.year, ledger.projects, ledger.periods)
    # Taken in when the last plan was filed: a county imports its ledger early in the year,
    # before its completed projects' planned completion dates have passed.
    taken_on = max(ledger.filed.values(), default=c.today)
    import_projects(c.session, book, c.year, c.profile.plans.breakdown, today=taken_on)
    c.projects = [_stored(c, row["code"]) for row in ledger.projects]
    _backdate_plans(c, ledger.filed)
    _import_teams(c, helpers)
    _import_builder_liaisons(c)


def _import_builder_liaisons(c: DemoCounty) -> None:
    """Ten construction units' liaisons (LP5), named by project code in the liaison import."""
    rows: list[Cells] = []
    for i in sorted(c.rng.sample(range(len(data.PROJECTS)), 10)):
        name, phone = c.person()
        rows.append(
            {"name": name, "position": "项目联络员", "phone": phone, "project": c.projects[i].code}
        )
    sheet = registry_sheet("联络员名单", liaison_registry.COLUMNS, rows)
    liaison_registry.import_liaisons(c.session, c.registrar(), sheet, c.today)


def ledger_workbook(cycle: str, year: int, projects: list[Cells], periods: list[Cells]) -> bytes:
    """The product's ledger template with ``projects`` and their plan ``periods`` filled in."""
    book = load_workbook(BytesIO(export_template(cycle, year)))
    _fill(book[SHEET_TITLE], COLUMNS, projects)
    _fill(book[BREAKDOWN_TITLE], BREAKDOWN_COLUMNS, periods)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(sheet: Any, columns: tuple[Column, ...], rows: list[Cells]) -> None:
    for number, values in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(number, index)
            put_value(cell, write_cell(column, values.get(column.field)))
            if column.kind == "date":
                cell.number_format = "yyyy-mm-dd"


def _draw_projects(c: DemoCounty) -> list[Person]:
    """Each project's year (nature, track, figures, dates); the key office's helpers for teams."""
    order = list(range(len(data.PROJECTS)))
    c.rng.shuffle(order)
    natures = dict.fromkeys(order[:3], "preliminary") | dict.fromkeys(order[3:7], "completed")
    natures |= dict.fromkeys(order[7:27], "continued") | dict.fromkeys(order[27:], "new")
    not_started = {*order[:3], *c.rng.sample(order[27:], 2)}  # ~10%
    lagging = set(c.rng.sample([i for i in order if i not in not_started], 13))  # 25%
    helpers = [c.person() for _ in range(6)]
    for i, spec in enumerate(data.PROJECTS):
        track = "not_started" if i in not_started else "lagging" if i in lagging else "on_track"
        c.schemes.append(data.draw_scheme(c.rng, spec, natures[i], track, c.today))
    return helpers


def _ledger(c: DemoCounty) -> _Ledger:
    """The ledger's rows: approved plans for all but three projects (their missing plan is LP6's)."""
    kind = c.profile.plans.breakdown
    fresh = [i for i, s in enumerate(c.schemes) if s.nature == "new" and s.start]
    early = next(i for i, s in enumerate(c.schemes) if s.nature == "preliminary")
    unfiled = {early, *c.rng.sample(fresh, 2)}
    ledger = _Ledger([], [], {})
    for i, s in enumerate(c.schemes):
        row = _project_row(c, s, i + 1)
        s.rows = data.breakdown(s, c.year, kind)
        ledger.projects.append(row)
        if i in unfiled:
            row["annual_investment"] = None
            continue
        ledger.periods += [
            {
                "code": row["code"],
                "period": p.key,
                "planned_investment": amount,
                "planned_progress_pct": pct,
                "milestone": data.milestone(s, pct, amount),
            }
            for p, amount, pct in s.rows
        ]
        # Filed within LP6's month of the approval, not on the day the demo is loaded.
        ledger.filed[i] = min(c.today, s.approved_on + timedelta(days=c.rng.randint(5, 25)))
    return ledger


def _project_row(c: DemoCounty, s: Scheme, serial: int) -> Cells:
    rng, spec, sector = c.rng, s.spec, data.SECTORS[s.spec.sector]
    levels = ("provincial", "city", "county", "central_budget")
    level = "provincial" if spec.big else rng.choices(levels, (1, 3, 5, 1))[0]
    level = "county" if spec.private and level == "central_budget" else level
    public_works = spec.sector in ("water", "supply", "sewage", "school", "hospital", "farm")
    central = rng.random() < 0.3 and public_works and not spec.private
    old = s.nature in ("continued", "completed")
    code_year = s.planned_start.year if old else c.year - rng.randint(0, 1)
    kind, number = "03" if spec.private else "01", rng.randint(1, 999999)
    stage = "under_construction" if s.start and s.start <= c.today else "preparation"
    if s.nature == "completed" and s.track == "on_track" and s.planned_completion <= c.today:
        stage = "acceptance"
    return {
        "serial": serial,
        "name": spec.name,
        "code": f"{code_year}-{data.DIVISION_CODE}-{sector.industry}-{kind}-{number:06d}",
        "level": level,
        "nature": s.nature,
        "stage": stage,
        "total_investment": Decimal(s.total),
        "central_funds": central or level == "central_budget",
        "government_invested": not spec.private,
        "annual_investment": Decimal(s.annual),
        "lead_unit_code": c.units[spec.lead],  # the ledger names the unit as people write it
        "construction_unit": spec.builder,
        "leader_name": c.leaders[spec.lead].name,
        "location": f"示范县{c.units[s.town]}",
        "industry_chain": spec.chain,
        "approved_on": s.approved_on,
        "planned_start": s.planned_start,
        "planned_completion": s.planned_completion,
    }


def _stored(c: DemoCounty, code: str) -> Project:
    project = project_by_code(c.session, code)
    assert project is not None  # the import has just created it
    return project


def _backdate_plans(c: DemoCounty, filed: dict[int, date]) -> None:
    """History, not today: each plan was filed and approved on its own day."""
    for i, day in filed.items():
        version = plans.current_version(c.session, c.projects[i].id, c.year)
        assert version is not None  # the ledger filed it
        moment = datetime.combine(day, time(10, 0), BEIJING)
        version.created_at = version.submitted_at = version.decided_at = moment


def _import_teams(c: DemoCounty, helpers: list[Person]) -> None:
    """Every project's team in the roles the profile names (GS3 "1+3", DC1's site sign)."""
    roles = teams.team_roles(c.profile)
    rows: list[Cells] = []
    for n, (s, project) in enumerate(zip(c.schemes, c.projects, strict=True)):
        members = _members(c, s, c.rng.choice(helpers), n)
        rows += [{"project_code": project.code, **members[role]} for role in roles]
    if rows:
        sheet = registry_sheet("项目专班", teams.COLUMNS, rows)
        teams.import_teams(c.session, c.registrar(), sheet, c.profile)


def _members(c: DemoCounty, s: Scheme, helper: Person, n: int) -> dict[TeamRole, Cells]:
    """Someone for every role a county may name, drawn alike on every profile."""
    lead, leader, staff = s.spec.lead, c.leaders[s.spec.lead], c.staff[s.spec.lead]
    town = "TOWN" in lead
    helping = s.town if s.town != lead else "DEPT03"
    builder, cooperating, inspector = c.person(), c.person(), c.person()

    def member(role: TeamRole, who: Person, position: str, org_name: str) -> Cells:
        return {
            "role": role.label,
            "name": who[0],
            "position": position,
            "org_name": org_name,
            "phone": who[1],
        }

    return {
        TeamRole.CHIEF: member(
            TeamRole.CHIEF, (leader.name, leader.phone), leader.title, "县人民政府"
        ),
        TeamRole.ASSISTANT: member(
            TeamRole.ASSISTANT, staff["deputy"], "副镇长" if town else "副局长", c.units[lead]
        ),
        TeamRole.RESPONSIBLE: member(
            TeamRole.RESPONSIBLE, staff["head"], "镇长" if town else "局长", c.units[lead]
        ),
        TeamRole.HELPER: member(TeamRole.HELPER, helper, "重点办干部", "县重点项目建设办公室"),
        TeamRole.CONSTRUCTION_CONTACT: member(
            TeamRole.CONSTRUCTION_CONTACT, builder, "项目负责人", s.spec.builder
        ),
        TeamRole.COOPERATING_CONTACT: member(
            TeamRole.COOPERATING_CONTACT, cooperating, "分管负责人", c.units[helping]
        ),
        TeamRole.DISCIPLINE_INSPECTOR: member(
            TeamRole.DISCIPLINE_INSPECTOR,
            inspector,
            "专职纪检监察员",
            f"县纪委监委派驻第{n % 6 + 1}纪检监察组",
        ),
    }
