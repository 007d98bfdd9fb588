"""Industry-chain pages (DC5 链长制): the chains the user may see, one chain with its plan, four
lists and its projects' progress and open warnings and cases; the key office's form to create
and change a chain."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from keyproj.clock import now_utc, today_beijing
from keyproj.codes import Role
from keyproj.db.models import IndustryChain, Leader, Project
from keyproj.errors import NotFound, ValidationError
from keyproj.services.access import require_role
from keyproj.services.chains.editing import ChainData, save_chain
from keyproj.services.chains.views import NOT_SET, chain_page, chains_for
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state

bp = Blueprint("chains", __name__)


@bp.app_context_processor
def chain_globals() -> dict[str, Any]:
    """Whether the county's regulation has industry chains (DC5): the site-work tabs say so."""
    return {"has_chains": state().profile.chains is not None}


@bp.before_request
def only_where_set() -> None:
    """Where the regulation has no chains, the list says so and a chain's pages are not found."""
    if state().profile.chains is None and request.endpoint != "chains.index":
        raise NotFound(NOT_SET)


# A key matter typed on one line: 内容｜责任单位代码｜完成时限 (full- or half-width bars).
BAR = re.compile(r"\s*[|｜]\s*")


@bp.route("/chains", endpoint="index")
def index() -> str:
    """The chains the user may see, with their chiefs and projects."""
    viewer = current_viewer()
    if state().profile.chains is None:
        return render_template("chains/index.html", not_set=NOT_SET, section="sitework")
    return render_template(
        "chains/index.html",
        not_set=None,
        chains=chains_for(db_session(), viewer),
        office=viewer.has(Role.KEY_OFFICE, Role.ADMIN),
        section="sitework",
    )


@bp.route("/chains/<int:chain_id>", endpoint="detail")
def detail(chain_id: int) -> str:
    """A chain: its plan, lists and projects coloured for the period asked for (``period``)."""
    viewer = current_viewer()
    page = chain_page(
        db_session(),
        state().profile,
        viewer,
        chain_id,
        today_beijing(),
        request.args.get("period") or None,
    )
    return render_template(
        "chains/detail.html",
        page=page,
        office=viewer.has(Role.KEY_OFFICE, Role.ADMIN),
        section="sitework",
    )


@bp.route("/chains/new", endpoint="new")
def new() -> str:
    """The form of a new chain."""
    require_role(current_viewer(), Role.KEY_OFFICE, Role.ADMIN)
    return _form(None, _typed_of(None), {})


@bp.route("/chains/<int:chain_id>/edit", endpoint="edit")
def edit(chain_id: int) -> str:
    """The form of a stored chain."""
    require_role(current_viewer(), Role.KEY_OFFICE, Role.ADMIN)
    chain = db_session().get(IndustryChain, chain_id)
    if chain is None:
        raise NotFound(f"产业链 {chain_id} 不存在")
    return _form(chain_id, _typed_of(chain), {})


@bp.route("/chains", methods=["POST"], endpoint="create")
def create() -> Response | tuple[str, int]:
    """Create a chain."""
    return _save(None)


@bp.route("/chains/<int:chain_id>", methods=["POST"], endpoint="update")
def update(chain_id: int) -> Response | tuple[str, int]:
    """Change a chain (its lists are replaced as entered)."""
    return _save(chain_id)


def _save(chain_id: int | None) -> Response | tuple[str, int]:
    typed = _typed_of_form()
    data = ChainData(
        typed["name"],
        typed["chief_name"] or None,
        typed["plan"] or None,
        matters=[_matter(line) for line in _lines(typed["matters"])],
        parks=_lines(typed["parks"]),
        companies=_lines(typed["companies"]),
        projects=typed["projects"],
    )
    with commit_or_refuse(ValidationError) as outcome:
        chain = save_chain(db_session(), current_viewer(), chain_id, data, now_utc())
    if outcome.refusal is None:
        outcome.flash("产业链已保存")
        return redirect(url_for("chains.detail", chain_id=chain.id), 303)
    errors = {e.field: str(e) for e in outcome.refusal.errors}
    return _form(chain_id, typed, errors), 422


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _matter(line: str) -> dict[str, Any]:
    parts = [*BAR.split(line), "", ""]
    return {"text": parts[0], "owner_unit_code": parts[1], "due_on": parts[2]}


def _typed_of_form() -> dict[str, Any]:
    form = request.form
    fields = ("name", "chief_name", "plan", "matters", "parks", "companies")
    return {name: form.get(name, "") for name in fields} | {
        "projects": [c for c in form.getlist("projects") if c]
    }


def _typed_of(chain: IndustryChain | None) -> dict[str, Any]:
    """A stored chain as the form shows it."""
    if chain is None:
        return {"name": "", "chief_name": "", "plan": "", "matters": "", "parks": "",
                "companies": "", "projects": []}  # fmt: skip
    by_kind: dict[str, list[str]] = {"matter": [], "park": [], "company": []}
    for item in chain.items:
        if item.kind == "matter":
            unit = item.owner_unit.code if item.owner_unit else ""
            by_kind["matter"].append(f"{item.text}｜{unit}｜{item.due_on or ''}")
        else:
            by_kind[item.kind.value].append(item.text)
    codes = db_session().scalars(select(Project.code).where(Project.chain_id == chain.id))
    return {
        "name": chain.name,
        "chief_name": chain.chief.name if chain.chief else "",
        "plan": chain.plan or "",
        "matters": "\n".join(by_kind["matter"]),
        "parks": "\n".join(by_kind["park"]),
        "companies": "\n".join(by_kind["company"]),
        "projects": list(codes),
    }


def _form(chain_id: int | None, typed: dict[str, Any], errors: dict[str, str]) -> str:
    session = db_session()
    leaders = session.scalars(select(Leader.name).order_by(Leader.name)).all()
    projects = session.execute(
        select(Project.code, Project.name, Project.chain_id).order_by(Project.code)
    ).all()
    return render_template(
        "chains/form.html",
        chain_id=chain_id,
        typed=typed,
        errors=errors,
        leaders=leaders,
        projects=projects,
        section="sitework",
    )
