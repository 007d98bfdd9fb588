"""X3: ``keyproj process validate FILE.bpmn`` runs the diagram checks before a deployment."""

from __future__ import annotations

from click.testing import CliRunner

from cli.main import cli
from tests.builders.diagrams import BPMN_DIR, FIXTURES, edited


def run(*args: str):
    return CliRunner().invoke(cli, ["process", "validate", *args])


def test_a_clean_diagram_validates_with_a_short_ok_line():
    result = run(str(BPMN_DIR / "handan_case.bpmn"))
    assert result.exit_code == 0, result.output
    assert result.output == "handan_case.bpmn：校验通过，可作为流程“handan_case”部署\n"


def test_an_unknown_lane_fails_naming_the_lane_and_each_task(tmp_path):
    path = tmp_path / "warning_case.bpmn"
    path.write_text(
        edited(
            (
                '<bpmn:lane id="lane_responsible" name="责任单位">',
                '<bpmn:lane id="lane_responsible" name="某某">',
            )
        ),
        encoding="utf-8",
    )
    result = run(str(path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == "warning_case.bpmn：发现 4 个问题，不能作为流程“warning_case”部署"
    assert (
        lines[1]
        == "  任务“受理并开展协调”（respond）：泳道“某某”不是已知角色（重点办、责任单位、县政府、督查室、督办单位）  [unknown-lane]"
    )
    assert all("泳道“某某”" in line for line in lines[1:])


def test_the_key_defaults_to_the_file_name_and_can_be_given(tmp_path):
    path = tmp_path / "copy.bpmn"
    path.write_bytes((BPMN_DIR / "warning_case.bpmn").read_bytes())
    refused = run(str(path))
    assert refused.exit_code == 1
    assert "流程编号应为“copy”" in refused.output
    assert run(str(path), "--key", "warning_case").exit_code == 0


def test_an_xxe_payload_fails_without_showing_the_file_it_names(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容-不得外泄-91c2", encoding="utf-8")
    path = tmp_path / "warning_case.bpmn"
    path.write_text(
        (FIXTURES / "xxe.bpmn").read_text(encoding="utf-8").replace("SECRET_PATH", str(secret))
    )
    result = run(str(path))
    assert result.exit_code == 1
    assert "文档类型定义（DOCTYPE）" in result.output
    assert "不得外泄" not in result.output


def test_a_ten_megabyte_file_fails_as_too_large(tmp_path):
    path = tmp_path / "warning_case.bpmn"
    path.write_bytes(b"<" + b"x" * (10 * 1024 * 1024))
    result = run(str(path))
    assert result.exit_code == 1
    assert "流程图文件过大：不能超过 1 MB" in result.output
