"""The sampling plan of a spot-check cycle (LP10): every project of 5亿元 or more, plus a
reproducible random draw of the others; the key office may add or remove others with a reason."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.clock import beijing_date
from keyproj.codes import ProjectStage, Role
from keyproj.codes.sitework import SampleReason
from keyproj.db.models import Project, SpotCheckEntry, SpotCheckPlan
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.inputs import LONG_TEXT
from keyproj.policy import PolicyProfile
from keyproj.policy.sitework import SpotChecks
from keyproj.services.access import Viewer, require_role
from keyproj.validation import Checks

LABELS = {
    "project_id": "项目",
    "note": "增列理由",
    "removal_reason": "移出理由",
    "seed": "随机种子",
}
SEED_RANGE = (1, 2**31 - 1)


def rules(profile: PolicyProfile) -> SpotChecks:
    """The profile's spot-check rules; a county without LP10's spot checks has none."""
    if profile.spot_checks is None:
        raise PermissionDenied("本县政策配置未建立随机抽查制度")
    return profile.spot_checks


def threshold(profile: PolicyProfile) -> Decimal:
    """The total investment (万元) at or above which a project is in every cycle's plan (LP10)."""
    return Decimal(str(profile.warnings.spot_check_min_investment_wan)).normalize()


def cycle_of(profile: PolicyProfile, day: date) -> periods.Period:
    """The spot-check cycle that ``day`` (Beijing) falls in."""
    return periods.containing(rules(profile).cycle, day)


@dataclass(frozen=True)
class Draw:
    """The projects a draw puts in a plan, each with why."""

    covered: list[int]  # at or above the threshold
    sampled: list[int]  # drawn at random from the others


def draw(
    projects: Iterable[tuple[int, Decimal]], limit: Decimal, rules: SpotChecks, seed: int
) -> Draw:
    """The plan of (project id, total investment) pairs: all at or above ``limit``, and
    ``rules.sample_rate`` of the others (at least ``sample_min``) drawn with ``seed``; the same
    projects and seed always draw the same sample."""
    covered: list[int] = []
    others: list[int] = []
    for project_id, investment in sorted(projects):
        (covered if investment >= limit else others).append(project_id)
    size = max(math.ceil(rules.sample_rate * len(others)), rules.sample_min)
    sampled = random.Random(seed).sample(others, min(size, len(others)))
    return Draw(covered, sorted(sampled))


def checked_projects(session: Session) -> list[tuple[int, Decimal]]:
    """The projects under the rules (all but those already in use), with their total investment."""
    rows = session.execute(
        select(Project.id, Project.total_investment).where(Project.stage != ProjectStage.IN_USE)
    )
    return [(project_id, investment) for project_id, investment in rows]


def plan_for(session: Session, cycle: str) -> SpotCheckPlan | None:
    """The plan of the cycle with key ``cycle``, if drawn."""
    return session.scalar(select(SpotCheckPlan).where(SpotCheckPlan.cycle == cycle))


def draw_plan(
    session: Session,
    profile: PolicyProfile,
    viewer: Viewer | None,
    day: date,
    now: datetime,
    seed: int | None = None,
) -> SpotCheckPlan:
    """Draw the plan of the cycle containing ``day``; the seed is recorded (a random one when
    not given). ``viewer`` None is the scheduled draw at the cycle's start."""
    if viewer is not None:
        require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    spot = rules(profile)
    cycle = cycle_of(profile, day)
    if seed is None:
        seed = random.SystemRandom().randint(*SEED_RANGE)
    elif not SEED_RANGE[0] <= seed <= SEED_RANGE[1]:
        raise ValidationError.single("seed", "随机种子", f"应为 1 至 {SEED_RANGE[1]} 的整数")
    if plan_for(session, cycle.key) is not None:
        raise Conflict(f"{cycle.label}的抽查计划已生成")
    plan = SpotCheckPlan(
        cycle=cycle.key, seed=seed, drawn_by_id=viewer and viewer.user_id, drawn_at=now
    )
    result = draw(checked_projects(session), threshold(profile), spot, seed)
    plan.entries = [
        SpotCheckEntry(project_id=p, reason=SampleReason.THRESHOLD) for p in result.covered
    ] + [SpotCheckEntry(project_id=p, reason=SampleReason.SAMPLED) for p in result.sampled]
    session.add(plan)
    session.flush()
    return plan


