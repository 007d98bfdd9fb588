"""Files to import, written as an office would save them: the LP12 feedback CSV (ledger workbooks: ``tests.builders.ledger``)."""

from __future__ import annotations

from pathlib import Path

FEEDBACK_HEADER = "编号,来源,项目代码,期次,预警等级,预警颜色,预警内容,预警日期"


def feedback_csv(folder: Path, *lines: str) -> Path:
    """A feedback CSV (UTF-8 with BOM, as Excel saves it) with the header and ``lines``."""
    path = folder / "feedback.csv"
    path.write_text("\n".join([FEEDBACK_HEADER, *lines]) + "\n", encoding="utf-8-sig")
    return path
