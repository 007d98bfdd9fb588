"""What the pages load besides themselves: the site icon and the committed front-end libraries."""

from __future__ import annotations

from pathlib import Path

import pytest

VENDOR = Path(__file__).parents[2] / "web" / "static" / "vendor"


def test_favicon_is_served_to_anyone_as_an_icon(client):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 200
    assert answer.mimetype in {"image/vnd.microsoft.icon", "image/x-icon"}
    assert answer.data[:4] == b"\x00\x00\x01\x00"  # an ICO file, not the login page


@pytest.mark.parametrize(
    ("path", "marker"),
    [
        ("vendor/bpmn-js/bpmn-navigated-viewer.production.min.js", b"bpmn-navigated-viewer"),
        ("vendor/bpmn-js/diagram-js.css", b".djs-"),
        ("vendor/bpmn-js/bpmn-js.css", b".bjs-"),
        ("vendor/echarts.min.js", b"echarts"),
    ],
)
def test_the_libraries_the_pages_load_are_served_without_npm(client, path, marker):
    answer = client.get(f"/static/{path}")
    assert answer.status_code == 200
    assert marker in answer.data[:4096]
    answer.close()


def test_every_bundled_package_has_its_licence_next_to_it():
    listed = (VENDOR / "VERSIONS.txt").read_text(encoding="utf-8").splitlines()
    names = {line.split()[0] for line in listed}
    assert {"bpmn-js", "diagram-js", "echarts", "zrender"} <= names
    for name in names:
        folder = VENDOR / "licenses" / name.replace("/", "__")
        assert any(f.name.lower().startswith("licen") for f in folder.iterdir()), name
