"""The profile's routing table (LP14–16): which level coordinates a matter of a project level,
lead unit kind and issue category."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from keyproj.codes import IssueCategory, ProjectLevel, UnitKind
from keyproj.policy.strict import Strict as _Strict

# Who coordinates a matter (LP14–16): the town, a county department, the county government.
HandlingLevel = Literal["town", "county_department", "county_government"]
HANDLING_LABELS = {
    "town": "乡镇协调",
    "county_department": "县直部门协调",
    "county_government": "县政府协调",
}
ANY = "*"  # a routing row's wildcard: matches every project level, unit kind or category
DEFAULT_ROW = "default"


def _code_or_any(value: str, codes: type[ProjectLevel | UnitKind | IssueCategory]) -> str:
    if value != ANY and codes.parse(value) is None:
        raise ValueError(f"未知的代码“{value}”，可选：{ANY}、{'、'.join(codes.labels())}")
    return value


class RoutingRow(_Strict):
    """One row of the routing table: a matter of this project level, lead unit kind and issue
    category (``*`` for any) is coordinated at ``handling`` (LP14–16)."""

    project_level: str = ANY
    lead_unit_kind: str = ANY
    issue_category: str = ANY
    handling: HandlingLevel

    @model_validator(mode="after")
    def _known_codes(self) -> RoutingRow:
        _code_or_any(self.project_level, ProjectLevel)
        _code_or_any(self.lead_unit_kind, UnitKind)
        _code_or_any(self.issue_category, IssueCategory)
        return self

    def matches(self, level: str, kind: str, category: str | None) -> bool:
        """Whether a matter falls under this row (a matter without a category matches ``*`` only)."""
        return (
            self.project_level in (ANY, level)
            and self.lead_unit_kind in (ANY, kind)
            and (self.issue_category == ANY or self.issue_category == category)
        )


class Routing(_Strict):
    """The routing table (LP14–16): named rows tried in file order, the first match decides;
    the ``default`` row (all wildcards) takes whatever no row names."""

    rows: dict[str, RoutingRow]

    @model_validator(mode="after")
    def _has_default(self) -> Routing:
        row = self.rows.get(DEFAULT_ROW)
        if row is None:
            raise ValueError(f"缺少默认行 routing.rows.{DEFAULT_ROW}")
        if (row.project_level, row.lead_unit_kind, row.issue_category) != (ANY, ANY, ANY):
            raise ValueError("默认行的项目级别、牵头单位类型和问题类别须均为 *")
        return self

    def first_match(self, level: str, kind: str, category: str | None) -> tuple[str, RoutingRow]:
        """The name and row that decide a matter: the first named row matching, else the default."""
        for name, row in self.rows.items():
            if name != DEFAULT_ROW and row.matches(level, kind, category):
                return name, row
        return DEFAULT_ROW, self.rows[DEFAULT_ROW]


__all__ = ["ANY", "DEFAULT_ROW", "HANDLING_LABELS", "HandlingLevel", "Routing", "RoutingRow"]
