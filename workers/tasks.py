"""The workers' tasks: thin wrappers that take ids or dates, call one service, and may run twice.

Every task is idempotent (a timer fires once, a warning is raised once, a notification is
sent once), acknowledged late, time-limited, and retried with backoff when the database or
the broker is briefly unreachable.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from celery import Task
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import InterfaceError, OperationalError

from keyproj.clock import now_utc, today_beijing
from keyproj.services.bulletins import issue as bulletins
from keyproj.services.cases.timers import Shard, sweep
from keyproj.services.half_year.records import draft_due
from keyproj.services.inspections.gaps import flag_last_week
from keyproj.services.interviews import lifecycle as interviews
from keyproj.services.interviews import notices as interview_notices
from keyproj.services.meetings import planning as meetings
from keyproj.services.notifications import digest
from keyproj.services.notifications import inbox as notifications
from keyproj.services.projects import urgent
from keyproj.services.reference import outbox
from keyproj.services.reference.calendar import load_calendar
from keyproj.services.scan import jobs as scan_jobs
from keyproj.services.spot_checks.plans import ensure_current_plan
from keyproj.services.spot_checks.reminders import remind_unchecked
from keyproj.services.visits.weeks import check_last_week
from workers.app import app
from workers.runtime import runtime

log = logging.getLogger(__name__)
TRANSIENT = (OperationalError, InterfaceError, BrokerError, RedisConnectionError, ConnectionError)


class KeyprojTask(Task):  # type: ignore[misc]
    """Retry on transient database or broker errors, with exponential backoff and jitter."""

    autoretry_for = TRANSIENT
    retry_backoff = 2
    retry_backoff_max = 300
    retry_jitter = True
    max_retries = 8
    acks_late = True


def _task(name: str, minutes: int) -> Any:
    """A task decorator with a hard time limit and a soft one a minute earlier."""
    return app.task(
        name=name,
        base=KeyprojTask,
        time_limit=minutes * 60,
        soft_time_limit=max(minutes * 60 - 60, 30),
    )


@_task("keyproj.sweep_timers", minutes=5)
def sweep_timers(shard: int = 0, of: int = 1) -> dict[str, int]:
    """Fire every due timer (LP17 response and outcome deadlines, notice reminders) of the
    cases of part ``shard`` of ``of`` (all of them by default)."""
    result = sweep(runtime().sessions, now_utc(), shard=Shard(shard, of))
    return {"cases": result.cases, "timers": result.timers, "skipped": result.skipped}


@_task("keyproj.scan", minutes=30)
def scan(day: str | None = None) -> dict[str, Any]:
    """Run the rule scan for ``day`` (a Beijing date, default today) and start the new cases."""
    rt = runtime()
    today = date.fromisoformat(day) if day else today_beijing()
    return scan_jobs.scan_and_start(rt.sessions, rt.profile, today, now_utc).summary()


@_task("keyproj.relay_outbox", minutes=30)
def relay_outbox() -> dict[str, Any] | None:
    """Run one scan for every report submitted since the last (requests written with the report)."""
    rt = runtime()
    handled = outbox.handle_pending(
        rt.sessions,
        outbox.SCAN,
        lambda _requests: scan_jobs.scan_and_start(
            rt.sessions, rt.profile, today_beijing(), now_utc
        ).summary(),
        now_utc,
    )
    return None if handled is None else {"requests": handled.requests, **handled.result}


@_task("keyproj.dispatch_notifications", minutes=5)
def dispatch_notifications() -> int:
    """Turn new case events into notifications (new tasks, escalations, copies of notices)."""
    with runtime().sessions() as session, session.begin():
        return notifications.dispatch_case_events(session, now_utc())


@_task("keyproj.task_reminders", minutes=10)
def task_reminders() -> int:
    """Remind the people of tasks due within the profile's working days; alert on overdue ones
    (the key office's LP9 reports to the county government among them)."""
    rt = runtime()
    now = now_utc()
    with rt.sessions() as session, session.begin():
        sent = notifications.send_task_reminders(session, rt.profile, now)
        return sent + urgent.send_urgent_report_reminders(session, rt.profile, now)


@_task("keyproj.report_reminders", minutes=10)
def report_reminders() -> int:
    """Remind units whose report for the current period is not in yet (LP8, AL6, HD2, GS1)."""
    rt = runtime()
    with rt.sessions() as session, session.begin():
        return notifications.send_report_reminders(session, rt.profile, today_beijing())


@_task("keyproj.bulletin_due", minutes=5)
def bulletin_due() -> int:
    """Tell the key office the monthly bulletin is due (LP19: 每月11日前, on or before the 11th)."""
    rt = runtime()
    with rt.sessions() as session, session.begin():
        return notifications.bulletin_due(session, rt.profile, today_beijing())


@_task("keyproj.issue_bulletins", minutes=10)
def issue_bulletins() -> list[str]:
    """Issue the bulletins that fall due today under the profile's cadence (LP19, DC7, GS1)."""
    rt = runtime()
    with rt.sessions() as session, session.begin():
        calendar = load_calendar(session)
        return [b.number for b in bulletins.issue_due(session, rt.profile, calendar, now_utc())]


@_task("keyproj.propose_interviews", minutes=10)
def propose_interviews() -> int:
    """Propose the interviews the data calls for (HD6 之一至之三); nothing without [interviews]."""
    rt = runtime()
    if rt.profile.interviews is None:
        return 0
    with rt.sessions() as session, session.begin():
        return len(interviews.propose(session, rt.profile, today_beijing(), now_utc(), None))


@_task("keyproj.interview_reminders", minutes=10)
def interview_reminders() -> int:
    """Remind of interviews within the profile's days; tell the key office of overdue commitments."""
    rt = runtime()
    if rt.profile.interviews is None:
        return 0
    with rt.sessions() as session, session.begin():
        return interview_notices.send_reminders(
            session, rt.profile.interviews, today_beijing(), now_utc()
        )


@_task("keyproj.notification_digest", minutes=10)
def notification_digest() -> int:
    """Gather each digest user's held task notifications into one for the day (issue 15)."""
    rt = runtime()
    with rt.sessions() as session, session.begin():
        return digest.send_digests(session, now_utc())


@_task("keyproj.deliver_mail", minutes=5)
def deliver_mail() -> dict[str, int]:
    """Send queued mail over SMTP; failures wait and are tried again later."""
    rt = runtime()
    with rt.sessions() as session, session.begin():
        sent, failed = notifications.deliver_pending_mail(session, rt.settings, now_utc())
    return {"sent": sent, "failed": failed}


@_task("keyproj.meeting_beat", minutes=10)
def meeting_beat() -> dict[str, int]:
    """Open the coming meetings, ask the units for agenda items, remind the late (DC3)."""
    rt = runtime()
    with rt.sessions() as session, session.begin():
        calendar = load_calendar(session)
        return meetings.daily_beat(session, rt.profile, calendar, today_beijing(), now_utc())


@_task("keyproj.flag_inspection_gaps", minutes=10)
def flag_inspection_gaps() -> int:
    """Flag the projects a joint inspection group did not check last week (GS5)."""
    rt = runtime()
    with rt.sessions() as session, session.begin():
        return len(flag_last_week(session, rt.profile, today_beijing(), now_utc()))


@_task("keyproj.spot_check_plan", minutes=10)
def spot_check_plan() -> int:
    """Draw the current spot-check cycle's plan if missing and cover every project of 5亿元 or
    more in it (LP10); near the cycle's end, remind the key office of the unchecked ones.
    Nothing where the profile has no spot checks."""
    rt = runtime()
    with rt.sessions() as session, session.begin():
        put_in = ensure_current_plan(session, rt.profile, now_utc())
        return put_in + remind_unchecked(session, rt.profile, now_utc())


@_task("keyproj.visit_weeks", minutes=10)
def visit_weeks() -> int:
    """Flag last week's projects short of their chief's, assistant's or leader's site visits to
    the key office, once per project-week (GS3, DC2)."""
    rt = runtime()
    with rt.sessions() as session, session.begin():
        return check_last_week(session, rt.profile, now_utc())


@_task("keyproj.half_year_draft", minutes=10)
def half_year_draft() -> int:
    """Once a half-year has ended, store its evaluation for the key office to check and publish
    (GS2 半年评比); once per half-year. Nothing where the profile has no half-year evaluation."""
    rt = runtime()
    with rt.sessions() as session, session.begin():
        return int(draft_due(session, rt.profile, today_beijing(), now_utc()) is not None)
