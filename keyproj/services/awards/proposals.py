"""What a year's evaluation proposes under the profile's ``[year_end]`` rules: GS8's prizes,
penalties and merits from the year's ranking, GS2's towns without a project, GS8's service
units, AL13–14's bottom and top of the year-end scores, DC6's slow projects.

Each item names its unit (and project), the kind of record, an amount where there is one, the
rule with the figures that produced it, and the clause (or 本地规定). Ranks are competition
ranks (1, 1, 3): units tied on a place share what the place earns.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.codes import COLOURS, AwardKind, PledgeOutcome
from keyproj.policy import PolicyProfile
from keyproj.policy.year_end import YearEnd
from keyproj.rules.base import amount as wan
from keyproj.services.access import Viewer
from keyproj.services.awards.pledges import ServiceRow, service_ranking
from keyproj.services.evaluation.colours import colour_board
from keyproj.services.rankings.composite import applies, composite
from keyproj.services.rankings.compute import NO_PROJECT, UnitRow, rank
from keyproj.services.scoring.compute import year_end as year_end_scores
from keyproj.services.tours.evaluation import tour_component

LOCAL = "本地规定"
# AL14 states the commendation; the score that earns it is the profile's local number.
COMMEND_CLAUSE = "AL14"


@dataclass(frozen=True)
class Item:
    """One proposed record: for whom, what, and the rule and figures behind it."""

    unit_id: int
    unit: str
    kind: str
    rule: str
    clause: str
    amount: str | None = None  # 万元
    project_id: int | None = None
    project: str | None = None

    @property
    def kind_label(self) -> str:
        """The kind in Chinese."""
        return AwardKind.label_of(self.kind)


def build(
    session: Session, profile: PolicyProfile, viewer: Viewer, year: int, today: date
) -> dict[str, Any]:
    """The year's figures and proposed items (as stored with an evaluation)."""
    rules = profile.year_end
    if rules is None or rules.basis == "none":
        return {"year": year, "basis": "none", "items": []}
    figures: dict[str, Any] = {"year": year, "basis": rules.basis}
    items: list[Item] = []
    if rules.basis == "ranking":
        items += _ranking(session, profile, rules, year, figures)
    elif rules.basis == "scores":
        items += _scores(session, profile, rules, year, figures)
    else:
        items += _progress(session, profile, rules, viewer, year, today, figures)
    figures["items"] = [
        {**asdict(item), "kind": str(item.kind), "n": n} for n, item in enumerate(items, start=1)
    ]
    # GS2: the year's tour scores, beside the ranking or counted in its composite.
    tours = tour_component(session, profile, date(year, 1, 1), date(year, 12, 31))
    if tours is not None:
        figures["tours"] = tours
    return figures


def clause(profile: PolicyProfile, key: str) -> str:
    """The clause a ``year_end.*`` value cites, or 本地规定."""
    text = profile.citations.get(f"year_end.{key}", "")
    source = text.split(" / ")[0]
    return LOCAL if not source or source.startswith("本地取值") else source


# --- GS8: the year's investment ranking, towns and departments apart ------------------------


def _ranking(
    session: Session, profile: PolicyProfile, rules: YearEnd, year: int, figures: dict[str, Any]
) -> list[Item]:
    ranking = rank(session, profile, str(year), cycle="yearly")
    data = ranking.as_json()
    figures.update(towns=data["towns"], departments=data["departments"], rule=ranking.rule)
    towns, departments = ranking.groups[0].rows, ranking.groups[1].rows
    placed = _by_rate(towns)
    if profile.composite is not None and applies(profile, "year_end"):
        # GS2: the year's tours count: the towns' places follow the composite of the whole year.
        tours = tour_component(session, profile, date(year, 1, 1), date(year, 12, 31))
        figures["composite"] = composite(ranking, tours, profile.composite)
        placed = _by_composite(towns, figures["composite"]["towns"])
    items = _towns(profile, rules, towns, placed) + _departments(profile, rules, departments)
    services = service_ranking(session, year)
    figures["services"] = [s.as_json() for s in services]
    return items + _services(profile, rules, services)


# A ranked town, the number of towns ranked below it, and the figures its items quote.
Placed = tuple[UnitRow, int, str]


def _by_rate(rows: list[UnitRow]) -> list[Placed]:
    """The towns placed by the year's investment completion rate alone (GS8)."""
    rates = [r.rate for r in rows if r.rank is not None]
    out = []
    for row in rows:
        if row.rank is None or row.rate is None:
            continue
        lower = sum(1 for r in rates if r is not None and r < row.rate)
        out.append((row, lower, f"年度投资完成率{row.rate_text}，乡镇第{row.rank}名"))
    return out


def _by_composite(rows: list[UnitRow], combined: list[dict[str, Any]]) -> list[Placed]:
    """The towns placed by the year's composite of investment and tours (GS2, GS8)."""
    by_id = {r.unit_id: r for r in rows}
    out = []
    for c in combined:
        if c["rank"] is None:
            continue
        tour = f"全年观摩得分{c['tour']}" if c["tour"] else "全年未被观摩，观摩得分按投资得分计"
        said = (
            f"年度综合得分{c['score']}（投资完成率{c['rate_text']}，投资得分{c['investment']}，"
            f"{tour}），乡镇第{c['rank']}名"
        )
        out.append((replace(by_id[c["unit_id"]], rank=c["rank"]), c["lower"], said))
    return out


