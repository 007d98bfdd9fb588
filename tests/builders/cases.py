"""The county's warning cases, driven through the services as the pages and the API drive them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Self

from sqlalchemy.orm import Session, sessionmaker

from keyproj.codes import Lane
from keyproj.db.models import Case, EarlyWarning, HumanTask, Project, User
from keyproj.policy import PolicyProfile, load_profile
from keyproj.services.access import Viewer, viewer_for
from keyproj.services.cases import audit as case_audit
from keyproj.services.cases import commands as cases
from keyproj.services.cases.commands import CompletionResult
from keyproj.services.cases.lanes import LANE_ROLES
from keyproj.services.cases.repository import open_task_rows
from keyproj.services.cases.timers import sweep
from tests.builders import evidence
from tests.builders.clock import FrozenClock, bj
from tests.builders.forms import form

PROFILE = load_profile("lianping")


class CaseWork:
    """Case driving for ``County``: start, claim and complete tasks, each committed like a request.

    Two ways in: the county's own warning case walked through time on the county's frozen clock
    (``start``, ``submit``), or any number of cases on explicit moments (``open_case``,
    ``notify``, ``complete``), leaving the clock to the test.
    """

    session: Session
    clock: FrozenClock
    users: dict[str, User]
    people: dict[str, Viewer]
    cases: list[Case]
    _warning: EarlyWarning | None
    _case: Case | None
    # The county's profile: its numbers and its diagram (``[process] diagram``).
    profile: PolicyProfile = PROFILE

    def under(self, profile_id: str) -> Self:
        """Run the county's cases under another jurisdiction's profile, and so its diagram."""
        self.profile = load_profile(profile_id)
        return self

    @property
    def warning(self) -> EarlyWarning:
        """The county's warning (``County.with_warning``)."""
        assert self._warning is not None, "the county has no warning: use with_warning()"
        return self._warning

    @property
    def case(self) -> Case:
        """The case of the county's warning, once started."""
        assert self._case is not None, "the case has not been started: use start()"
        return self._case

    def at(self, moment: datetime) -> datetime:
        """Freeze the clock at ``moment``; the services and engine get it as their now."""
        return self.clock.at(moment)

    def start(self, moment: datetime) -> Case:
        """Start the case of the county's warning at ``moment``."""
        self._case = cases.start_case(self.session, self.warning, self.profile, self.at(moment))
        self.session.commit()
        return self._case

    def sweep(self, moment: datetime) -> None:
        """The worker's timer sweep at ``moment``, in its own sessions, as production runs it."""
        self.at(moment)
        sweep(sessionmaker(self.session.get_bind(), expire_on_commit=False), moment)
        self.session.expire_all()

    def assert_replays(self, case: Case | None = None) -> None:
        """The case's log is intact and replaying it reproduces every recorded state (X4)."""
        report = case_audit.replay_case(self.session, (case or self.case).id)
        assert report.chain_problem is None
        assert report.first_mismatch is None, report.first_mismatch
        assert report.final_matches_stored

    def task(self, name: str, case: Case | None = None, unit: int | None = None) -> HumanTask:
        """The open task ``name`` of ``case`` (the county's own case by default); where several
        share the name, the one of ``unit``: its own part (LP13) or its item (LP16)."""
        rows = [r for r in open_task_rows(self.session, (case or self.case).id) if r.name == name]
        if unit is not None and len(rows) > 1:
            own = [r for r in rows if r.part_unit_id == unit] or [
                r for r in rows if unit in {c.unit_id for c in r.candidates}
            ]
            if own:
                return own[0]
        return rows[0]

    def waiting(self) -> list[str]:
        """The names of the county's case's open tasks, sorted."""
        return sorted(row.name for row in open_task_rows(self.session, self.case.id))

    def submit(self, who: str, name: str, moment: datetime, **changes: Any) -> CompletionResult:
        """Submit the valid form of ``name``, with ``changes``, as ``who``: maybe refused."""
        now = self.at(moment)
        result = cases.complete_task(
            self.session,
            self.people[who],
            self.task(name, unit=self.people[who].unit_id).id,
            form(name, **changes),
            self.profile,
            now,
        )
        self.session.commit()
        return result

    def answer_round(self, responded: datetime, reported: datetime, **lead: Any) -> None:
        """Every named unit responds at ``responded`` and reports at ``reported``, each its own
        part (LP13, LP17), through one of its people; ``lead`` changes the lead's report (the
        round's outcome)."""
        for name in ("respond", "report_outcome"):
            moment = responded if name == "respond" else reported
            rows = [r for r in open_task_rows(self.session, self.case.id) if r.name == name]
            rows.sort(key=lambda r: r.id)  # the lead's part first, as the notice named them
            for row in rows:
                who = next(
                    p
                    for p, v in self.people.items()
                    if v.unit_id == row.part_unit_id and LANE_ROLES[Lane.RESPONSIBLE] & v.roles
                )
                changes = lead if row is rows[0] and name == "report_outcome" else {}
                result = self.submit(who, name, moment, **changes)
                assert result.accepted, result.message

    def more_cases(self, n: int) -> list[int]:
        """``n`` more open cases on the warning's project, all started on 30 September 2025."""
        ids = []
        now = self.at(bj(2025, 9, 30, 10))
        for i in range(n):
            warning = EarlyWarning(
                rule_id="issue_unresolved",
                project_id=self.warning.project_id,
                period=f"2025-{i:04d}",
                level="issue",
                colour="yellow",
                evidence={},
                source="scan",
                status="open",
                raised_at=datetime(2025, 9, 30, 1, tzinfo=UTC),
            )
            self.session.add(warning)
            self.session.flush()
            ids.append(cases.start_case(self.session, warning, self.profile, now).id)
        self.session.commit()
        return ids

    def open_case(
        self, project: Project, now: datetime, level: str = "progress", colour: str = "red"
    ) -> Case:
        """A warning on ``project`` and its case, started at ``now``."""
        warning = EarlyWarning(
            rule_id="progress_lag",
            project_id=project.id,
            period=f"2026-{len(self.cases) + 1:02d}",
            level=level,
            colour=colour,
            evidence=evidence.lag(),
            source="scan",
            status="open",
            raised_at=now,
        )
        self.session.add(warning)
        self.session.flush()
        case = cases.start_case(self.session, warning, self.profile, now)
        self.session.commit()
        self.cases.append(case)
        return case

    def complete(
        self, who: str, case: Case, name: str, data: dict[str, Any], now: datetime
    ) -> None:
        """Complete ``name`` of ``case`` as ``who`` at ``now``; it must be accepted."""
        viewer = viewer_for(self.session, self.users[who])
        result = cases.complete_task(
            self.session, viewer, self.task(name, case, viewer.unit_id).id, data, self.profile, now
        )
        assert result.accepted, result.message
        self.session.commit()

    def notify(self, case: Case, now: datetime, lead: str = "T01", **changes: Any) -> None:
        """Issue the case's notice naming ``lead`` (no phase units unless ``changes`` say)."""
        data = form("issue_notice", drop=("phase_unit_codes",), lead_unit_code=lead, **changes)
        self.complete("zdb", case, "issue_notice", data, now)

    def claim(self, who: str, task_id: int, now: datetime) -> None:
        """Claim a task as ``who``."""
        cases.claim_task(self.session, viewer_for(self.session, self.users[who]), task_id, now)
        self.session.commit()
