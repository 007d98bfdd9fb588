"""Issuing notices from triage (LP13): one case per project matter, its notice issued at once.

The office fills the notice form (proposed from the warnings and the profile's template);
the case starts covering the chosen warnings, its LP13 clock anchored to the earliest
warning's raising, and its 发出预警催办通知 task is completed with the form, numbered as any
notice. Several matters (a bulk action, or the profile's automatic notices) start together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from keyproj.clock import BEIJING
from keyproj.codes import Role, WarningStatus
from keyproj.db.models import Case, EarlyWarning, Project, ProjectIssue, Unit
from keyproj.errors import Conflict, NotFound, ValidationError
from keyproj.forms import validate_form
from keyproj.policy import PolicyProfile
from keyproj.rules.base import among
from keyproj.services import access
from keyproj.services.access import Viewer
from keyproj.services.cases import hooks, numbering, repository
from keyproj.services.cases.collector import collection_paused
from keyproj.services.cases.commands import complete_opened
from keyproj.services.cases.events import NOTICE_TASK, Actor
from keyproj.services.cases.start import Matter, start_opened
from keyproj.services.triage import routing
from keyproj.services.triage.queue import strength, strongest_level

NOTICE_FORM = "issue_notice"
# What the routing proposal records on the notice, beside the office's choice (LP14–16).
PROPOSAL = ("routing_proposed", "routing_unit_proposed", "routing_clause", "routing_why")
PORTFOLIO_REFUSED = "组合预警（不属于具体项目）没有牵头单位，请逐条填写通知"


@dataclass(frozen=True)
class Selected:
    """Queued warnings of one project matter, with the notice to issue for them."""

    warnings: Sequence[EarlyWarning]
    form: dict[str, Any]


def take_queued(session: Session, warning_ids: Sequence[int]) -> list[EarlyWarning]:
    """The chosen warnings, locked, each still in the queue; NotFound or Conflict names the one
    that is not (another officer acted on it meanwhile)."""
    ids = sorted({int(i) for i in warning_ids})
    if not ids:
        raise ValidationError.single("warning_ids", "预警", "请至少选择一条预警")
    query = select(EarlyWarning).where(among(EarlyWarning.id, ids)).order_by(EarlyWarning.id)
    found = {w.id: w for w in session.scalars(query.with_for_update())}
    for warning_id in ids:
        warning = found.get(warning_id)
        if warning is None:
            raise NotFound(f"预警 {warning_id} 不存在")
        if warning.status != WarningStatus.OPEN or warning.case_id is not None:
            raise Conflict(f"预警 {warning_id} 已立案或已处置，不在待研判清单中，请刷新后重试")
    return [found[i] for i in ids]


def by_project(warnings: Sequence[EarlyWarning]) -> dict[int | None, list[EarlyWarning]]:
    """The warnings per project (None: portfolio), in project order."""
    groups: dict[int | None, list[EarlyWarning]] = {}
    for warning in warnings:
        groups.setdefault(warning.project_id, []).append(warning)
    return dict(sorted(groups.items(), key=lambda item: item[0] or 0))


def proposed_form(
    session: Session, profile: PolicyProfile, warnings: Sequence[EarlyWarning]
) -> dict[str, Any]:
    """The notice the office is offered for a project matter: the strongest level of the
    warnings, the routing and unit the profile's table gives (LP14–16), the template's text."""
    project = session.get(Project, warnings[0].project_id) if warnings[0].project_id else None
    proposal = _routing(session, profile, project, warnings)
    unit = session.get(Unit, proposal.unit_id) if proposal is not None else None
    issues = "\n".join(
        f"{n}. {(w.evidence or {}).get('summary') or w.rule_id}"
        for n, w in enumerate(_strongest_first(warnings), 1)
    )
    text = profile.triage.notice_template.format(
        project=project.name if project else "",
        unit=unit.name if unit else "",
        issues=issues,
        days=profile.deadlines.response_working_days,
    )
    form: dict[str, Any] = {
        "level": strongest_level([str(w.level) for w in warnings]),
        "routing": proposal.level if proposal else "county_department",
        "notice_text": text,
    }
    if proposal is not None and unit is not None:
        form |= {
            "lead_unit_code": unit.code,
            "routing_proposed": proposal.level,
            "routing_unit_proposed": unit.code,
            "routing_clause": proposal.clause,
            "routing_why": proposal.why,
        }
    return form


def _routing(
    session: Session,
    profile: PolicyProfile,
    project: Project | None,
    warnings: Sequence[EarlyWarning],
) -> routing.Routing | None:
    """The routing of a project matter by the issue its warnings name (none for the portfolio)."""
    if project is None:
        return None
    category = routing.issue_category_of(session, [w.evidence or {} for w in warnings])
    return routing.route(session, profile, project, category)


def _with_proposal(
    session: Session,
    profile: PolicyProfile,
    warnings: Sequence[EarlyWarning],
    form: dict[str, Any],
) -> dict[str, Any]:
    """The office's form with the routing proposal recorded beside its choice; a choice that
    differs from the proposal needs its reason (LP14–16)."""
    proposal = {k: v for k, v in proposed_form(session, profile, warnings).items() if k in PROPOSAL}
    routing.check_override(proposal, form)
    # The proposal is the system's record: whatever the sender wrote in its fields is dropped.
    dropped = set(PROPOSAL)
    if not str(form.get(routing.REASON_FIELD) or "").strip():
        dropped.add(routing.REASON_FIELD)
    return {**{k: v for k, v in form.items() if k not in dropped}, **proposal}


def proposal_for(
    session: Session, profile: PolicyProfile, warning_ids: Sequence[int]
) -> dict[str, Any]:
    """The proposed notice form for a queued matter's warnings (the page's and the API's)."""
    warnings = session.scalars(
        select(EarlyWarning).where(among(EarlyWarning.id, list(warning_ids)))
    )
    return proposed_form(session, profile, list(warnings))


