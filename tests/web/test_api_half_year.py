"""API read of a half-year evaluation (GS2 半年评比): the composite ranking with the speakers'
roles, the tours counted, the published state; every signed-in reader's, without projects."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from keyproj.db.models import User
from keyproj.services.half_year import records
from tests.builders.county import County
from tests.builders.half_year import GS, composite_county
from tests.builders.web import api_error, bearer, json_of

JULY = datetime(2026, 7, 2, 2, tzinfo=UTC)


def _user(session, name: str) -> User:
    return session.scalars(select(User).where(User.username == name)).one()


def test_gs2_a_half_year_evaluation_reads_with_its_ranks_and_speakers(
    client, county: County, session
):
    composite_county(county)
    row = records.run(session, GS, county.people["zdb"], 2026, 1, JULY)
    records.publish(session, county.people["zdb"], row.id, JULY)
    session.commit()
    town = bearer(session, _user(session, "other"))  # 石桥镇: the county's evaluation
    body = json_of(client.get(f"/api/v1/half-year-evaluations/{row.id}", headers=town))
    assert (body["title"], body["published"], body["from"], body["to"]) == (
        "2026年上半年重点项目评比",
        True,
        "2026-01-01",
        "2026-06-30",
    )
    assert [(r["unit"], r["score"], r["rank"], r["role"]) for r in body["towns"]] == [
        ("城关镇", "88.50", 1, "经验介绍"),
        ("石桥镇", "86.50", 2, "经验介绍"),
        ("马畈镇", "85.00", 3, "表态发言"),
        ("十里镇", "84.50", 4, "表态发言"),
        ("晏河乡", None, None, None),
    ]
    assert body["towns"][-1]["reason"] == "无重点项目，不参与排名"
    assert [t["title"] for t in body["tours"]] == ["3月重点项目观摩", "5月重点项目观摩"]
    assert "projects" not in body["towns"][0]
    api_error(client.get("/api/v1/half-year-evaluations/999999", headers=town), 404, "not_found")
