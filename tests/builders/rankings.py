"""Ranking fixtures (HD5): Handan's departments with hand-computed first-quarter rates."""

from __future__ import annotations

from tests.builders import factories
from tests.builders.county import County


def handan_departments(county: County) -> County:
    """Five departments' plans and monthly reports for the first quarter of 2026."""
    s = county.session
    for code, name in (
        ("D02", "市水利局"),
        ("D03", "市教育局"),
        ("D04", "市卫健委"),
        ("D05", "市城管局"),
    ):
        factories.unit(s, code, name, "county_department")
    months = ("2026-01", "2026-02", "2026-03", "2026-04")

    def project(unit: str, plan: tuple[str, str, str, str], month: str, annual: str) -> None:
        p = factories.project(s, unit, name=f"{unit}政府投资项目{month}")
        county.plan(p, 2026, [(m, inv, "0") for m, inv in zip(months, plan, strict=True)])
        county.report(p, "monthly", month, annual=annual)

    project("D01", ("100", "100", "100", "100"), "2026-03", "240")  # 240 ÷ 300 = 80.00%
    project("D02", ("100", "100", "200", "0"), "2026-03", "100")  # D02: (100 + 140) ÷ 600
    project("D02", ("0", "200", "0", "0"), "2026-02", "140")  # March missing; = 40.00%
    project("D03", ("0", "0", "500", "0"), "2026-03", "250")  # 250 ÷ 500 = 50.00%
    project("D04", ("100", "100", "0", "0"), "2026-03", "100")  # 100 ÷ 200 = 50.00%
    project("D05", ("100", "100", "100", "0"), "2026-03", "330")  # 330 ÷ 300 = 110.00%
    s.flush()
    return county
