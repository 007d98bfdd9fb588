"""The 依据 links (issue 15): a clause code is a small link to the clause's text, which every
signed-in user may read; pages name rules and tasks without codes."""

from __future__ import annotations

import re

from tests.builders.clock import bj
from tests.builders.web import casework_county, login


def test_the_clause_page_quotes_the_regulation(client, county):
    login(client, "chengguan")
    html = client.get("/clauses/LP13").get_data(as_text=True)
    assert "<h1>第十三条</h1>" in html
    assert "《连平县重点项目建设进度预警及协调处置工作规章》" in html
    assert "分类分层级处置" in html
    assert client.get("/clauses/LP11-1").status_code == 200  # an item shows its article
    assert client.get("/clauses/XX99").status_code == 404


def test_the_clause_page_needs_a_sign_in(client):
    answer = client.get("/clauses/LP13")
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


def test_a_case_page_links_the_warnings_clause_and_names_its_rule(client, session, clock):
    county = casework_county(session)
    case = county.open_case(county.road, clock.at(bj(2026, 3, 2, 9)))
    login(client, "zdb")
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    links = re.findall(r'<a class="clause-link" href="(/clauses/[^"]+)"[^>]*>依据</a>', html)
    assert "/clauses/LP11-1" in links
    # Only the active regulation's clauses: the rule also cites Handan's HD3 and Alxa's AL13.
    assert not [link for link in links if not link.startswith("/clauses/LP")]
    assert "建设进度滞后于序时进度" in html
    assert ">progress_lag<" not in html
