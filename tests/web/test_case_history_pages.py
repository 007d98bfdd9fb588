"""The auditors' pages of a case (X4): the history step by step with the chain verified, the
re-execution table, the dossier (DOCX) and the raw events (JSON)."""

from __future__ import annotations

import json
import re
from io import BytesIO

import docx
import pytest
from sqlalchemy import delete, select, update

from keyproj.audit import EventRecord, seal
from keyproj.db.models import Case, CaseEvent
from keyproj.services.cases.audit import case_records
from tests.builders.clock import bj
from tests.builders.forms import form
from tests.builders.web import casework_county, login


@pytest.fixture
def answered(session) -> Case:
    """城关镇's road case: noticed on Mon 2 Mar 2026, answered by the town the next day."""
    county = casework_county(session).with_people("auditor", "admin")
    case = county.open_case(county.road, bj(2026, 3, 2, 9))
    county.notify(case, bj(2026, 3, 2, 10))
    county.complete("town", case, "respond", form("respond"), bj(2026, 3, 3, 10))
    county.committed()
    return case


def page(client, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, answer.status_code
    return answer.get_data(as_text=True)


def steps_of(html: str) -> list[str]:
    return re.findall(r'class="history-step[^"]*" data-step="(\d+)"', html)


def current_of(html: str) -> str:
    found = re.search(r'class="history-step is-current[^"]*" data-step="(\d+)"', html)
    assert found is not None
    return found.group(1)


def test_x4_the_auditor_steps_through_the_history_without_script(client, answered, session):
    login(client, "auditor")
    html = page(client, f"/cases/{answered.id}/history")
    count = session.get(Case, answered.id).event_count
    assert len(steps_of(html)) == count
    assert current_of(html) == str(count)  # the last step first
    assert 'type="range"' in html
    assert f'max="{count}"' in html
    assert "哈希链校验通过" in html
    second = page(client, f"/cases/{answered.id}/history?step=2")
    assert current_of(second) == "2"
    assert f'href="/cases/{answered.id}/history?step=1"' in second  # 上一步
    assert f'href="/cases/{answered.id}/history?step=3"' in second  # 下一步
    assert 'data-active="issue_notice"' in second  # before the notice: waiting for it
    pages = [page(client, f"/cases/{answered.id}/history?step={k}") for k in range(1, count + 1)]
    actors = [found(r'id="step-actor">([^<]*)<', html) for html in pages]
    units = [found(r'id="step-unit">([^<]*)<', html) for html in pages]
    answer = actors.index("用户town")  # who answered, for which unit
    assert units[answer] == "城关镇"
    assert "issue_notice" in found(r'data-path="([^"]*)"', pages[answer])
    assert "respond" not in found(r'data-active="([^"]*)"', pages[answer])


def test_x4_a_malformed_step_is_refused_by_name(client, answered):
    login(client, "auditor")
    answer = client.get(f"/cases/{answered.id}/history?step=abc")
    assert answer.status_code == 400
    assert "步骤" in answer.get_data(as_text=True)


@pytest.mark.parametrize(("who", "status"), [("zdb", 403), ("town", 403), ("admin", 200)])
def test_x4_only_auditors_and_administrators_see_the_history(client, answered, who, status):
    login(client, who)
    for path in ("history", "history/reexecute", "dossier.docx", "events.json"):
        answer = client.get(f"/cases/{answered.id}/{path}")
        assert answer.status_code == status, path
        answer.close()


def test_x4_an_edited_event_is_shown_as_the_first_broken_step(client, answered, session):
    target = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == answered.id).order_by(CaseEvent.id)
    ).all()[3]
    forged = {**target.data, "forged": True}
    session.execute(update(CaseEvent).where(CaseEvent.id == target.id).values(data=forged))
    session.commit()
    login(client, "auditor")
    html = page(client, f"/cases/{answered.id}/history")
    assert "事件被修改" in html
    assert f"第{target.seq}条事件内容被修改" in html
    assert "首个异常事件：" in html
    assert f'history?step=4">第4步（事件序号{target.seq}）' in html
    assert html.count('<span class="tag tag--red">不可信</span>') == len(steps_of(html)) - 3


def found(pattern: str, html: str) -> str:
    """The first group of ``pattern`` in the page, which must be there."""
    match = re.search(pattern, html)
    assert match, pattern
    return match.group(1)


def tamper_delete(session, rows: list[CaseEvent]) -> None:
    session.execute(delete(CaseEvent).where(CaseEvent.id == rows[3].id))