def _towns(
    profile: PolicyProfile, rules: YearEnd, rows: list[UnitRow], placed: list[Placed]
) -> list[Item]:
    items: list[Item] = []
    for row, lower, said in placed:
        assert row.rank is not None
        if row.rank <= len(rules.town_prizes_wan):
            items += _prized(profile, rules, row, said)
            continue  # a prized town is never also penalised (a county of few towns)
        items += _penalised(profile, rules, row, said, lower)
    for row in rows:
        if row.reason == NO_PROJECT:
            items += _no_project(profile, rules, row)
    return items


def _prized(profile: PolicyProfile, rules: YearEnd, row: UnitRow, said: str) -> list[Item]:
    """GS8: the first places' prizes (tied towns share a place and its prize) and merits."""
    assert row.rank is not None
    prize = rules.town_prizes_wan[row.rank - 1]
    prizes = "、".join(f"{p}万元" for p in rules.town_prizes_wan)
    rule = f"{said}；年度综合考评前{len(rules.town_prizes_wan)}名分别奖励{prizes}"
    items = [_item(row, AwardKind.PRIZE, rule, clause(profile, "town_prizes_wan"), prize)]
    if rules.town_top_merit:
        rule = f"{said}；党政主要负责同志和分管同志各记三等功一次"
        items.append(_item(row, AwardKind.MERIT, rule, clause(profile, "town_top_merit")))
    return items


def _penalised(
    profile: PolicyProfile, rules: YearEnd, row: UnitRow, said: str, lower: int
) -> list[Item]:
    """GS8: the last places' penalties, listed from the second-last to the last, and the
    last town's criticism and loss of 评先评优."""
    penalties = rules.town_penalties_wan
    items = []
    if lower < len(penalties):
        place = "最后一名" if lower == 0 else f"倒数第{lower + 1}名"
        fines = "、".join(f"{p}万元" for p in penalties)
        rule = f"{said}（{place}）；年终考评后{len(penalties)}名分别罚款{fines}"
        fine = penalties[len(penalties) - 1 - lower]
        code = clause(profile, "town_penalties_wan")
        items.append(_item(row, AwardKind.PENALTY, rule, code, fine))
    if lower == 0 and rules.town_last_criticism:
        rule = f"{said}（最后一名）；不予参加评先评优，由县委、县政府通报批评"
        code = clause(profile, "town_last_criticism")
        items.append(_item(row, AwardKind.CRITICISM, rule, code))
        items.append(_item(row, AwardKind.NO_HONOURS, rule, code))
    return items


def _no_project(profile: PolicyProfile, rules: YearEnd, row: UnitRow) -> list[Item]:
    items = []
    if rules.no_project_no_honours:
        rule = "一年内没有重点项目，不参与项目排名，取消目标评先资格"
        items.append(
            _item(row, AwardKind.NO_HONOURS, rule, clause(profile, "no_project_no_honours"))
        )
    if rules.no_project_funding_cut_pct:
        pct = rules.no_project_funding_cut_pct
        rule = f"一年内没有重点项目，减少下一年度{pct}%的财政拨付经费"
        code = clause(profile, "no_project_funding_cut_pct")
        items.append(_item(row, AwardKind.FUNDING_CUT, rule, code))
    return items


def _departments(profile: PolicyProfile, rules: YearEnd, rows: list[UnitRow]) -> list[Item]:
    if rules.department_task_rate is None:
        return []
    target = Decimal(str(rules.department_task_rate))
    items = []
    for row in rows:
        if row.rate is None:
            continue  # no project or nothing planned: no task to judge
        said = (
            f"年度完成投资{wan(row.completed)}万元，计划{wan(row.planned)}万元，"
            f"完成率{row.rate_text}"
        )
        code = clause(profile, "basis")  # GS8 states the rule; the rate is a local number
        if row.rate >= target:
            rule = f"{said}，完成年度建设任务；主要负责同志和分管同志各记三等功一次"
            items.append(_item(row, AwardKind.MERIT, rule, code))
        else:
            rule = f"{said}，未完成年度建设任务；不参与评优评先，由县委、县政府通报批评"
            items.append(_item(row, AwardKind.CRITICISM, rule, code))
            items.append(_item(row, AwardKind.NO_HONOURS, rule, code))
    return items


def _services(profile: PolicyProfile, rules: YearEnd, rows: list[ServiceRow]) -> list[Item]:
    items = []
    for row in rows:
        if row.rank is None or row.mean is None:
            continue
        said = f"服务协调单位综合得分{row.mean}（{row.count}个单位打分），第{row.rank}名"
        if row.rank <= rules.service_top_n:
            rule = f"{said}；主要负责同志、分管同志和股室负责人各记三等功一次"
            items.append(_item(row, AwardKind.MERIT, rule, clause(profile, "service_top_n")))
        if row.last and rules.service_last_criticism and row.outcome == PledgeOutcome.NOT_MET:
            rule = f"{said}，末位且未完成服务承诺；通报批评，对主要负责同志诫勉谈话"
            code = clause(profile, "service_last_criticism")
            items.append(_item(row, AwardKind.CRITICISM, rule, code))
            items.append(_item(row, AwardKind.ADMONITION, rule, code))
    return items


