"""The project ledger (台账) page: import a workbook with its plan breakdown, export the ledger."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from keyproj import periods
from keyproj.clock import today_beijing
from keyproj.errors import ImportRowError, PermissionDenied, ValidationError
from keyproj.services.projects.ledger import office
from keyproj.services.projects.ledger.export import export_projects
from keyproj.services.projects.ledger.unit_book import unit_book, unit_choices
from keyproj.services.projects.ledger.unit_sheet import unit_book_xlsx
from keyproj.validation import QueryArgs
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.downloads import XLSX, attachment
from web.inputs import asked_period, takes_files

bp = Blueprint("ledger", __name__)


@bp.route("/ledger", endpoint="index")
def index() -> str:
    """The ledger's import form (key office and administrators) and its export."""
    return _page()


@bp.route("/ledger/import", methods=["POST"], endpoint="import")
@takes_files
def import_workbook() -> BaseResponse | tuple[str, int]:
    """Import the uploaded workbook, all rows or none; a refused file lists each row's problem."""
    viewer = current_viewer()
    if not office.may_import(viewer):
        raise PermissionDenied("只有重点办或系统管理员可以导入台账")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(["文件：请选择要导入的台账文件（.xlsx）"]), 422
    with commit_or_refuse(ValidationError) as outcome:
        year = office.read_year(request.form.get("year"), today_beijing().year)
        result = office.import_for(
            db_session(), viewer, upload.read(), year, state().profile.plans.breakdown
        )
    refusal = outcome.refusal
    if refusal is not None:
        lines = (
            refusal.lines()
            if isinstance(refusal, ImportRowError)
            else [str(e) for e in refusal.errors]
        )
        return _page(lines), 422
    state().request_scan()  # the imported plans are what the lag rules compare against
    flash(
        f"导入完成：新增{result.created}个项目，更新{result.updated}个，新登记县领导"
        f"{result.leaders_added}名，导入{year}年度计划{result.plans_filed}个",
        "info",
    )
    return redirect(url_for("ledger.index"), 303)


@bp.route("/ledger/export.xlsx", endpoint="export")
def export() -> Response:
    """The ledger of the projects the user may see, with the year's approved plans."""
    year = office.read_year(request.args.get("year"), today_beijing().year)
    data = export_projects(db_session(), current_viewer(), year)
    response = Response(data, mimetype=XLSX)
    response.headers.set("Content-Disposition", "attachment", filename=f"重点项目台账{year}.xlsx")
    return response


@bp.route("/ledger/units.xlsx", endpoint="units")
def units() -> Response:
    """The reporting ledger per responsible unit as of a period (``period``), or one unit's
    (``unit``), in the user's scope; another unit than a unit user's own is not found."""
    args = QueryArgs(request.args, {"unit": "责任单位"})
    unit_id = args.read_id("unit")
    args.done()
    profile = state().profile
    key = asked_period(profile.warnings.progress_cycle)
    book = unit_book(db_session(), current_viewer(), profile, key, unit_id)
    name = f"重点项目建设台账{book.period.key}.xlsx"
    return attachment(unit_book_xlsx(book), XLSX, name)


def _page(problems: list[str] | None = None) -> str:
    viewer = current_viewer()
    cycle = state().profile.warnings.progress_cycle
    return render_template(
        "ledger/index.html",
        may_import=office.may_import(viewer),
        year=today_beijing().year,
        period=periods.last_ended(cycle, today_beijing()).key,
        units=unit_choices(db_session(), viewer),
        problems=problems or [],
    )