def cover_threshold(session: Session, profile: PolicyProfile, plan: SpotCheckPlan) -> int:
    """Put into the plan every project at or above the threshold not in it yet (a project
    added, or whose investment rose, after the draw); a removed entry of one is restored."""
    limit = threshold(profile)
    entries = {e.project_id: e for e in plan.entries}
    added = 0
    for project_id, investment in checked_projects(session):
        if investment < limit:
            continue
        entry = entries.get(project_id)
        if entry is None:
            plan.entries.append(
                SpotCheckEntry(project_id=project_id, reason=SampleReason.THRESHOLD)
            )
            added += 1
        elif entry.removed_at is not None or entry.reason != SampleReason.THRESHOLD:
            entry.reason, entry.removed_at, entry.removal_reason = (
                SampleReason.THRESHOLD,
                None,
                None,
            )
            added += 1
    session.flush()
    return added


def ensure_current_plan(session: Session, profile: PolicyProfile, now: datetime) -> int:
    """The scheduled job: draw the current cycle's plan if missing, then cover every project at
    or above the threshold; how many projects were put in. Nothing where LP10 does not apply."""
    if profile.spot_checks is None:
        return 0
    day = beijing_date(now)
    plan = plan_for(session, cycle_of(profile, day).key)
    if plan is None:
        return len(draw_plan(session, profile, None, day, now).entries)
    return cover_threshold(session, profile, plan)


def add_project(
    session: Session,
    viewer: Viewer,
    plan_id: int,
    project_id: int | None,
    note: str,
    now: datetime,
) -> SpotCheckEntry:
    """The key office adds a project to a plan, saying why."""
    require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    plan = _plan(session, plan_id)
    checks = Checks(LABELS)
    text = checks.text("note", note, LONG_TEXT, required=True)
    if project_id is None:
        checks.fail("project_id", "必填")
    checks.done()
    if project_id is None or session.get(Project, project_id) is None:
        raise ValidationError.single("project_id", "项目", "项目不存在")
    entry = next((e for e in plan.entries if e.project_id == project_id), None)
    if entry is not None and entry.removed_at is None:
        raise ValidationError.single("project_id", "项目", "该项目已在本期抽查计划中")
    if entry is None:
        entry = SpotCheckEntry(project_id=project_id)
        plan.entries.append(entry)
    entry.reason, entry.note = SampleReason.ADDED, text
    entry.removed_at, entry.removed_by_id, entry.removal_reason = None, None, None
    session.flush()
    return entry


def remove_project(
    session: Session,
    profile: PolicyProfile,
    viewer: Viewer,
    plan_id: int,
    project_id: int,
    reason: str,
    now: datetime,
) -> SpotCheckEntry:
    """The key office takes a project out of a plan, saying why; a project of 5亿元 or more is
    never taken out (LP10: 重点覆盖总投资5亿元以上的项目)."""
    require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    plan = _plan(session, plan_id)
    checks = Checks(LABELS)
    text = checks.text("removal_reason", reason, LONG_TEXT, required=True)
    checks.done()
    entry = next(
        (e for e in plan.entries if e.project_id == project_id and e.removed_at is None), None
    )
    if entry is None:
        raise ValidationError.single("project_id", "项目", "该项目不在本期抽查计划中")
    limit = threshold(profile)
    if entry.reason == SampleReason.THRESHOLD or entry.project.total_investment >= limit:
        raise ValidationError.single(
            "project_id", "项目", f"总投资{limit:f}万元及以上的项目须纳入每期抽查，不能移出（LP10）"
        )
    entry.removed_at, entry.removed_by_id, entry.removal_reason = now, viewer.user_id, text
    session.flush()
    return entry


def _plan(session: Session, plan_id: int) -> SpotCheckPlan:
    plan = session.get(SpotCheckPlan, plan_id)
    if plan is None:
        raise NotFound(f"抽查计划 {plan_id} 不存在")
    return plan
