"""The typed shape of a policy profile; unknown keys and wrong types are refused."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from keyproj.codes import TeamRole
from keyproj.policy.composite import Composite
from keyproj.policy.decisions import Decisions
from keyproj.policy.inspections import Inspections
from keyproj.policy.interviews import Interviews
from keyproj.policy.meetings import Meetings
from keyproj.policy.routing import Routing
from keyproj.policy.sitework import Chains, SpotChecks, Visits
from keyproj.policy.strict import Strict as _Strict
from keyproj.policy.tours import Tours
from keyproj.policy.year_end import YearEnd

Colour = Literal["green", "blue", "yellow", "red"]
# Where a rule's warning goes (issue 15): a coordination case, a reminder to the unit, the board.
SeverityLevel = Literal["case", "reminder", "board"]
SEVERITY_LABELS = {"case": "协调处置", "reminder": "提醒责任单位", "board": "列入看板"}


class Identity(_Strict):
    """Who the profile is for and which regulation it encodes."""

    id: str
    name: str
    document: str
    seed: str
    requirement_prefix: str


class Reporting(_Strict):
    """Periodic reports: cycle and due days (LP8, AL6, HD2, GS1), sign-off (AL6), same-day start (AL7)."""

    cycle: Literal["monthly", "semimonthly", "weekly"]
    due_days: list[int] = Field(default_factory=list)
    due_in_next_month: bool = False
    due_weekday: int | None = None
    sign_off_by_unit_head: bool
    copy_to_linked_leader: bool
    start_report_same_day: bool
    reminder_working_days_before: int
    # A late report is only reminded of; still missing this many working days after its due
    # day it becomes a warning that opens a case (report_missing).
    grace_working_days: int = Field(ge=0)
    # LP8: the development-and-reform bureau reviews each submitted report, then forwards it.
    reviewed_by_drb: bool = False
    forwarded_to: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _days_fit_cycle(self) -> Reporting:
        expected = {"monthly": 1, "semimonthly": 2, "weekly": 0}[self.cycle]
        if len(self.due_days) != expected:
            raise ValueError(f"cycle {self.cycle} needs {expected} due_days, got {self.due_days}")
        if any(not 1 <= d <= 28 for d in self.due_days):
            raise ValueError("due_days must lie between 1 and 28 (every month has them)")
        if self.cycle == "weekly" and not (self.due_weekday and 1 <= self.due_weekday <= 7):
            raise ValueError("a weekly cycle needs due_weekday between 1 (Monday) and 7 (Sunday)")
        return self


class Plans(_Strict):
    """Annual plans: breakdown and filing deadlines (LP6, AL4, HD1, GS7)."""

    breakdown: Literal["monthly", "quarterly"]
    filing_months_after_approval: int
    filing_by_end_of_month: int | None = None
    calibration_month: int | None = None
    adjustment_month: int | None = None
    # The days of those months a revision may be made in: [first, last] (AL4 5月初, AL5 6月中旬).
    calibration_days: list[int] = Field(default_factory=list)
    adjustment_days: list[int] = Field(default_factory=list)
    calibration_signed_by_unit_head: bool = False  # AL4
    adjustment_needs_decision: bool = False  # AL5: a formal request and the government's decision
    revisions_only_in_windows: bool = False  # AL5: the year's figures are locked otherwise
    names_responsible: bool = False  # HD1: the plan names its responsible leader and person

    @model_validator(mode="after")
    def _windows_fit(self) -> Plans:
        for month, days in (
            (self.calibration_month, self.calibration_days),
            (self.adjustment_month, self.adjustment_days),
        ):
            if days and (month is None or len(days) != 2 or not 1 <= days[0] <= days[1] <= 28):
                raise ValueError("a window needs its month and [first, last] days within 1..28")
        return self


class Deadlines(_Strict):
    """Working-day deadlines of the handling process (LP9, LP13, LP17, LP18, LP20)."""

    notice_working_days: int = Field(ge=0)
    response_working_days: int = Field(ge=0)
    outcome_working_days: int = Field(ge=0)
    handling_report_working_days: int = Field(ge=0)
    urgent_issue_report_working_days: int = Field(ge=0)
    supervision_working_days: int = Field(ge=0)


class LongMatters(_Strict):
    """LP18 long matters (复杂及需较长时间跟进的工作): the responsible unit reports progress every
    ``report_working_days`` and is reminded ``remind_working_days_before`` its deadline."""

    report_working_days: int = Field(ge=1)
    remind_working_days_before: int = Field(ge=0)

    @model_validator(mode="after")
    def _reminder_inside_cycle(self) -> LongMatters:
        if self.remind_working_days_before >= self.report_working_days:
            raise ValueError(
                "remind_working_days_before must be fewer than report_working_days "
                "(the reminder falls inside the report cycle)"
            )
        return self


class CountyGov(_Strict):
    """The county government's coordination (LP16), in working days: 县府办 names the leader in
    charge (assign), the leader coordinates (handling), 县府办 checks an on-site meeting's
    follow-up items (follow-up check). LP16 sets none of these numbers."""

    assign_working_days: int = Field(ge=0)
    handling_working_days: int = Field(ge=0)
    follow_up_check_working_days: int = Field(ge=0)


class ColourBand(_Strict):
    """Progress ratio (actual ÷ planned to date) at or above ``min_ratio`` earns ``colour``."""

    colour: Colour
    min_ratio: float = Field(ge=0)


class Warnings(_Strict):
    """Warning triggers: lag colours (HD3, LP11-1), central funds (LP11-2), issue age (LP11-3),
    weeks without progress (GS1)."""

    colour_bands: list[ColourBand]
    warning_colours: list[Colour]
    # One progress warning per project and period of this cycle, however often reports come in.
    progress_cycle: Literal["monthly", "semimonthly", "weekly", "quarterly"]
    central_funds_min_ratio: float = Field(ge=0)
    unresolved_issue_months: int = Field(ge=1)
    no_progress_weeks: list[int]
    spot_check_min_investment_wan: float = Field(ge=0)

    @model_validator(mode="after")
    def _bands_descend(self) -> Warnings:
        ratios = [b.min_ratio for b in self.colour_bands]
        if ratios != sorted(ratios, reverse=True) or not ratios or ratios[-1] != 0:
            raise ValueError("colour_bands must descend by min_ratio and end at 0")
        weeks = self.no_progress_weeks
        if weeks != sorted(set(weeks)) or any(w < 1 for w in weeks):
            raise ValueError("no_progress_weeks must be distinct whole weeks ≥ 1, ascending")
        return self


class Severity(_Strict):
    """Per rule id (a family for no_progress_Nw and feedback_*): ``case`` opens a coordination
    case (LP13), ``reminder`` only reminds the responsible unit, ``board`` goes to the
    portfolio board. Hand-raised supervision warnings always open a case."""

    progress_lag: SeverityLevel
    central_funds: SeverityLevel
    issue_unresolved: SeverityLevel
    urgent_issue: SeverityLevel
    plan_missing: SeverityLevel
    report_overdue: SeverityLevel
    report_missing: SeverityLevel
    start_overdue: SeverityLevel
    completion_overdue: SeverityLevel
    start_rate: SeverityLevel
    no_progress: SeverityLevel
    feedback: SeverityLevel

    def of(self, rule_id: str) -> SeverityLevel:
        """The severity of a warning's rule id; ids outside the table (hand-raised) open a case."""
        family = rule_id
        if rule_id.startswith("no_progress_"):
            family = "no_progress"
        elif rule_id.startswith("feedback_"):
            family = "feedback"
        if family not in Severity.model_fields:
            return "case"
        value: SeverityLevel = getattr(self, family)
        return value


