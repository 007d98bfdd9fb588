"""Pages in the users' words (issue 15): every page of the URL map, read by a role that may see
it, shows no raw field name, internal id, status code, ``None`` or ISO timestamp — and every
evidence key a rule writes has a Chinese label."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import select

from keyproj.db.models import ApiToken, User
from keyproj.services.reference import wording
from tests.builders.pages import READERS, page_urls, page_world, visible_text
from tests.builders.web import login
from tests.builders.words import problems, raw_words

RULE_SOURCES = Path(wording.__file__).parents[2] / "rules"
SCAN_SOURCES = Path(wording.__file__).parents[1] / "scan"
# The AL7 same-day start report, the DC1 site sign and the HD6 notice of interview: not in
# Lianping's profile (404).
OFF_IN_LIANPING = {
    "reports.start",
    "registries.site_sign",
    "registries.site_sign_docx",
    "interviews.notice_docx",
    "meetings.show",  # DC3 and the other counties' meetings: Lianping holds none on a cadence
    "meetings.docx",
    # DC5's chains and GS5's bulletin file: not in Lianping's profile (404); the chain pages'
    # words are checked under Dancheng in tests/web/test_sitework_pages.py.
    "chains.detail",
    "chains.edit",
    "chains.new",
    "inspections.bulletin_docx",
}
# The policy profile as the administrators' read-only page quotes the file: its keys and values
# are the file's own text, to be found in it (keyproj/policy/profiles/*.toml).
TECHNICAL = {"admin.profile"}


@pytest.fixture
def world(session, clock, tmp_path):
    return page_world(session, clock, tmp_path)


def test_every_page_speaks_the_users_words(app, session, world):
    """The acceptance test of issue 15, item 6: each page as every role allowed to see it."""
    readers = {}
    for username in READERS:
        readers[username] = app.test_client()
        login(readers[username], username)
    anonymous = app.test_client()
    reader_of = {id(c): name for name, c in readers.items()} | {id(anonymous): "未登录"}
    # Login names are identifiers their owners type and administrators look up, and a token's
    # prefix is how its owner recognises it (random: it may look like a field name): shown on
    # purpose.
    allowed = set(session.scalars(select(User.username)))
    allowed |= set(session.scalars(select(ApiToken.prefix)))
    raw = raw_words()
    failures: dict[str, list[str]] = {}
    answered: dict[str, set[str]] = {}  # endpoint → what its readers got: page, file, redirect
    for endpoint, url in page_urls(app, world.args):
        pages = [anonymous] if endpoint.startswith("auth.") else list(readers.values())
        got = answered.setdefault(endpoint, set())
        for reader in pages:
            answer = reader.get(url)
            if answer.status_code in (301, 302, 303):
                got.add("redirect")
            if answer.status_code != 200:
                continue
            if answer.mimetype != "text/html":
                got.add("file")
                break
            got.add("page")
            if endpoint in TECHNICAL:
                continue
            shown = problems(visible_text(answer.get_data(as_text=True)), allowed, raw)
            if shown:
                failures[f"{url} ({reader_of[id(reader)]})"] = shown
    assert not failures, "\n".join(f"{url}: {', '.join(what)}" for url, what in failures.items())
    unread = {e for e, got in answered.items() if not got} - OFF_IN_LIANPING
    assert not unread, f"no reader got these pages: {sorted(unread)}"
    read = {e for e, got in answered.items() if "page" in got}
    assert {"cases.detail", "inbox.task", "projects.detail", "clauses.detail"} <= read
    assert {"admin.users", "auth.login", "report_review.queue", "urgent.list"} <= read


def test_the_check_sees_what_users_should_not_read():
    """The checks themselves: each kind of leak is caught, Chinese text and usernames are not."""
    raw = raw_words()
    text = "规则 progress_lag；状态 supervised；issue-3；None；2026-03-05T09:00:00+00:00（LP16）"
    assert problems(text, set(), raw) == [
        "ISO timestamp 2026-03-05T09:00:00+00:00",
        "clause code LP16",
        "code supervised",
        "field name progress_lag",
        "internal id issue-3",
        "literal None",
    ]
    assert problems("用户town（城关镇）2026-03-05 09:00 共 3 项", {"town"}, raw) == []


def _evidence_keys(folder: Path) -> dict[str, set[str]]:
    """Every key a rule's ``evidence(...)`` call writes, by module: its keyword arguments and
    the keys of the dicts returned by the helpers it spreads in (``**_facts(row)``)."""
    found: dict[str, set[str]] = {}
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        returned = _returned_keys(tree)
        keys: set[str] = set()
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "evidence"):
                continue
            for kw in node.keywords:
                if kw.arg is not None:
                    keys.add(kw.arg)
                elif isinstance(kw.value, ast.Call):
                    name = getattr(kw.value.func, "attr", getattr(kw.value.func, "id", ""))
                    keys |= returned.get(name, set())
        if keys:
            found[path.name] = keys
    return found


def _returned_keys(tree: ast.Module) -> dict[str, set[str]]:
    """The string keys of the dict literals each function of a module returns."""
    keys: dict[str, set[str]] = {}
    for func in ast.walk(tree):
        if isinstance(func, ast.FunctionDef):
            for node in ast.walk(func):
                if isinstance(node, ast.Return) and isinstance(node.value, ast.Dict):
                    keys.setdefault(func.name, set()).update(
                        str(k.value) for k in node.value.keys if isinstance(k, ast.Constant)
                    )
    return keys


def test_every_evidence_key_a_rule_writes_has_a_chinese_label():
    """LP11 evidence in words: a key a rule adds without a label would vanish from the page."""
    written = _evidence_keys(RULE_SOURCES) | _evidence_keys(SCAN_SOURCES)
    # The helpers spread into evidence live in other modules of the rules (standing.numbers).
    spread = {
        k for keys in map(_returned_keys, _trees(RULE_SOURCES)) for k in keys.get("numbers", ())
    }
    assert {"progress.py", "issues.py", "schedule.py", "hand.py", "feedback.py"} <= set(written)
    assert "ratio" in spread
    assert "issue_title" in written["issues.py"]
    unlabelled = {
        module: sorted(k for k in keys if not wording.labelled(k))
        for module, keys in (written | {"standing.py": spread}).items()
    }
    assert not {m: k for m, k in unlabelled.items() if k}, unlabelled


def _trees(folder: Path) -> list[ast.Module]:
    return [ast.parse(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.py"))]
