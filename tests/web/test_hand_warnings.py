"""The key office's hand-raised warnings (LP12): a page that raises a warning from daily
supervision with evidence and a file; it waits in triage (LP13), and the case its notice
starts shows the file."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from keyproj.db.models import Attachment, Case, EarlyWarning
from tests.builders import attachments
from tests.builders.web import login


def _raise(client, county, **overrides):
    data = {
        "project_id": str(county.road.id),
        "level": "progress",
        "colour": "yellow",
        "evidence": "现场督查发现主体工程停工15天",
        "file": (io.BytesIO(attachments.png()), "现场照片.png"),
    }
    data.update(overrides)
    return client.post("/warnings/new", data=data, content_type="multipart/form-data")


def test_lp12_lp13_a_warning_by_hand_waits_in_triage_and_its_case_shows_the_evidence(
    client, county, session
):
    login(client, "zdb")
    page = client.get(f"/warnings/new?project_id={county.road.id}").get_data(as_text=True)
    assert "督查预警" in page
    assert f'<option selected value="{county.road.id}">' in page

    sent = _raise(client, county)
    assert sent.status_code == 303, sent.get_data(as_text=True)
    assert sent.headers["Location"].endswith("/triage")
    warning = session.scalars(select(EarlyWarning)).one()
    assert (warning.source, warning.level, warning.colour) == ("supervision", "progress", "yellow")
    triage = client.get("/triage").get_data(as_text=True)
    assert "预警已登记，已进入待研判清单" in triage
    assert "现场督查发现主体工程停工15天" in triage
    road = str(county.road.id)
    issued = client.post(
        "/triage/notice",
        data={
            "group": road,
            "warning": str(warning.id),
            f"level-{road}": "progress",
            f"routing-{road}": "town",
            f"lead_unit_code-{road}": "T01",
            f"notice_text-{road}": "现场督查发现主体工程停工，请立即组织复工。",
        },
    )
    assert issued.status_code == 303
    case = session.scalars(select(Case)).one()
    assert case.warning_id == warning.id
    case_page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "现场照片.png" in case_page
    file = session.scalars(select(Attachment)).one()
    assert (file.owner_kind, file.owner_id) == ("warning", warning.id)


def test_lp12_a_refused_file_raises_no_warning_and_keeps_what_was_typed(client, county, session):
    login(client, "zdb")
    sent = _raise(client, county, file=(io.BytesIO(b"plain text"), "说明.pdf"))
    assert sent.status_code == 400
    page = sent.get_data(as_text=True)
    assert "文件类型不允许" in page
    assert "现场督查发现主体工程停工15天" in page
    assert session.scalar(select(func.count()).select_from(EarlyWarning)) == 0
    assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_lp12_a_unit_cannot_raise_a_warning_by_hand(client, county, session):
    login(client, "chengguan")
    assert client.get("/warnings/new").status_code == 403
    assert _raise(client, county).status_code == 403
    assert session.scalar(select(func.count()).select_from(EarlyWarning)) == 0
