"""The demo county's history: its issue ledger and its reports, through the services the pages use."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from keyproj import periods
from keyproj.clock import BEIJING
from keyproj.codes import StartStatus
from keyproj.db.models import Report
from keyproj.demo import data
from keyproj.demo.county import DemoCounty
from keyproj.demo.data import Scheme
from keyproj.demo.people import user_named
from keyproj.services.access import viewer_for
from keyproj.services.projects import issues, reports

URGENT, RESOLVED = {2, 5, 9, 14}, {8, 11, 12, 16, 19, 22}  # positions in the list of 24 issues


def open_issues(c: DemoCounty) -> None:
    """24 ledger entries: every LP7 category open, some urgent (LP9), old (LP11-3), resolved."""
    categories = list(data.ISSUES) + c.rng.choices(list(data.ISSUES), k=17)
    troubled = [i for i, s in enumerate(c.schemes) if s.track != "on_track"]
    zdb = viewer_for(c.session, user_named(c, "zdb"))
    for n, category in enumerate(categories):
        i = c.rng.choice(troubled if n % 2 == 0 else range(len(c.schemes)))
        s, title = c.schemes[i], c.rng.choice(data.ISSUES[category])
        age = c.rng.randint(1, 8) if n in URGENT else c.rng.randint(5, 120)
        owner = data.ISSUE_OWNERS[category]
        owner = {"town": s.town, "lead": s.spec.lead}.get(owner, owner)
        opened, text = c.today - timedelta(days=age), f"{s.spec.name}：{title}。"
        entry = issues.IssueData(category, title, owner, opened, text, n in URGENT)
        viewer = c.viewers[s.spec.lead][0]
        # An urgent one starts the key office's LP9 duty to report it to the county government.
        issue = issues.open_issue(c.session, viewer, c.projects[i], entry, c.today, c.profile)
        s.issue = s.issue or title
        if n in RESOLVED:  # never one of the first seven: every category stays open
            solved = min(c.today, opened + timedelta(days=c.rng.randint(5, 30)))
            how = c.rng.choice(data.RESOLUTIONS)
            issues.resolve_issue(c.session, zdb, issue, how, solved, c.today)
            issue.resolved_at = datetime.combine(solved, time(17, 0), BEIJING)


def file_reports(c: DemoCounty) -> None:
    """Every due period's report; two projects miss the latest one and one left it a draft."""
    rules = c.profile.reporting
    cycle = periods.of_year(rules.cycle, c.year)
    due = [p for p in cycle if periods.due_date(p, rules) <= c.today]
    started = [i for i, s in enumerate(c.schemes) if s.start is not None]
    missing = set(c.rng.sample(started, 2))
    draft = c.rng.choice([i for i in started if i not in missing])
    for i, s in enumerate(c.schemes):
        state = [0.0, s.prior_pct]
        for period in due:
            if s.prior == 0 and period.end < s.approved_on:
                continue  # listed this year: reports begin with the period of the listing
            latest = period == due[-1]
            if not (latest and i in missing):
                content = _report_data(c, s, period, state)
                _file(c, i, period, content, draft=latest and i == draft)


def _file(
    c: DemoCounty, i: int, period: periods.Period, content: reports.ReportData, draft: bool
) -> None:
    liaison, head = c.viewers[c.schemes[i].spec.lead]
    report = reports.save_draft(
        c.session, liaison, c.projects[i], period.key, content, c.profile, c.today
    )
    if not draft:  # where the head signs (AL6) the head submits, which signs at once
        submitter = head if c.profile.reporting.sign_off_by_unit_head else liaison
        reports.submit(c.session, submitter, report, c.profile)
        _backdate(c, report, period)


def _backdate(c: DemoCounty, report: Report, period: periods.Period) -> None:
    """History, not today: a report was submitted on or shortly before its due day."""
    due = periods.due_date(period, c.profile.reporting)
    # Mostly on time; now and then a day or two late (material for the overdue-report rule).
    day = min(c.today, due - timedelta(days=c.rng.choice((3, 2, 1, 0, 0, -1, -2))))
    moment = datetime.combine(day, time(c.rng.randint(9, 17), c.rng.randint(0, 59)), BEIJING)
    report.submitted_at = moment
    if report.signed_off_at is not None:
        report.signed_off_at = moment


def _report_data(
    c: DemoCounty, s: Scheme, period: periods.Period, state: list[float]
) -> reports.ReportData:
    as_of = min(period.end, c.today)
    common: dict[str, Any] = {
        "total_investment": Decimal(s.total),
        "annual_plan_investment": Decimal(s.annual),
    }
    if s.start is None or s.start > as_of:
        return reports.ReportData(**common, **_not_started(c, s, as_of))
    amount, pct, status = data.progress(s, period, as_of, c.rng.uniform(0.97, 1.03), state)
    lag, done = s.track == "lagging", status == "completed"
    return reports.ReportData(
        **common,
        cumulative_completed=Decimal(s.prior) + amount,
        annual_completed=amount,
        start_status=status,
        progress_pct=pct,
        started_on=s.start,
        procedures=data.DONE,
        progress_text="已竣工验收" if done else f"{data.step(s, float(pct))}，完成比例{pct}%",
        issues_text=(s.issue or "施工组织力量不足，进度滞后于计划") if lag else None,
        measures_text=data.LAG_MEASURES[len(s.spec.name) % 3] if lag else None,
    )


def _not_started(c: DemoCounty, s: Scheme, as_of: date) -> dict[str, Any]:
    """The AL6 not-started fields: a reason and an expected start date."""
    reason, expected = f"计划于{s.planned_start.month}月开工，正在开展施工准备", s.planned_start
    if as_of >= s.planned_start or s.track == "not_started":
        reason = data.NOT_STARTED_REASONS[len(s.spec.name) % len(data.NOT_STARTED_REASONS)]
        expected = max(s.planned_start, c.today + timedelta(days=45))
    return {
        "cumulative_completed": Decimal(s.prior),
        "annual_completed": Decimal(0),
        "start_status": StartStatus.NOT_STARTED,
        "progress_pct": Decimal(str(s.prior_pct)),
        "expected_start": expected,
        "not_started_reason": reason,
        "procedures": data.PENDING,
        "progress_text": f"前期工作推进中：{reason}",
    }