SEVERITY_RULES = tuple(Severity.model_fields)


class StartTarget(_Strict):
    """By ``by`` (MM-DD of each year), at least ``rate`` of the year's projects have started (AL2)."""

    by: str = Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
    rate: float = Field(ge=0, le=1)

    def on(self, year: int) -> date:
        """The checkpoint date in ``year``."""
        month, day = (int(x) for x in self.by.split("-"))
        return date(year, month, day)


class Starts(_Strict):
    """Start-rate checkpoints (AL2); an empty list means the regulation sets none."""

    targets: list[StartTarget]


class Ranking(_Strict):
    """Rankings of responsible units (HD5, GS2)."""

    cadence: Literal["monthly", "quarterly"]
    top_n: int = Field(ge=0)
    bottom_n: int = Field(ge=0)
    skip_units_without_projects: bool


class ScoringWeights(_Strict):
    """AL12 weights (percent, summing to 100) and AL11 quarter weights."""

    procedures: int = Field(ge=0)
    start_rate: int = Field(ge=0)
    milestones: int = Field(ge=0)
    reporting: int = Field(ge=0)
    issue_handling: int = Field(ge=0)
    quarter_weights: list[float]

    @model_validator(mode="after")
    def _sum_to_100(self) -> ScoringWeights:
        total = self.procedures + self.start_rate + self.milestones + self.reporting
        total += self.issue_handling
        if total != 100:
            raise ValueError(f"the five weights must add up to 100, they add up to {total}")
        if len(self.quarter_weights) != 4:
            raise ValueError("quarter_weights needs four numbers")
        return self


class Team(_Strict):
    """Which project-team roles a county names (GS3 "1+3", DC1 site sign) and whether a sign is posted."""

    roles: list[str] = Field(default_factory=list)
    site_sign: bool = False

    @model_validator(mode="after")
    def _known_roles(self) -> Team:
        unknown = [r for r in self.roles if TeamRole.parse(r) is None]
        if unknown:
            raise ValueError(f"unknown team roles {unknown}; known: {list(TeamRole.labels())}")
        return self


