"""HD3 four-colour evaluation pages: the board by unit, the projects behind each count, each
project's evidence, and the monthly 专报 as a page and a DOCX; every page within the user's scope."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from keyproj import periods
from keyproj.clock import today_beijing
from keyproj.rules.progress import LAG
from keyproj.services.documents.layout import to_docx
from keyproj.services.evaluation import special_report as report
from keyproj.services.evaluation.colours import ColourBoard, colour_board, project_evaluation
from keyproj.validation import QueryArgs
from web.auth import current_viewer
from web.db import db_session, state
from web.downloads import DOCX, attachment
from web.inputs import asked_period

bp = Blueprint("colours", __name__)


def _key() -> str:
    """The ``period`` asked for, else the last ended period of the progress cycle."""
    cycle = state().profile.warnings.progress_cycle
    return periods.parse(cycle, asked_period(cycle)).key


def _board() -> ColourBoard:
    return colour_board(db_session(), current_viewer(), state().profile, _key())


@bp.context_processor
def _requirements() -> dict[str, tuple[str, ...]]:
    # The clauses of every regulation on lagging progress; the page links the active one's.
    return {"requirements": LAG}


@bp.route("/colours", endpoint="board")
def board() -> str:
    """The board: rows of units, columns of colours (and the unjudged), each count a link."""
    return render_template("colours/board.html", board=_board(), section="colours")


@bp.route("/colours/projects", endpoint="projects")
def projects() -> str:
    """The projects behind one count of the board (``unit``, ``outcome``; either may be left out)."""
    board = _board()
    args = QueryArgs(request.args, {"unit": "单位", "outcome": "评价结果"})
    unit = args.read_id("unit")
    outcome = args.read_code("outcome", {o: board.label(o) for o in board.outcomes})
    args.done()
    listed = board.select(unit, outcome)
    units = {r.unit_id: r.unit_name for r in board.units}
    return render_template(
        "colours/projects.html",
        board=board,
        listed=listed,
        unit_name=units.get(unit) if unit else None,
        outcome=outcome,
        section="colours",
    )


@bp.route("/colours/projects/<int:project_id>", endpoint="project")
def project(project_id: int) -> str:
    """One project's evidence: the report, the plan to date, the ratios and the band with its basis."""
    board, evaluation = project_evaluation(
        db_session(), current_viewer(), state().profile, _key(), project_id
    )
    return render_template("colours/project.html", board=board, e=evaluation, section="colours")


@bp.route("/colours/special-report", endpoint="special_report")
def special_report_page() -> str:
    """The monthly 专报 as a page: counts by colour, the red and yellow projects with figures."""
    board = _board()
    doc = report.special_report(db_session(), state().profile, board, today_beijing())
    return render_template(
        "colours/special_report.html",
        board=board,
        doc=doc,
        sections=report.sections(board),
        section="colours",
    )


@bp.route("/colours/special-report.docx", endpoint="special_report_docx")
def special_report_docx() -> Response:
    """The monthly 专报 as a DOCX in official layout."""
    board = _board()
    doc = report.special_report(db_session(), state().profile, board, today_beijing())
    return attachment(to_docx(doc), DOCX, f"{doc.title}.docx")
