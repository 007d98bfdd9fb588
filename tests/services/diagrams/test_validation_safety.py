"""X3: an uploaded diagram is read safely: no DTDs or entities (XXE), a size limit, XML and BPMN only."""

from __future__ import annotations

import pytest
from lxml import etree

from keyproj.services.diagrams import validation
from keyproj.services.diagrams.validation import MAX_DIAGRAM_BYTES, validate_diagram
from tests.builders.diagrams import FIXTURES, shipped

SECRET = "机密-这段内容绝不能出现在任何地方-7f3a"


@pytest.fixture
def secret_file(tmp_path):
    """A local file that an XXE payload names."""
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def xxe_payloads(path) -> dict[str, str]:
    """Ways a diagram can ask the parser to read a local file."""
    internal = (FIXTURES / "xxe.bpmn").read_text(encoding="utf-8").replace("SECRET_PATH", str(path))
    external_dtd = internal.replace(
        '<!DOCTYPE bpmn:definitions [\n  <!ENTITY secret SYSTEM "file://' + str(path) + '">\n]>',
        f'<!DOCTYPE bpmn:definitions SYSTEM "file://{path}">',
    ).replace("&secret;", "x")
    parameter = internal.replace(
        f'<!ENTITY secret SYSTEM "file://{path}">',
        f'<!ENTITY % secret SYSTEM "file://{path}"> %secret;',
    ).replace("&secret;", "x")
    assert internal != external_dtd
    assert internal != parameter
    return {"internal": internal, "external_dtd": external_dtd, "parameter": parameter}


def test_the_xxe_payload_reads_the_file_when_entities_are_resolved(secret_file):
    # The payload is live: a parser resolving entities (lxml, which the engine uses) reads it.
    payload = xxe_payloads(secret_file)["internal"].encode("utf-8")
    parsed = etree.fromstring(payload, etree.XMLParser(resolve_entities=True, no_network=True))
    assert SECRET in etree.tostring(parsed, encoding="unicode")


@pytest.mark.parametrize("kind", ["internal", "external_dtd", "parameter"])
def test_an_xxe_payload_is_refused_without_reading_the_file_it_names(secret_file, kind):
    problems = validate_diagram(xxe_payloads(secret_file)[kind], "warning_case")
    assert [(p.element_id, p.rule) for p in problems] == [(None, "xml-entities")]
    assert "安全" in problems[0].message
    assert SECRET not in repr(problems)


def test_a_billion_laughs_payload_is_refused():
    problems = validate_diagram((FIXTURES / "billion_laughs.bpmn").read_bytes(), "warning_case")
    assert [(p.element_id, p.rule) for p in problems] == [(None, "xml-entities")]
    assert "lollol" not in repr(problems)


def test_a_ten_megabyte_upload_is_refused_before_it_is_parsed(monkeypatch):
    def parse(*args, **kwargs):
        raise AssertionError("a too-large diagram was parsed")

    monkeypatch.setattr(validation, "fromstring", parse)
    padding = "<!-- " + "填充" * (5 * 1024 * 1024 // 2) + " -->"
    big = shipped().replace("<bpmn:definitions", padding + "\n<bpmn:definitions", 1)
    assert len(big.encode("utf-8")) > 10 * 1024 * 1024

    problems = validate_diagram(big, "warning_case")

    assert [(p.element_id, p.rule) for p in problems] == [(None, "too-large")]
    assert "不能超过 1 MB" in problems[0].message


def test_a_diagram_at_the_limit_is_read():
    xml = shipped()
    padded = xml.replace(
        "<bpmn:definitions",
        "<!--" + "x" * (MAX_DIAGRAM_BYTES - len(xml.encode()) - 8) + "-->\n<bpmn:definitions",
        1,
    )
    assert len(padded.encode("utf-8")) == MAX_DIAGRAM_BYTES
    assert validate_diagram(padded, "warning_case") == []
    assert validate_diagram(padded + " ", "warning_case")[0].rule == "too-large"


@pytest.mark.parametrize(
    ("data", "rule", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not-utf8", "不是 UTF-8"),
        ("这不是流程图".encode(), "not-xml", "不是合法的 XML"),
        ("<bpmn:definitions><bpmn:process></bpmn:definitions>", "not-xml", "第1行"),
        ("<html><body>流程图</body></html>", "not-bpmn", "根元素应为 bpmn:definitions"),
        (
            '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" />',
            "process-id",
            "没有流程",
        ),
    ],
)
def test_a_file_that_is_not_a_bpmn_diagram_is_refused_clearly(data, rule, words):
    problems = validate_diagram(data, "warning_case")
    assert [(p.element_id, p.rule) for p in problems] == [(None, rule)]
    assert words in problems[0].message


def test_elements_nested_without_end_are_refused_instead_of_exhausting_the_checks():
    depth = 20_000  # fits the size limit; a recursive check would stop with RecursionError
    body = '<bpmn:subProcess id="s">' * depth + "</bpmn:subProcess>" * depth
    xml = (
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">'
        f'<bpmn:process id="warning_case">{body}</bpmn:process></bpmn:definitions>'
    )
    problems = validate_diagram(xml, "warning_case")
    assert [(p.element_id, p.rule) for p in problems] == [(None, "too-deep")]
    assert "嵌套过深" in problems[0].message


def test_an_expression_too_deep_to_compile_is_refused_on_its_element():
    xml = shipped().replace('entry == "supervision"', "1" + "+1" * 100_000)
    problems = validate_diagram(xml, "warning_case")
    assert [(p.element_id, p.rule) for p in problems] == [
        ("f_entry_supervision", "expression-syntax")
    ]
    assert "过于复杂" in problems[0].message


def test_a_diagram_declaring_another_encoding_is_refused():
    xml = shipped().replace('encoding="UTF-8"', 'encoding="GBK"', 1)
    problems = validate_diagram(xml, "warning_case")
    assert [(p.element_id, p.rule) for p in problems] == [(None, "not-utf8")]
    assert "GBK" in problems[0].message
