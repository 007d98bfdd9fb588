"""Bulletin fixtures (LP19): September 2026 with one project of each colour and two warnings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from keyproj.policy import load_profile
from keyproj.services.bulletins.issue import issue
from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.county import County

Q3 = [("2026-07", "1000", "10"), ("2026-08", "1000", "20"), ("2026-09", "1000", "30")]


def september(county: County) -> County:
    """Four projects planned 1000 万元 a month from July: 3000 万元 and 30% by 30 September."""
    county.with_projects("plant", "road", "school", "bridge").with_people("town")
    p = county.projects
    for key in ("plant", "road", "school", "bridge"):
        county.plan(p[key], 2026, Q3)
    county.report(p["plant"], "monthly", "2026-09", "3000", "30")  # 100%: green
    county.report(p["road"], "monthly", "2026-09", "2790", "30")  # 93%: blue
    county.report(p["school"], "monthly", "2026-09", "2400", "30")  # 80%: yellow
    county.report(p["bridge"], "monthly", "2026-09", "1500", "15")  # 50%: red
    factories.warning(county.session, p["bridge"], "2026-09", raised_at=bj(2026, 9, 8, 6))
    factories.warning(county.session, p["school"], "2026-08", raised_at=bj(2026, 8, 31, 23))
    county.session.flush()
    return county


def stored_bulletin(session: Session, now: datetime) -> int:
    """The id of an issued Lianping bulletin of March 2026, for the pages that take its id."""
    return issue(session, load_profile("lianping"), "2026-03", None, now).id