def tamper_reorder(session, rows: list[CaseEvent]) -> None:
    a, b = rows[3:5]
    columns: tuple[str, ...] = ("seq", "kind", "actor_id", "unit_id", "task_id", "task_name")
    columns += ("data", "occurred_at", "state_hash", "prev_hash", "hash")
    values_a = {name: getattr(a, name) for name in columns}
    values_b = {name: getattr(b, name) for name in columns}
    session.execute(update(CaseEvent).where(CaseEvent.id == a.id).values(seq=-1))
    session.execute(update(CaseEvent).where(CaseEvent.id == b.id).values(**values_a))
    session.execute(update(CaseEvent).where(CaseEvent.id == a.id).values(**values_b))


@pytest.mark.parametrize(
    ("tamper", "kind", "words"),
    [
        (tamper_delete, "被删除", "第4条已被删除"),
        (tamper_reorder, "顺序被调换", "第5条出现在第4条之前"),
    ],
)
def test_x4_a_deleted_or_reordered_event_is_the_first_broken_step(
    client, answered, session, tamper, kind, words
):
    rows = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == answered.id).order_by(CaseEvent.id)
    ).all()
    tamper(session, list(rows))
    session.commit()
    login(client, "auditor")
    html = page(client, f"/cases/{answered.id}/history")
    assert f"事件{kind}" in html
    assert words in html
    assert 'history?step=4">第4步（事件序号5）' in html


def reseal(session, case_id: int, index: int, change) -> None:
    """A forger who changes event ``index`` (0-based) and seals the whole chain again."""
    records = case_records(session, case_id)
    rows = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
    ).all()
    prev = records[0].prev_hash
    for i, (record, row) in enumerate(zip(records, rows, strict=True)):
        fields = {**record.row(), "prev_hash": "", "hash": ""}
        if i == index:
            fields["data"] = change(record.data)
        sealed = seal(EventRecord(**fields), prev)
        row.data, row.prev_hash, row.hash = sealed.data, sealed.prev_hash, sealed.hash
        prev = sealed.hash
    session.execute(update(Case).where(Case.id == case_id).values(last_event_hash=prev))
    session.commit()


def test_x4_reexecution_finds_a_resealed_forgery_the_chain_cannot(client, answered, session):
    rows = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == answered.id).order_by(CaseEvent.id)
    ).all()
    index = next(
        i for i, r in enumerate(rows) if r.task_name == "respond" and r.kind == "completed"
    )

    def change(data):
        answer = dict(data["input"]["respond"])
        answer["measures"] = "伪造的整改措施"
        return {**data, "input": {**data["input"], "respond": answer}}

    reseal(session, answered.id, index, change)
    login(client, "auditor")
    html = page(client, f"/cases/{answered.id}/history/reexecute")
    assert "哈希链校验通过" in html
    first = re.search(r'<tr class="is-first-mismatch" data-step="(\d+)"', html)
    assert first is not None
    assert first.group(1) == str(index + 1)
    assert f"第{index + 1}步" in html
    assert html.count('tag--green">一致') == index


def test_x4_the_dossier_and_the_raw_events_for_the_archive(client, answered, session):
    login(client, "auditor")
    answer = client.get(f"/cases/{answered.id}/dossier.docx")
    assert answer.status_code == 200
    assert answer.mimetype.endswith("wordprocessingml.document")
    document = docx.Document(BytesIO(answer.data))
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("哈希链校验通过") for t in texts)
    assert any(t.startswith("重新执行：每一步的状态哈希均与记录一致") for t in texts)
    assert any(t.startswith("提交内容：") and "通知正文：" in t for t in texts)  # the notice
    assert "本步未改变案件数据。" in texts  # a unit's answer stays within its own part (LP13)
    timeline = document.tables[1]
    count = session.get(Case, answered.id).event_count
    assert len(timeline.rows) == count + 1
    assert "用户town" in {cell.text for row in timeline.rows for cell in row.cells}
    raw = client.get(f"/cases/{answered.id}/events.json")
    assert raw.status_code == 200
    payload = json.loads(raw.data)
    assert payload["verification"]["intact"] is True
    assert [e["seq"] for e in payload["events"]] == list(range(1, count + 1))
    assert payload["events"][-1]["hash"] == payload["case"]["last_event_hash"]
    assert payload["events"][1]["prev_hash"] == payload["events"][0]["hash"]


@pytest.mark.parametrize(("who", "linked"), [("auditor", True), ("admin", True), ("zdb", False)])
def test_x4_the_case_page_links_its_history_for_those_who_audit(client, answered, who, linked):
    login(client, who)
    html = page(client, f"/cases/{answered.id}")
    assert (f'href="/cases/{answered.id}/history"' in html) is linked
