"""Guangshan's TV questioning (GS1) on the pages: the task proposes whom the stall calls, and the
case page tells who was questioned, when and on which programme."""

from __future__ import annotations

from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.web import login


def test_gs1_tv_questioning_is_proposed_on_its_task_and_told_on_the_case_page(client, county):
    c: County = county.under("guangshan").with_stall(3, "road").committed()
    c.start(bj(2026, 2, 12, 9))
    c.at(bj(2026, 2, 12, 10))
    login(client, "zdb")
    task_id = c.task("tv_inquiry").id
    html = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "<h1>组织电视问政</h1>" in html
    assert '<option value="county_leader" selected>分包县领导</option>' in html
    assert 'name="person" required aria-required="true" value="李明"' in html
    assert 'name="person_title" value="副县长"' in html
    assert "2026-02-24 23:59" in html  # due with the notice, over the Spring Festival
    c.at(bj(2026, 2, 13, 20))
    login(client, "zdb")  # a new day, a new sign-in
    page = client.post(
        f"/tasks/{task_id}/complete",
        data={
            "called_role": "county_leader",
            "person": "李明",
            "person_title": "副县长",
            "held_on": "2026-02-13",
            "programme": "光山电视台《问政光山》",
            "commitments": "一周内协调解决施工用电。",
        },
    )
    assert page.status_code == 302
    html = client.get(f"/cases/{c.case.id}").get_data(as_text=True)
    assert "2026年2月13日，光山电视台《问政光山》对副县长李明（分包县领导）实行电视问政。" in html
    assert "生成待办：发出预警催办通知（重点办）" in html