class Bulletin(_Strict):
    """The periodic bulletin (LP19, DC7, GS1)."""

    cadence: Literal["weekly", "monthly"]
    due_day_of_month: int = Field(ge=1, le=28)


class Documents(_Strict):
    """Prefixes of document numbers (…预警〔2026〕12号, 督查立项通知书)."""

    warning_notice_prefix: str
    supervision_notice_prefix: str


class Process(_Strict):
    """Which deployed diagram this jurisdiction's warning cases run on (its file in ``bpmn/``,
    the process key): the regulations escalate differently (GS1, HD6, AL13, DC1–DC3)."""

    diagram: str = Field(default="warning_case", pattern=r"^[a-z][a-z0-9_]{0,63}$")
    # Working days the project's 分包领导 has to coordinate an escalated case on site (DC1–DC2),
    # for a diagram with a leader-led path; None where the diagram has none.
    leader_onsite_working_days: int | None = Field(default=None, ge=1)


class Measures(_Strict):
    """HD5/HD6 measures at escalation (Handan's diagram): the lead unit signs a numbered reminder
    letter within ``reminder_letter_ack_working_days``; the city government's leader in charge
    holds the interview within ``interview_working_days``. HD5/HD6 set no days: local numbers."""

    reminder_letter_ack_working_days: int = Field(ge=1)
    interview_working_days: int = Field(ge=1)
    reminder_letter_prefix: str = Field(min_length=1)  # 邯发改提醒〔2026〕N号


class Accountability(_Strict):
    """AL13 责任追究: how many working days the supervision office has, once a case that met a
    trigger is done, to record the accountability (only jurisdictions whose diagram has it)."""

    working_days: int = Field(ge=1)


class Triage(_Strict):
    """How new warnings reach a notice (LP13): the key office sorts them first, or routine ones
    go out at once on the template, with the proposed unit, leaving it the exceptions."""

    auto_notice: bool = False
    # The notice text proposed for a project matter: {project}, {unit}, {issues} (one line
    # each) and {days} (working days to respond, LP17) are filled in.
    notice_template: str = (
        "{unit}：\n你单位牵头的“{project}”存在以下问题：\n{issues}\n"
        "请于{days}个工作日内反馈协调处置措施。"
    )

    @model_validator(mode="after")
    def _template_fills(self) -> Triage:
        try:
            self.notice_template.format(project="", unit="", issues="", days=0)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"notice_template: unknown placeholder {exc}") from exc
        return self


class PolicyProfile(_Strict):
    """One jurisdiction's numbers. ``citations`` maps each dotted key to its requirement or local note."""

    profile: Identity
    reporting: Reporting
    plans: Plans
    deadlines: Deadlines
    long_matters: LongMatters
    county_gov: CountyGov
    warnings: Warnings
    starts: Starts
    ranking: Ranking
    scoring: ScoringWeights
    bulletin: Bulletin
    documents: Documents
    severity: Severity
    team: Team = Field(default_factory=Team)
    triage: Triage = Field(default_factory=Triage)
    process: Process = Field(default_factory=Process)
    routing: Routing
    # Only jurisdictions whose diagram has the HD5/HD6 measures (Handan) set these.
    measures: Measures | None = None
    accountability: Accountability | None = None  # AL13: Alxa's diagram only
    year_end: YearEnd | None = None  # GS8, AL13–14, DC6, HD7: rewards and sanctions of the year
    interviews: Interviews | None = None  # HD6: Handan's interview register only
    decisions: Decisions | None = (
        None  # AL13 一是, DC3, GS6: decided items' reminders, accountability
    )
    meetings: Meetings | None = None  # AL3, HD4, DC3, GS1, GS2, GS6: dispatch meetings
    tours: Tours | None = None  # DC4, GS2: observation tours and their scoring
    composite: Composite | None = None  # GS2: tour scores counted in the evaluations
    inspections: Inspections | None = None  # GS5: joint inspection groups
    spot_checks: SpotChecks | None = None  # LP10: only where the regulation has them
    visits: Visits | None = None  # GS3, DC2: the site visits a project needs a week
    chains: Chains | None = None  # DC5: industry chains (链长制), Dancheng's only
    citations: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _weeks_need_weekly_reports(self) -> PolicyProfile:
        if self.warnings.no_progress_weeks and self.reporting.cycle != "weekly":
            raise ValueError(
                "warnings.no_progress_weeks counts weekly reports: it needs reporting.cycle = weekly"
            )
        return self

    def cite(self, key: str) -> str:
        """The requirement ID (or local-choice note) behind a dotted key, e.g. ``deadlines.notice_working_days``."""
        return self.citations[key]
