"""The dashboard: investment against 序时进度 by month, colours (HD3), start rate against the
AL2 targets, where cases get stuck, rankings over time (HD5, GS2); each chart beside its table."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, render_template, request

from keyproj import periods
from keyproj.clock import now_utc, today_beijing
from keyproj.services.evaluation.dashboard import Dashboard, dashboard, start_projects
from keyproj.services.home.waiting import TASKS
from keyproj.validation import QueryArgs
from web.auth import current_viewer
from web.db import db_session, state

bp = Blueprint("dashboard", __name__)


def _key() -> str:
    """The ``period`` asked for, else the last ended period of the progress cycle."""
    cycle = state().profile.warnings.progress_cycle
    asked = request.args.get("period", "").strip()
    if asked:
        return periods.parse(cycle, asked).key
    running = periods.containing(cycle, today_beijing())
    return periods.containing(cycle, running.start - timedelta(days=1)).key


def _number(value: Any) -> float | None:
    # ECharts draws numbers; the tables beside the charts show the exact decimals.
    return None if value is None else float(value)


def _pct(rate: Any) -> float | None:
    return None if rate is None else _number(rate * 100)


def chart_data(board: Dashboard) -> dict[str, Any]:
    """The charts' series: the same figures as the tables, rates as percentages."""
    pct = _pct
    colours = board.board
    return {
        "months": {
            "labels": [m.period.label for m in board.months],
            "planned": [_number(m.planned) for m in board.months],
            "completed": [_number(m.completed) for m in board.months],
            "rate": [pct(m.rate) for m in board.months],
        },
        "colours": [
            {"key": o, "name": colours.label(o), "value": n} for o, n in colours.counts.items()
        ],
        "starts": {
            "labels": [c.day.isoformat() for c in board.starts],
            "target": [pct(c.target) for c in board.starts],
            "rate": [pct(c.rate) for c in board.starts],
        },
        "stuck": {
            "labels": [f"{s.unit_name}·{s.title}" for s in board.stuck],
            "open": [s.open for s in board.stuck],
            "overdue": [s.overdue for s in board.stuck],
        },
        "rankings": [
            {
                "label": g.label,
                "periods": g.periods,
                "units": [
                    {"name": unit, "ranks": [p.rank if p else None for p in points]}
                    for unit, points in g.units
                ],
            }
            for g in board.rankings
        ],
    }


@bp.route("/dashboard", endpoint="index")
def index() -> str:
    """The dashboard of a period, within the user's scope."""
    board = dashboard(db_session(), current_viewer(), state().profile, _key(), now_utc())
    return render_template(
        "dashboard/index.html",
        d=board,
        chart=chart_data(board),
        listed_steps=set(TASKS),  # the steps the list of waiting tasks can filter on
        section="dashboard",
    )


@bp.route("/dashboard/starts", endpoint="starts")
def starts() -> str:
    """The projects behind an AL2 checkpoint's counts (``checkpoint``, e.g. 2026-06-30; by
    default this year's first); a profile without checkpoints says so."""
    args = QueryArgs(request.args, {"checkpoint": "开工率节点"})
    day = args.read_date("checkpoint")
    args.done()
    profile = state().profile
    if day is None and profile.starts.targets:
        day = profile.starts.targets[0].on(today_beijing().year)
    listed = [] if day is None else start_projects(db_session(), current_viewer(), profile, day)
    return render_template(
        "dashboard/starts.html",
        day=day,
        listed=listed,
        basis=profile.citations.get("starts.targets", ""),
        section="dashboard",
    )