# --- AL13–14: the departments' weighted year-end scores -------------------------------------


def _scores(
    session: Session, profile: PolicyProfile, rules: YearEnd, year: int, figures: dict[str, Any]
) -> list[Item]:
    rows = year_end_scores(session, profile, year)
    scored = [r for r in rows if r["score"] is not None]
    values = [Decimal(r["score"]) for r in scored]
    out = []
    for row in rows:
        if row["score"] is None:
            out.append({**row, "rank": None, "lower": None})
            continue
        value = Decimal(row["score"])
        position = sum(1 for v in values if v > value) + 1
        out.append({**row, "rank": position, "lower": sum(1 for v in values if v < value)})
    figures["scores"] = out
    items = []
    for row in out:
        if row["rank"] is None:
            continue
        said = f"年终加权得分{row['score']}分，第{row['rank']}名（共{len(scored)}个部门）"
        if row["lower"] < rules.bottom_n:
            rule = f"{said}，年终分值排序靠后（后{rules.bottom_n}名）；旗委诫勉谈话并通报批评"
            code = clause(profile, "basis")
            items.append(_dict_item(row, AwardKind.ADMONITION, rule, code))
            items.append(_dict_item(row, AwardKind.CRITICISM, rule, code))
        elif rules.commend_min_score is not None and Decimal(row["score"]) >= Decimal(
            str(rules.commend_min_score)
        ):
            rule = f"{said}，不低于{rules.commend_min_score:g}分，建设任务完成较好；通报表扬"
            items.append(_dict_item(row, AwardKind.COMMENDATION, rule, COMMEND_CLAUSE))
    return items


# --- DC6: each project's progress against its plan to date at the year's end ---------------


def _progress(
    session: Session,
    profile: PolicyProfile,
    rules: YearEnd,
    viewer: Viewer,
    year: int,
    today: date,
    figures: dict[str, Any],
) -> list[Item]:
    cycle = profile.warnings.progress_cycle
    last = periods.containing(cycle, date(year, 12, 31))
    period = min(last, periods.last_ended(cycle, today))
    board = colour_board(session, viewer, profile, period.key)
    figures["period"], figures["period_label"] = period.key, period.label
    figures["projects"] = [
        {
            "project_id": e.project_id,
            "code": e.code,
            "name": e.name,
            "unit_id": e.unit_id,
            "unit": e.unit_name,
            "outcome": e.outcome,
            "label": e.label,
            "ratio": None
            if e.standing is None or e.standing.ratio is None
            else str(e.standing.ratio),
        }
        for e in board.evaluations
    ]
    items: list[Item] = []
    slow: dict[int, list[str]] = {}
    for e in board.evaluations:
        if e.outcome in rules.slow_colours:
            rule = f"{period.label}进度评价为{e.label}，明显滞后序时进度；取消享受优惠政策资格"
            code = clause(profile, "basis")  # DC6 states the rule; the colours are local
            items.append(
                Item(
                    e.unit_id,
                    e.unit_name,
                    AwardKind.POLICY_LOSS,
                    rule,
                    code,
                    None,
                    e.project_id,
                    e.name,
                )
            )
            slow.setdefault(e.unit_id, []).append(f"{e.name}（{e.label}）")
    names = {e.unit_id: e.unit_name for e in board.evaluations}
    for unit_id, projects in slow.items():
        rule = (
            f"牵头项目明显滞后序时进度：{'、'.join(projects)}；"
            "经核实因主观因素造成的，按县干部作风大整顿要求问责"
        )
        items.append(
            Item(unit_id, names[unit_id], AwardKind.ACCOUNTABILITY, rule, clause(profile, "basis"))
        )
    if rules.commend_colour is not None:
        items += _commended(profile, board.units, rules.commend_colour, period.label)
    return items


def _commended(profile: PolicyProfile, units: Any, colour: str, label: str) -> list[Item]:
    items = []
    for unit in units:
        if unit.total and unit.counts.get(colour, 0) == unit.total:
            rule = f"{label}牵头的{unit.total}个项目均为{COLOURS[colour]}（达到序时进度）；予以表彰"
            items.append(
                Item(
                    unit.unit_id,
                    unit.unit_name,
                    AwardKind.COMMENDATION,
                    rule,
                    clause(profile, "basis"),
                )
            )
    return items


def _item(
    row: UnitRow | ServiceRow, kind: AwardKind, rule: str, code: str, amount: int | None = None
) -> Item:
    return Item(row.unit_id, row.unit, kind, rule, code, None if amount is None else str(amount))


def _dict_item(row: dict[str, Any], kind: AwardKind, rule: str, code: str) -> Item:
    return Item(row["unit_id"], row["unit"], kind, rule, code)
