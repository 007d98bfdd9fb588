"""``keyproj import leaders|liaisons|teams`` as the key office runs them (LP5, AL8, GS3, DC1)."""

from __future__ import annotations

from tests.builders.cli import Run
from tests.builders.registries import sheet


def test_lp5_import_liaisons_refuses_a_bad_file_then_accepts_a_good_one(run: Run, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(sheet(["单位", "姓名", "联系电话"], ["县重点项目建设办公室", "张伟", "123"]))
    refused = run("import", "liaisons", str(bad))
    assert refused.exit_code == 1
    assert "第2行「联系电话」" in refused.output
    assert "未导入任何数据" in refused.output
    good = tmp_path / "good.xlsx"
    good.write_bytes(
        sheet(["单位", "姓名", "联系电话"], ["县重点项目建设办公室", "张伟", "13800000000"])
    )
    accepted = run("import", "liaisons", str(good))
    assert accepted.exit_code == 0, accepted.output
    assert "导入完成：联络员1行" in accepted.output


def test_dc1_import_leaders_then_a_team_naming_an_unknown_project(run: Run, tmp_path):
    leaders = tmp_path / "leaders.xlsx"
    leaders.write_bytes(sheet(["姓名", "职务"], ["王强", "副县长"], ["李明", "县委常委"]))
    done = run("import", "leaders", str(leaders))
    assert done.exit_code == 0, done.output
    assert "导入完成：县领导2行" in done.output
    teams = tmp_path / "teams.xlsx"
    teams.write_bytes(
        sheet(["项目代码", "职责", "姓名"], ["2026-441623-48-01-999999", "项目长", "王强"])
    )
    refused = run("import", "teams", str(teams))
    assert refused.exit_code == 1
    assert "第2行「项目代码」：未找到项目“2026-441623-48-01-999999”" in refused.output
