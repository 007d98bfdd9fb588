"""LP8 distribution of a submitted report: copied to the linked county leader, reviewed and
forwarded by the development-and-reform bureau (where the profile says so)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.clock import now_utc
from keyproj.codes import NotificationKind, ReviewStatus, Role, UnitKind
from keyproj.db.models import Leader, Project, Report, ReportReview, User, UserRole
from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.paging import Page, Paging, fetch_page
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, project_scope
from keyproj.services.notifications.store import Message, active_users, notify, office_users
from keyproj.validation import Checks

NOTE_LIMIT = 1000


@dataclass(frozen=True)
class Distribution:
    """Who a report went to and where the bureau's review stands, as pages and the API show it."""

    status: ReviewStatus
    copied_to: str | None
    copied_at: datetime | None
    reviewed_by: str | None
    forwarded_at: datetime | None
    forwarded_to: str | None
    note: str | None


def distribute(session: Session, report: Report, profile: PolicyProfile, now: datetime) -> None:
    """On submission (LP8): copy to the project's linked leader, queue the bureau's review."""
    if session.scalar(select(ReportReview.id).where(ReportReview.report_id == report.id)):
        return  # distributed once: a sign-off after a submission does not copy twice
    review = ReportReview(
        report_id=report.id,
        status=ReviewStatus.AWAITING
        if profile.reporting.reviewed_by_drb
        else ReviewStatus.NOT_REQUIRED,
        awaiting_since=now,
    )
    title = _title(report, profile.reporting.cycle)
    link = f"/reports/{report.id}"
    if profile.reporting.copy_to_linked_leader:
        leader_user = _leader_account(session, report.project)
        if leader_user is not None:
            review.copied_to_id, review.copied_at = leader_user, now
            copy = Message(
                NotificationKind.REPORT_COPY,
                f"月报抄送：{title}",
                _body(report, profile.reporting.cycle),
                link,
            )
            notify(session, [(leader_user, f"report-copy:{report.id}", copy)], now)
    if review.status == ReviewStatus.AWAITING:
        ask = Message(
            NotificationKind.REPORT_REVIEW,
            f"月报待审核：{title}",
            _body(report, profile.reporting.cycle),
            link,
        )
        reviewers = _reviewers(session)
        notify(session, [(u, f"report-review:{report.id}", ask) for u in reviewers], now)
    session.add(review)
    session.flush()


def forward(
    session: Session,
    viewer: Viewer,
    report: Report,
    note: str | None,
    profile: PolicyProfile,
) -> ReportReview:
    """The bureau has reviewed the report and forwards it to those the profile names (LP8)."""
    if not viewer.has(Role.DRB_REVIEWER, Role.ADMIN):
        raise PermissionDenied("只有县发展和改革局审核人员可以审核报送月报")
    review = session.scalar(select(ReportReview).where(ReportReview.report_id == report.id))
    if review is None or review.status != ReviewStatus.AWAITING:
        shown = review.status.label if review else "尚未报送"
        raise Conflict(f"该报表当前为“{shown}”，无需审核报送")
    checks = Checks({"note": "审核意见"})
    clean = checks.text("note", note, NOTE_LIMIT)
    checks.done()
    now = now_utc()
    review.status, review.reviewed_by_id, review.forwarded_at = (
        ReviewStatus.FORWARDED,
        viewer.user_id,
        now,
    )
    review.forwarded_to = "、".join(profile.reporting.forwarded_to) or None
    review.note = clean
    title = _title(report, profile.reporting.cycle)
    sent = Message(
        NotificationKind.REPORT_FORWARDED,
        f"月报已审核报送：{title}",
        f"县发展和改革局已审核{title}" + (f"，意见：{clean}" if clean else "。"),
        f"/reports/{report.id}",
    )
    # The county government receives it in the product; the city bureau is outside it.
    county_gov = office_users(session, UnitKind.COUNTY_GOV_OFFICE)
    if "县政府" in profile.reporting.forwarded_to:
        notify(session, [(u, f"report-forwarded:{report.id}", sent) for u in county_gov], now)
    session.flush()
    return review


def distribution_of(session: Session, report: Report) -> Distribution | None:
    """The report's distribution, names resolved; None before it was submitted."""
    review = session.scalar(select(ReportReview).where(ReportReview.report_id == report.id))
    if review is None:
        return None
    ids = [i for i in (review.copied_to_id, review.reviewed_by_id) if i is not None]
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    names = {user_id: name for user_id, name in rows}
    return Distribution(
        status=review.status,
        copied_to=names.get(review.copied_to_id or 0),
        copied_at=review.copied_at,
        reviewed_by=names.get(review.reviewed_by_id or 0),
        forwarded_at=review.forwarded_at,
        forwarded_to=review.forwarded_to,
        note=review.note,
    )


def awaiting_review(session: Session, viewer: Viewer, paging: Paging) -> Page[ReportReview]:
    """The bureau's queue: submitted reports not yet reviewed, oldest first (LP8)."""
    query = _reviews(viewer).where(ReportReview.status == ReviewStatus.AWAITING)
    return fetch_page(session, query.order_by(ReportReview.awaiting_since, ReportReview.id), paging)


def copied_to_me(session: Session, viewer: Viewer, paging: Paging) -> Page[ReportReview]:
    """The reports copied to the viewer as a linked county leader, newest first (LP8)."""
    query = _reviews(viewer).where(ReportReview.copied_to_id == viewer.user_id)
    return fetch_page(
        session, query.order_by(ReportReview.copied_at.desc(), ReportReview.id.desc()), paging
    )


def _reviews(viewer: Viewer) -> Select[ReportReview]:
    return (
        select(ReportReview)
        .join(Report, Report.id == ReportReview.report_id)
        .join(Project, Project.id == Report.project_id)
        .where(project_scope(viewer))
    )


def _reviewers(session: Session) -> list[int]:
    """The bureau's reviewers: by role, as the bureau may also be a department leading projects."""
    held = select(UserRole.user_id).where(UserRole.role == Role.DRB_REVIEWER)
    return list(
        session.scalars(
            select(User.id).where(User.id.in_(held), User.active.is_(True)).order_by(User.id)
        )
    )


def _leader_account(session: Session, project: Project) -> int | None:
    """The active account of the project's linked county leader (挂钩县领导), if any."""
    user_id = session.scalar(select(Leader.user_id).where(Leader.id == project.leader_id))
    found = active_users(session, [user_id])
    return found[0] if found else None


def _title(report: Report, cycle: str) -> str:
    return f"{report.project.name}（{_period_label(report, cycle)}）"


def _period_label(report: Report, cycle: str) -> str:
    try:
        return periods.parse(cycle, report.period).label
    except ValidationError:  # a report of an earlier cycle keeps its key
        return report.period


def _body(report: Report, cycle: str) -> str:
    return (
        f"{report.project.name}{_period_label(report, cycle)}报表已报送："
        f"累计完成投资{report.cumulative_completed}万元，工程完成比例{report.progress_pct}%。"
        + (f"存在问题：{report.issues_text}" if report.issues_text else "")
    )
