"""GS5: six joint inspection groups check their projects weekly, verify the milestone plan and
record findings; a missed week is flagged to the office; the office compiles the bulletin."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from sqlalchemy import select

from keyproj.clock import BEIJING, now_utc, today_beijing
from keyproj.db.models import InspectionRecord, Notification
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.services.inspections.bulletin import bulletin_docx, bulletin_lines
from keyproj.services.inspections.gaps import flag_last_week
from keyproj.services.inspections.groups import save_group, set_up
from keyproj.services.inspections.records import (
    Inspection,
    raise_warning,
    record,
    record_in_scope,
    records_in_scope,
    resolve,
    shown_milestone,
    unresolved_by_unit,
)
from keyproj.services.projects.plans import PlanData, PlanPeriodData, file_approved
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.inspections import inspected
from tests.builders.registries import docx_text

GS = load_profile("guangshan")
NOW = bj(2026, 3, 12, 17)  # Thursday of week 11 (9–15 March 2026)
AFTER = date(2026, 3, 16)  # the Monday after week 11


@pytest.fixture
def groups(county: County) -> County:
    """Six groups; group 1 checks plant and road of 城关镇, group 2 the bridge of 石桥镇."""
    county.with_people("zdb", "town", "other", "dcs").with_projects("plant", "road", "bridge")
    s, office = county.session, county.people["zdb"]
    rows = set_up(s, GS, office)
    save_group(
        s, office, rows[0].id, ["张组长", "李干事"], [_code(county, "plant"), _code(county, "road")]
    )
    save_group(s, office, rows[1].id, ["王组长"], [_code(county, "bridge")])
    parts = [
        PlanPeriodData("2026-03", Decimal("100"), Decimal("30"), milestone="主体结构封顶"),
        PlanPeriodData("2026-04", Decimal("100"), Decimal("60"), milestone="外墙装饰完成"),
    ]
    file_approved(s, county.projects["plant"], 2026, PlanData(Decimal("200"), parts), "monthly")
    s.flush()
    return county


def _code(county: County, key: str) -> str:
    return county.projects[key].code


def _inspect(county: County, key: str, day: str, group: int = 1, **kw: object) -> InspectionRecord:
    return inspected(county, key, day, group, NOW, **kw)


def test_gs5_the_profiles_six_groups_are_set_up_once(groups: County):
    rows = set_up(groups.session, GS, groups.people["zdb"])
    assert [g.label for g in rows] == [
        "第1组（县委组织部）",
        "第2组（县委督查室）",
        "第3组（县政府督查室）",
        "第4组（县重点项目办）",
        "第5组（县统计局）",
        "第6组（县百城提质办）",
    ]
    assert rows[0].members == ["张组长", "李干事"]


def test_gs5_a_project_is_checked_by_one_group(groups: County):
    rows = set_up(groups.session, GS, groups.people["zdb"])
    with pytest.raises(ValidationError, match="已分配给第2组"):
        save_group(groups.session, groups.people["zdb"], rows[0].id, [], [_code(groups, "bridge")])
    with pytest.raises(ValidationError, match="不在第2组"):
        _inspect(groups, "plant", "2026-03-10", group=2)


def test_gs5_a_record_shows_the_plans_current_milestone_as_it_was(groups: County):
    row = _inspect(groups, "plant", "2026-03-10", severity="serious", findings="塔吊未按方案拆除")
    assert (row.week, row.milestone, row.milestone_verified) == (
        "2026-W11",
        "2026年3月：主体结构封顶",
        True,
    )
    assert _inspect(groups, "road", "2026-03-11").milestone is None  # road has no plan


def test_gs5_a_finding_needs_its_words_and_a_date_cannot_be_in_the_future(groups: County):
    with pytest.raises(ValidationError) as caught:
        _inspect(groups, "plant", "2026-03-13", severity="grave", findings="")
    assert caught.value.by_field() == {
        "inspected_on": "不能晚于今天",
        "findings": "发现问题时须写明检查发现",
    }
    data = Inspection(1, groups.projects["plant"].id, "2026-03-10", True, True, None, "none")
    with pytest.raises(PermissionDenied):
        record(groups.session, groups.people["town"], data, NOW)


def test_gs5_a_week_without_an_inspection_is_flagged_to_the_office_once(groups: County):
    _inspect(groups, "plant", "2026-03-10")
    office = groups.users["zdb"].id
    with time_machine.travel(datetime(2026, 3, 16, 8, 30, tzinfo=BEIJING), tick=False):
        gaps = flag_last_week(groups.session, GS, today_beijing(), now_utc())
        assert flag_last_week(groups.session, GS, today_beijing(), now_utc()) == []
    assert [(g.week, g.group.number, g.project.name) for g in gaps] == [
        ("2026-W11", 1, "城关镇环城路改建工程"),
        ("2026-W11", 2, "石桥镇跨河大桥工程"),
    ]
    told = groups.session.scalars(select(Notification).where(Notification.user_id == office)).all()
    assert [n.title for n in told] == ["2026年第11周有2个项目未经联合检查组实地检查"]
    assert "第2组（县委督查室）：石桥镇跨河大桥工程" in told[0].body
    with time_machine.travel(datetime(2026, 3, 15, 20, tzinfo=BEIJING), tick=False):
        # Sunday evening: the week has not ended, so last week (W10) is the one checked.
        earlier = flag_last_week(groups.session, GS, today_beijing(), now_utc())
    assert {g.week for g in earlier} == {"2026-W10"}
    assert len(earlier) == 3  # nothing was inspected in week 10


def test_gs5_a_finding_raises_a_warning_once_and_counts_until_resolved(groups: County):
    row = _inspect(groups, "plant", "2026-03-10", severity="serious", findings="塔吊未按方案拆除")
    _inspect(groups, "bridge", "2026-03-11", group=2)  # nothing found: not counted
    t01 = groups.projects["plant"].lead_unit_id
    assert unresolved_by_unit(groups.session) == {t01: 1}
    office = groups.people["zdb"]
    warning = raise_warning(groups.session, GS, office, row.id, "progress", "yellow", NOW)
    assert warning.project_id == groups.projects["plant"].id
    assert warning.evidence["summary"] == (
        "重点项目联合检查组第1组（县委组织部）2026-03-10实地督导检查发现（较重问题）：塔吊未按方案拆除"
    )
    assert row.warning_id == warning.id
    with pytest.raises(Conflict, match="已转为预警"):
        raise_warning(groups.session, GS, office, row.id, "progress", "yellow", NOW)
    resolve(groups.session, office, row.id, NOW)
    assert unresolved_by_unit(groups.session) == {}


def test_units_see_only_their_own_projects_records(groups: County):
    row = _inspect(groups, "plant", "2026-03-10")
    assert [r.id for r in records_in_scope(groups.session, groups.people["town"])] == [row.id]
    assert records_in_scope(groups.session, groups.people["other"]) == []
    with pytest.raises(NotFound):
        record_in_scope(groups.session, groups.people["other"], row.id)


def test_gs5_the_weekly_bulletin_compiles_the_weeks_records_and_gaps(groups: County):
    _inspect(groups, "plant", "2026-03-10", severity="serious", findings="塔吊未按方案拆除")
    _inspect(groups, "road", "2026-03-11", milestone_verified=False, image_checked=False)
    with time_machine.travel(datetime(2026, 3, 16, 8, 30, tzinfo=BEIJING), tick=False):
        flag_last_week(groups.session, GS, today_beijing(), now_utc())
    lines = bulletin_lines(groups.session, GS, groups.people["zdb"], "2026-W11", AFTER)
    assert lines == [
        "2026年第11周（3月9日至3月15日），县重点项目联合检查组共实地督导检查项目2个次，"
        "核实节点计划1个次，发现问题1个。现将检查情况通报如下。",
        "第6组（县百城提质办）负责督导检查全县百城建设提质工程（官渡河综合治理项目），"
        "其检查情况不列入本通报，督导检查报告单独印发。",
        "一、第1组（县委组织部）",
        "3月10日，城关镇污水处理厂提标改造工程（城关镇）：节点计划（2026年3月：主体结构封顶）已核实，"
        "已查看形象进度；发现较重问题：塔吊未按方案拆除。",
        "3月11日，城关镇环城路改建工程（城关镇）：节点计划（计划未列节点）未核实，未查看形象进度；未发现问题。",
        "二、未按周检查的项目",
        f"第2组（县委督查室）：石桥镇跨河大桥工程（{_code(groups, 'bridge')}）本周未实地检查。",
        "请各责任单位对检查发现的问题立即整改，整改情况报县重点项目办。",
    ]
    text = docx_text(bulletin_docx(groups.session, GS, groups.people["zdb"], "2026-W11", NOW))
    assert "关于2026年第11周重点项目联合督导检查情况的通报" in text
    assert "塔吊未按方案拆除" in text
    with pytest.raises(PermissionDenied):
        bulletin_lines(groups.session, GS, groups.people["town"], "2026-W11", AFTER)


def test_profiles_without_groups_refuse_to_set_them_up(county: County):
    county.with_people("zdb")
    with pytest.raises(Conflict, match="联合检查组"):
        set_up(county.session, load_profile("lianping"), county.people["zdb"])


def test_gs5_the_bulletin_of_a_week_under_way_names_the_projects_not_yet_checked(
    groups: County,
):
    _inspect(groups, "plant", "2026-03-10")
    lines = bulletin_lines(groups.session, GS, groups.people["zdb"], "2026-W11", date(2026, 3, 12))
    assert "各检查组均已按周完成所分项目的实地检查。" not in lines
    tail = lines[lines.index("二、尚无本周检查记录的项目") :]
    assert tail == [
        "二、尚无本周检查记录的项目",
        "本周尚未结束，截至3月12日的检查情况如上。",
        f"第1组（县委组织部）：城关镇环城路改建工程（{_code(groups, 'road')}）尚无本周检查记录。",
        f"第2组（县委督查室）：石桥镇跨河大桥工程（{_code(groups, 'bridge')}）尚无本周检查记录。",
        "请各责任单位对检查发现的问题立即整改，整改情况报县重点项目办。",
    ]


def test_gs5_the_bulletin_says_no_group_is_set_up_rather_than_all_checked(county: County):
    county.with_people("zdb")
    lines = bulletin_lines(county.session, GS, county.people["zdb"], "2026-W11", AFTER)
    assert lines[-3:] == [
        "一、未按周检查的项目",
        "尚未建立联合检查组，本周无实地检查记录。",
        "请各责任单位对检查发现的问题立即整改，整改情况报县重点项目办。",
    ]


def test_gs5_an_ended_week_with_no_gaps_flagged_still_names_the_unchecked_projects(
    groups: County,
):
    _inspect(groups, "plant", "2026-03-10")
    _inspect(groups, "road", "2026-03-10")
    lines = bulletin_lines(groups.session, GS, groups.people["zdb"], "2026-W11", AFTER)
    assert "各检查组均已按周完成所分项目的实地检查。" not in lines
    assert (
        f"第2组（县委督查室）：石桥镇跨河大桥工程（{_code(groups, 'bridge')}）本周无检查记录。"
        in lines
    )
    _inspect(groups, "bridge", "2026-03-11", group=2)
    lines = bulletin_lines(groups.session, GS, groups.people["zdb"], "2026-W11", AFTER)
    assert "各检查组均已按周完成所分项目的实地检查。" in lines


def test_gs5_the_milestone_says_its_month_in_chinese_not_the_period_key(groups: County):
    row = _inspect(groups, "plant", "2026-03-10")
    assert row.milestone == "2026年3月：主体结构封顶"
    # Records kept with the raw key read the same on the pages and in the bulletin.
    assert shown_milestone("2026-12：竣工验收") == "2026年12月：竣工验收"
    assert shown_milestone(None) == "计划未列节点"


def test_gs5_a_bad_severity_is_refused_naming_the_chinese_choices(groups: County):
    with pytest.raises(ValidationError) as refused:
        _inspect(groups, "plant", "2026-03-10", severity="fatal")
    message = str(refused.value)
    assert "问题程度" in message
    assert "未发现问题、一般问题、较重问题、严重问题" in message
    assert "minor" not in message
    assert "serious" not in message
