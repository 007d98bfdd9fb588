"""Stored ranking runs and the HD5 reminder letters: issued, numbered, acknowledged by the unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.clock import BEIJING
from keyproj.codes import Role
from keyproj.codes.org import UNIT_STAFF_ROLES
from keyproj.db.models import RankingRun, ReminderLetter
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.policy import PolicyProfile
from keyproj.rules.base import amount
from keyproj.services.access import Viewer, require_role
from keyproj.services.cases.numbering import next_reminder_letter_number
from keyproj.services.documents.layout import OfficialDocument, to_docx
from keyproj.services.rankings.compute import Ranking, UnitRow, from_json, rank
from keyproj.services.reference.calendar import load_calendar

LETTER_ISSUER = "市发展改革委"  # HD5: 由市发展改革委代市政府发提醒函
MEASURES_MAX = 4000


@dataclass(frozen=True)
class Run:
    """A stored run and the letters issued from it."""

    run: RankingRun
    letters: list[ReminderLetter]


def save_run(
    session: Session, profile: PolicyProfile, key: str, viewer: Viewer | None, now: datetime
) -> tuple[RankingRun, Ranking]:
    """Rank period ``key`` and store the run with every figure it was built from (key office)."""
    if viewer is not None:
        require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    ranking = rank(session, profile, key)
    run = RankingRun(
        profile=profile.profile.id,
        period=ranking.period.key,
        cadence=ranking.period.cycle,
        run_by_id=viewer.user_id if viewer else None,
        run_at=now,
        figures=ranking.as_json(),
    )
    session.add(run)
    session.flush()
    return run, ranking


def issue_letters(
    session: Session, profile: PolicyProfile, run: RankingRun, viewer: Viewer | None, now: datetime
) -> list[ReminderLetter]:
    """HD5: a numbered 提醒函 to each unit in the bottom places of the run; once per unit and run."""
    if viewer is not None:
        require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    if profile.measures is None:
        raise Conflict("本地制度未设提醒函（HD5）")
    done = set(
        session.scalars(select(ReminderLetter.unit_id).where(ReminderLetter.run_id == run.id))
    )
    year = now.astimezone(BEIJING).year
    out = []
    for group in from_json(run.figures):
        for row in group.bottom:
            if row.unit_id in done:
                continue
            letter = ReminderLetter(
                run_id=run.id,
                unit_id=row.unit_id,
                # The case diagram's HD5 letters share this counter: numbers never repeat.
                number=next_reminder_letter_number(session, profile, year),
                year=year,
                issued_at=now,
                issued_by_id=viewer.user_id if viewer else None,
            )
            session.add(letter)
            out.append(letter)
    session.flush()
    return out


def letters_for(session: Session, viewer: Viewer) -> list[ReminderLetter]:
    """The letters the viewer may see: every one for the offices, their own unit's otherwise."""
    query = select(ReminderLetter).order_by(ReminderLetter.issued_at.desc(), ReminderLetter.id)
    if not viewer.county_wide:
        query = query.where(ReminderLetter.unit_id == viewer.unit_id)
    return list(session.scalars(query))


def letter(session: Session, viewer: Viewer, letter_id: int) -> ReminderLetter:
    """One letter the viewer may see; NotFound otherwise."""
    found = session.get(ReminderLetter, letter_id)
    if found is None or not (viewer.county_wide or found.unit_id == viewer.unit_id):
        raise NotFound(f"提醒函 {letter_id} 不存在或无权查看")
    return found


def acknowledge(
    session: Session, viewer: Viewer, letter_id: int, measures: str, now: datetime
) -> ReminderLetter:
    """The unit acknowledges the letter with its measures to catch up (HD5); once."""
    found = letter(session, viewer, letter_id)
    if not (viewer.has(*UNIT_STAFF_ROLES) and found.unit_id == viewer.unit_id):
        raise PermissionDenied("只有收函单位可以签收提醒函")
    text = (measures or "").strip()
    if not text or len(text) > MEASURES_MAX:
        raise ValidationError.single(
            "measures", "整改措施", f"请填写整改措施（不超过{MEASURES_MAX}字）"
        )
    if found.acknowledged_at is not None:
        raise Conflict("该提醒函已签收")
    found.acknowledged_at, found.acknowledged_by_id, found.measures = now, viewer.user_id, text
    session.flush()
    return found


def ack_due(session: Session, profile: PolicyProfile, found: ReminderLetter) -> date | None:
    """The day by which the unit acknowledges its letter with its measures (HD5, local days)."""
    if profile.measures is None:
        return None
    issued = found.issued_at.astimezone(BEIJING).date()
    days = profile.measures.reminder_letter_ack_working_days
    return load_calendar(session).add_working_days(issued, days)


def letter_row(found: ReminderLetter) -> UnitRow:
    """The unit's row in the run the letter points at."""
    for group in from_json(found.run.figures):
        for row in group.rows:
            if row.unit_id == found.unit_id:
                return row
    raise NotFound("提醒函所依据的排名中没有该单位")


def letter_docx(found: ReminderLetter) -> bytes:
    """The 提醒函 in official layout (GB/T 9704), with the figures of the run it points at."""
    row = letter_row(found)
    run = found.run
    label = _label(run.cadence, run.period)
    lines = [
        f"根据年度计划和工作台账，{label}你单位负责的重点项目截至期末计划投资{amount(row.planned)}万元，"
        f"完成投资{amount(row.completed)}万元，完成计划投资率{row.rate_text}，排名第{row.rank}位，"
        f"列排名后{run.figures.get('bottom_n')}位。",
        "请你单位高度重视，认真分析原因，制定整改措施，加快项目建设进度，"
        "并于收函后将整改措施报市发展改革委。",
    ]
    return to_docx(
        OfficialDocument(
            issuer=LETTER_ISSUER,
            number=found.number,
            title=f"关于{label}政府投资项目投资完成情况的提醒函",
            addressee=found.unit.name,
            body=lines,
            signature=f"{LETTER_ISSUER}（代市政府）",
            date_text=_written(found.issued_at),
        )
    )


def _label(cadence: str, key: str) -> str:
    return periods.parse(cadence, key).label


def _written(moment: datetime) -> str:
    day = moment.astimezone(BEIJING).date()
    return f"{day.year}年{day.month}月{day.day}日"