def issue_notice(
    session: Session,
    viewer: Viewer,
    warning_ids: Sequence[int],
    form: dict[str, Any],
    profile: PolicyProfile,
    now: datetime,
) -> Case:
    """One notice covering the chosen warnings of one project (LP13), as the office wrote it."""
    access.require_role(viewer, Role.KEY_OFFICE)
    validate_form(NOTICE_FORM, form)  # refused before anything is started
    warnings = take_queued(session, warning_ids)
    if len(by_project(warnings)) > 1:
        raise ValidationError.single(
            "warning_ids", "预警", "一份通知只能针对一个项目，请按项目分别发出或使用批量发出"
        )
    form = _with_proposal(session, profile, warnings, form)
    return issue_matters(session, viewer, [Selected(warnings, form)], profile, now)[0]


def issue_bulk(
    session: Session,
    viewer: Viewer,
    warning_ids: Sequence[int],
    profile: PolicyProfile,
    now: datetime,
) -> list[Case]:
    """One notice per project over a selection across projects, each on the profile's template
    with the proposed unit (LP13)."""
    access.require_role(viewer, Role.KEY_OFFICE)
    groups = by_project(take_queued(session, warning_ids))
    if None in groups:
        raise ValidationError.single("warning_ids", "预警", PORTFOLIO_REFUSED)
    loaded = preload(session, [w for ws in groups.values() for w in ws])
    with routing.teams_known(session, [p for p in groups if p is not None]):
        selected = [Selected(ws, proposed_form(session, profile, ws)) for ws in groups.values()]
    del loaded  # held while proposing (see preload)
    return issue_matters(session, viewer, selected, profile, now)


@collection_paused()  # a batch's instances are many small objects (see cases.collector)
def issue_matters(
    session: Session,
    actor: Actor,
    selected: Sequence[Selected],
    profile: PolicyProfile,
    now: datetime,
) -> list[Case]:
    """Start one case per matter and issue its notice, all in the caller's transaction.

    A Viewer must be allowed to take the notice task (the key office, X2); the profile's
    automatic notices act as the key office without an account.
    """
    matters = [
        Matter(_earliest_first(s.warnings), min(w.raised_at for w in s.warnings)) for s in selected
    ]
    # The new cases are stepped as they were started: no reading back, no decoding.
    started = start_opened(session, matters, profile, now)
    cases = [opened.case for opened in started]
    forms = {case.id: s.form for case, s in zip(cases, selected, strict=True)}
    batch = sorted(started, key=lambda opened: opened.case.id)  # as opening them would
    # The batch's notice numbers in one taking, its named units in one query (LP13).
    year = now.astimezone(BEIJING).year
    with (
        numbering.notice_numbers_reserved(session, profile, year, len(batch)),
        hooks.units_known(session, _codes(forms.values())),
    ):
        for opened in batch:
            row = next(t for t in opened.tasks if t.name == NOTICE_TASK)
            if isinstance(actor, Viewer):
                access.require_may_take(actor, row)
            complete_opened(session, opened, actor, row, forms[opened.case.id], profile, now)
    repository.save_batch(session, batch)
    return cases


def _codes(forms: Iterable[dict[str, Any]]) -> list[str]:
    """The unit codes notices name: lead and phase units."""
    return [
        code
        for form in forms
        for code in (form.get("lead_unit_code"), *(form.get("phase_unit_codes") or ()))
    ]


def preload(session: Session, warnings: Sequence[EarlyWarning]) -> list[Any]:
    """Read what the proposals of these warnings' notices look up, a query a kind instead of
    a few a matter: their projects with lead units, and the ledger issues they name.

    The caller keeps the list while it proposes: the session holds its objects only weakly.
    """
    project_ids = sorted({w.project_id for w in warnings if w.project_id is not None})
    issue_ids = sorted(
        {i for w in warnings if isinstance(i := (w.evidence or {}).get("issue_id"), int)}
    )
    loaded: list[Any] = []
    if project_ids:
        query = select(Project).where(among(Project.id, project_ids))
        loaded += session.scalars(query.options(selectinload(Project.lead_unit))).all()
    if issue_ids:
        loaded += session.scalars(select(ProjectIssue).where(among(ProjectIssue.id, issue_ids)))
    return loaded


def _earliest_first(warnings: Sequence[EarlyWarning]) -> list[EarlyWarning]:
    """The primary warning first: the earliest raised (the strongest among those)."""
    return sorted(
        warnings, key=lambda w: (w.raised_at, strength(str(w.level), str(w.colour), w.rule_id))
    )


def _strongest_first(warnings: Sequence[EarlyWarning]) -> list[EarlyWarning]:
    return sorted(warnings, key=lambda w: strength(str(w.level), str(w.colour), w.rule_id))
