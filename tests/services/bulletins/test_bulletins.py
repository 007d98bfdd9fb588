"""LP19, AL2: a bulletin's figures against hand-computed ones, its 文号, its archive and its DOCX."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from keyproj.db.models import Bulletin, Report, SupervisionMatter
from keyproj.errors import Conflict, PermissionDenied
from keyproj.policy import load_profile
from keyproj.services.bulletins import issue as bulletins
from keyproj.services.bulletins.text import sections
from keyproj.services.reference.calendar import load_calendar
from tests.builders.bulletins import Q3
from tests.builders.bulletins import september as build_september
from tests.builders.clock import bj
from tests.builders.county import County

LIANPING = load_profile("lianping")
NOW = bj(2026, 10, 10, 9)  # LP19: September's bulletin, on the worked Saturday before the 11th


@pytest.fixture
def september(county: County) -> County:
    """See ``tests.builders.bulletins.september``."""
    return build_september(county.with_people("zdb"))


def test_LP19_the_figures_are_the_hand_computed_ones(session, september):
    found = bulletins.issue(session, LIANPING, "2026-09", september.people["zdb"], NOW)
    f = found.figures

    assert found.number == "连重点办通报〔2026〕1号"
    assert found.title == "连平县重点项目建设情况通报（2026年9月）"
    assert (f["progress"]["projects"], f["progress"]["judged"]) == (4, 4)
    # Planned 4 × 3000 = 12000; completed 3000 + 2790 + 2400 + 1500 = 9690; 9690 ÷ 12000 = 80.75%.
    assert (f["investment"]["planned"], f["investment"]["completed"]) == ("12000", "9690")
    assert f["investment"]["rate"] == "0.8075"
    counts = f["colours"]["counts"]
    assert (counts["green"], counts["blue"], counts["yellow"], counts["red"]) == (1, 1, 1, 1)
    assert [r["name"] for r in f["colours"]["listed"]] == [
        "城关镇第二小学建设项目",
        "石桥镇跨河大桥工程",
    ]
    # One warning raised in September (23:00 on 31 August Beijing is August's), not yet triaged.
    assert f["warnings"] == {"raised": 1, "standing": {"triage": 1}}
    # Towns: 城关镇 (3000 + 2790 + 2400) ÷ 9000 = 91.00%, 石桥镇 1500 ÷ 3000 = 50.00%; both in
    # Lianping's bottom three (no top places); 县交通运输局 has no project and is not ranked.
    (towns,) = f["ranking"]["groups"]
    assert towns["bottom"] == [[1, "城关镇", "91.00%"], [2, "石桥镇", "50.00%"]]
    body = dict(sections(f))
    assert body["二、投资完成"] == [
        "已评价项目截至期末序时计划投资12,000万元，年度完成投资9,690万元，完成率80.8%。"
    ]


def test_LP19_the_archive_keeps_what_was_sent_and_a_period_is_issued_once(session, september):
    found = bulletins.issue(session, LIANPING, "2026-09", None, NOW)
    late = session.scalars(select(Report).where(Report.period == "2026-09")).all()
    for report in late:
        report.annual_completed = report.progress_pct = Decimal(0)  # corrected afterwards
    session.flush()
    now_red = bulletins.compute(session, LIANPING, bulletins.COUNTY, "2026-09")["colours"]
    assert now_red["counts"]["red"] == 4
    with pytest.raises(Conflict):
        bulletins.issue(session, LIANPING, "2026-09", None, NOW)
    assert bulletins.archived(session, LIANPING, "2026-09") is found
    assert found.figures["colours"]["counts"]["red"] == 1
    # The next period takes the next number of the year.
    assert bulletins.issue(session, LIANPING, "2026-10", None, NOW).number == (
        "连重点办通报〔2026〕2号"
    )


def test_LP19_only_the_key_office_issues(session, september):
    with pytest.raises(PermissionDenied):
        bulletins.issue(session, LIANPING, "2026-09", september.people["town"], NOW)


def test_LP19_the_docx_is_an_official_document_with_its_number(session, september):
    found = bulletins.issue(session, LIANPING, "2026-09", None, NOW)
    texts = [p.text for p in docx.Document(BytesIO(bulletins.docx(found))).paragraphs if p.text]

    assert texts[0] == "连平县重点项目工作领导小组办公室"
    assert texts[1] == "连重点办通报〔2026〕1号"
    assert texts[2] == "连平县重点项目建设情况通报（2026年9月）"
    assert texts[3] == "各乡镇人民政府，县直各单位："
    assert "三、四色评价" in texts
    assert (
        "绿色1个，蓝色1个，黄色1个，红色1个，无年度计划0个，未报送0个，序时计划为零0个。" in texts
    )
    assert "本期发出预警1个，其中待重点办分类处置1个。" in texts
    assert texts[-2:] == ["2026年10月10日", "抄送：连平县委、连平县人民政府。"]


def test_AL2_the_start_rate_at_each_passed_checkpoint(session, county: County):
    county.with_projects("plant", "road", "school", "bridge")
    p = county.projects
    for project in p.values():
        project.approved_on = date(2026, 1, 1)  # on the year's list before every checkpoint
    for key in ("plant", "road", "school"):
        county.report(p[key], "monthly", "2026-09")  # started 5 January
    county.report(p["bridge"], "monthly", "2026-09", start_status="not_started", started_on=None)
    f = bulletins.issue(session, load_profile("alxa_left"), "2026-09", None, NOW).figures

    # 3 of 4 started = 75%: above 70% by 30 June, below 90% by 30 September; 31 October to come.
    assert [(s["by"], s["started"], s["total"], s["rate"], s["met"]) for s in f["starts"]] == [
        ("2026-06-30", 3, 4, "0.7500", True),
        ("2026-09-30", 3, 4, "0.7500", False),
    ]


def test_LP19_the_daily_job_issues_on_the_due_day_once(session, september):
    calendar = load_calendar(session)
    assert bulletins.issue_due(session, LIANPING, calendar, bj(2026, 10, 9, 8, 30)) == []
    issued = bulletins.issue_due(session, LIANPING, calendar, NOW)
    assert [b.period for b in issued] == ["2026-09"]
    assert bulletins.issue_due(session, LIANPING, calendar, bj(2026, 10, 12, 8, 30)) == []


def test_LP19_numbers_never_repeat_under_concurrent_issues(engine: Engine, session, county):
    if engine.dialect.name != "postgresql":
        pytest.skip("the race needs two connections to one server")
    county.committed()
    numbers: list[str] = []

    def issue(key: str) -> None:
        with Session(engine) as own, own.begin():
            numbers.append(bulletins.issue(own, LIANPING, key, None, NOW).number)

    threads = [threading.Thread(target=issue, args=(k,)) for k in ("2026-07", "2026-08", "2026-09")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers) == [f"连重点办通报〔2026〕{n}号" for n in (1, 2, 3)]
    assert session.scalar(select(func.count()).select_from(Bulletin)) == 3
    assert date(2026, 10, 10) == NOW.date()


def test_LP15_LP20_escalations_supervision_and_where_the_warnings_cases_stand(session, county):
    county.with_warning_case()  # the plant's warning, raised 12 February 2026
    county.start(bj(2026, 9, 28, 9))
    county.submit("zdb", "issue_notice", bj(2026, 9, 28, 10), routing="county_government")
    assert county.waiting() == ["county_gov_assign"]
    session.add(
        SupervisionMatter(
            origin="case",
            case_id=county.case.id,
            summary="督查立项",
            state="filed",
            filing_number="连督立〔2026〕1号",
            listed_at=bj(2026, 9, 29, 9),
            filed_at=bj(2026, 9, 29, 10),
        )
    )
    session.flush()
    sept = bulletins.issue(session, LIANPING, "2026-09", None, NOW).figures
    feb = bulletins.issue(session, LIANPING, "2026-02", None, NOW).figures

    # September: the notice routed to the county government on 28 September, filed on the 29th.
    assert sept["escalations"]["cases"] == 1
    assert sept["supervision"] == {"filed": 1, "numbers": ["连督立〔2026〕1号"], "concluded": 0}
    assert sept["warnings"] == {"raised": 0, "standing": {}}
    # February: the warning raised then, its case still open (办理中); nothing escalated then.
    assert feb["warnings"] == {"raised": 1, "standing": {"open": 1}}
    assert feb["escalations"]["cases"] == 0
    assert dict(sections(feb))["四、预警处置"] == ["本期发出预警1个，其中办理中1个。"]
    assert dict(sections(sept))["六、督查督办"] == [
        "本期督查立项1件（连督立〔2026〕1号），办结0件。"
    ]


def test_LP19_a_missing_report_and_a_zero_plan_are_counted_apart(session, september):
    silent = september.project("城关镇未报送项目")
    september.plan(silent, 2026, Q3)
    september.report(silent, "monthly", "2026-08", "2000", "20")  # none for September
    later = september.project("城关镇十月开工项目")
    september.plan(later, 2026, [("2026-10", "1000", "10")])  # nothing planned by 30 September
    september.report(later, "monthly", "2026-09", "50", "1")
    f = bulletins.issue(session, LIANPING, "2026-09", september.people["zdb"], NOW).figures

    # Six projects, five judged (the zero plan has a report against a plan to date of 0).
    assert (f["progress"]["projects"], f["progress"]["judged"]) == (6, 5)
    # Planned 12000 + 0; completed 9690 + 50 = 9740; 9740 ÷ 12000 = 81.17%.
    assert (f["investment"]["planned"], f["investment"]["completed"]) == ("12000", "9740")
    assert f["investment"]["rate"] == "0.8117"
    counts = f["colours"]["counts"]
    assert (counts["no_report"], counts["zero_plan"]) == (1, 1)
    # The ranking counts the silent project from August: 城关镇 (3000 + 2790 + 2400 + 2000 + 50)
    # ÷ (3 × 3000 + 3000 + 0) = 10240 ÷ 12000 = 85.33%; 县交通运输局 has no project.
    (towns,) = f["ranking"]["groups"]
    assert towns["bottom"] == [[1, "城关镇", "85.33%"], [2, "石桥镇", "50.00%"]]
