"""The beat schedule, declared as data: what runs, how often, and why (LP8, LP17, LP19, X6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

from celery.schedules import crontab


@dataclass(frozen=True)
class Periodic:
    """One periodic job: a task run every ``seconds``, or daily at ``at`` (Beijing time)."""

    name: str
    task: str
    why: str
    seconds: int | None = None
    at: time | None = None
    expires_s: int | None = None  # a run not started by then is dropped: the next one follows
    args: tuple[int, ...] = ()  # the task's arguments (a sweep's shard)

    def celery_entry(self) -> dict[str, Any]:
        """The entry in Celery's ``beat_schedule``."""
        if self.at is not None:
            schedule: Any = crontab(hour=self.at.hour, minute=self.at.minute)
        elif self.seconds is not None:
            schedule = timedelta(seconds=self.seconds)
        else:
            raise ValueError(f"{self.name}: give seconds or at")
        options = {"expires": self.expires_s} if self.expires_s else {}
        entry = {"task": self.task, "schedule": schedule, "options": options}
        return {**entry, "args": self.args} if self.args else entry


def periodic_jobs(
    scan_at: time, reminders_at: time, tick_s: int = 60, sweep_shards: int = 1
) -> list[Periodic]:
    """Every periodic job; the daily times, the tick of the frequent jobs and the number of
    sweeps that share the due timers come from settings."""

    def frequent(name: str, task: str, why: str, args: tuple[int, ...] = ()) -> Periodic:
        # A run still waiting when the next one is due is dropped, so runs do not pile up while
        # the workers are down. At least 30 s: the SQLite broker is polled about once a second,
        # and a shorter expiry would discard runs that were merely waiting for the poll.
        return Periodic(name, task, why, seconds=tick_s, expires_s=max(tick_s, 30), args=args)

    def daily(name: str, task: str, why: str, at: time) -> Periodic:
        return Periodic(name, task, why, at=at, expires_s=3600)

    timers = "到期计时器（LP17 应答、成效时限）"
    # Several shards: one sweep a shard each tick, side by side in the workers' processes.
    sweeps = (
        [
            frequent(
                f"timer-sweep-{k + 1}-of-{sweep_shards}",
                "keyproj.sweep_timers",
                f"{timers}，第{k + 1}/{sweep_shards}部分",
                (k, sweep_shards),
            )
            for k in range(sweep_shards)
        ]
        if sweep_shards > 1
        else [frequent("timer-sweep", "keyproj.sweep_timers", timers)]
    )
    return [
        *sweeps,
        frequent("outbox-relay", "keyproj.relay_outbox", "报表报送后的预警扫描（断线补发）"),
        frequent("notify-events", "keyproj.dispatch_notifications", "新任务、升级、抄送"),
        frequent("deliver-mail", "keyproj.deliver_mail", "发送待发邮件"),
        Periodic("task-reminders", "keyproj.task_reminders", "期限前提醒与逾期提示", seconds=1800),
        daily("daily-scan", "keyproj.scan", "每日预警扫描（LP11）", scan_at),
        daily(
            "report-reminders", "keyproj.report_reminders", "报表截止前提醒（LP8）", reminders_at
        ),
        daily("bulletin-due", "keyproj.bulletin_due", "月度通报提示（LP19）", reminders_at),
        # Daily: the profile's cadence decides which days issue one (LP19/DC7 monthly, GS1 weekly).
        daily(
            "bulletin-issue",
            "keyproj.issue_bulletins",
            "按配置周期印发通报（LP19、DC7、GS1）",
            reminders_at,
        ),
        # HD6: only a profile with [interviews] proposes; the others' runs do nothing.
        daily(
            "interview-proposals",
            "keyproj.propose_interviews",
            "约谈建议：两次通报后三位、台账开工竣工日期逾期、批示逾期未落实（HD6）",
            scan_at,
        ),
        daily(
            "interview-reminders",
            "keyproj.interview_reminders",
            "约谈前提醒与约谈承诺事项逾期提示（HD6）",
            reminders_at,
        ),
        daily(
            "notification-digest",
            "keyproj.notification_digest",
            "每日通知汇总（选择每日汇总的用户）",
            reminders_at,
        ),
        # Issue 14: meetings opened from the schedule, agenda asked and reminded (DC3).
        daily(
            "meeting-beat",
            "keyproj.meeting_beat",
            "按配置排定调度会议、征集与催报议题（AL3、HD4、DC3、GS1、GS2、GS6）",
            reminders_at,
        ),
        # Daily, flagging last week once: a group that missed a project is named on Monday (GS5).
        daily(
            "inspection-gaps",
            "keyproj.flag_inspection_gaps",
            "联合检查组上周未检查的项目（GS5）",
            reminders_at,
        ),
        # Issue 14, site work: spot-check plans (LP10), visit weeks (GS3, DC2).
        daily(
            "spot-check-plan",
            "keyproj.spot_check_plan",
            "生成本期抽查计划并纳入总投资5亿元以上项目（LP10）",
            scan_at,
        ),
        daily(
            "visit-weeks",
            "keyproj.visit_weeks",
            "上周现场走访次数不足的项目提示重点办（GS3、DC2）",
            reminders_at,
        ),
        # GS2: the half-year just ended is evaluated once, for the key office to publish.
        daily(
            "half-year-draft",
            "keyproj.half_year_draft",
            "半年结束后生成半年评比，待重点办确认发布（GS2）",
            scan_at,
        ),
    ]


def beat_schedule(
    scan_at: time, reminders_at: time, tick_s: int = 60, sweep_shards: int = 1
) -> dict[str, dict[str, Any]]:
    """Celery's ``beat_schedule`` built from :func:`periodic_jobs`."""
    jobs = periodic_jobs(scan_at, reminders_at, tick_s, sweep_shards)
    return {job.name: job.celery_entry() for job in jobs}
