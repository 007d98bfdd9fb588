"""The columns of the project ledger (台账) workbook: headers, widths, and cell reading and writing."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from keyproj.codes import PROJECT_LEVELS, PROJECT_NATURES, PROJECT_STAGES
from keyproj.inputs import BadInput, parse_date, parse_decimal, text_problem
from keyproj.validation import Checks


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason shown to the user."""


@dataclass(frozen=True)
class Column:
    """One ledger column; ``field`` is a ProjectData field, or ``serial`` / ``annual_investment``."""

    header: str
    field: str
    kind: str
    width: int = 14
    required: bool = False
    # When False a blank cell keeps the stored (or default) value instead of clearing it.
    nullable: bool = True
    max_length: int | None = None
    choices: dict[str, str] | None = None


COLUMNS: tuple[Column, ...] = (
    Column("序号", "serial", "serial", width=6),
    Column("项目名称", "name", "text", width=36, required=True, max_length=200),
    Column("项目代码", "code", "text", width=26, required=True),
    Column("项目级别", "level", "choice", width=12, required=True, choices=PROJECT_LEVELS),
    Column("建设性质", "nature", "choice", width=10, required=True, choices=PROJECT_NATURES),
    Column("项目阶段", "stage", "choice", width=12, nullable=False, choices=PROJECT_STAGES),
    Column("总投资（万元）", "total_investment", "amount", width=14, required=True),
    Column("是否使用中央资金", "central_funds", "bool", width=10, nullable=False),
    Column("是否政府投资", "government_invested", "bool", width=10, nullable=False),
    Column("年度计划投资（万元）", "annual_investment", "amount", width=14),
    Column("牵头责任单位", "lead_unit_code", "text", width=22, required=True, max_length=100),
    Column("建设单位", "construction_unit", "text", width=26, max_length=200),
    Column("联系领导", "leader_name", "text", width=10, max_length=50),
    Column("建设地点", "location", "text", width=22, max_length=200),
    Column("产业链", "industry_chain", "text", width=14, max_length=100),
    Column("批准（计划下达）日期", "approved_on", "date", width=14),
    Column("计划开工日期", "planned_start", "date", width=14),
    Column("计划竣工日期", "planned_completion", "date", width=14),
)
BY_HEADER = {c.header: c for c in COLUMNS}
HEADER_OF = {c.field: c.header for c in COLUMNS}
TRUE_WORDS = {"是", "true", "1", "y", "yes"}
FALSE_WORDS = {"否", "false", "0", "n", "no"}
# A date typed as text: ASCII digits (a full-width ２０２６ is refused, not read as 2026).
DATE_TEXT = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def normalise_header(value: Any) -> str:
    """A header cell as text, tolerant of spaces, line breaks and half-width brackets."""
    text = "" if value is None else re.sub(r"\s+", "", str(value))
    return text.replace("(", "（").replace(")", "）")


def is_blank(value: Any) -> bool:
    """True for an empty cell or one holding only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def read_cell(column: Column, value: Any) -> Any:
    """The cell's value in domain terms (codes, Decimal, bool, date); None when blank."""
    if is_blank(value):
        if column.required:
            raise CellError("不能为空")
        return None
    return _READERS[column.kind](column, value)


def write_cell(column: Column, value: Any) -> Any:
    """The value to put in a cell: labels for codes, 是/否, numbers without trailing zeros."""
    if value is None:
        return None
    if column.kind == "choice" and column.choices:
        return column.choices.get(value, value)
    if column.kind == "bool":
        return "是" if value else "否"
    if column.kind in ("amount", "percent"):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def plain(amount: Decimal) -> str:
    """An amount without trailing zeros, for messages."""
    return f"{amount.normalize():f}"


def _text(column: Column, value: Any) -> str:
    if isinstance(value, datetime | date):
        text = value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value).strip()
    problem = text_problem(text)
    if problem:
        raise CellError(problem)
    if column.max_length and len(text) > column.max_length:
        raise CellError(f"不能超过{column.max_length}个字符")
    return text


def _choice(column: Column, value: Any) -> str:
    text = str(value).strip()
    choices = column.choices or {}
    if text in choices:
        return text
    for code, label in choices.items():
        if label == text:
            return code
    raise CellError(f"取值“{text}”无效，可选：{'、'.join(choices.values())}")


def _amount(column: Column, value: Any) -> Decimal:
    if isinstance(value, bool | datetime | date):
        raise CellError("应为数字（万元）")
    typed = value.strip() if isinstance(value, str) else value
    try:
        amount = parse_decimal(typed)
    except BadInput as exc:
        if isinstance(typed, str) and "," in typed:  # the reason says how to group the digits
            raise CellError(str(exc)) from None
        raise CellError(f"“{value}”不是数字，应填金额（万元，半角数字）") from None
    checks = Checks({})
    checks.amount(column.field, amount)
    if checks.errors:
        raise CellError(checks.errors[0].reason)
    return amount


def _bool(column: Column, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(int(value)) if isinstance(value, int | float) and value in (0, 1) else str(value)
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"取值“{value}”无效，应填“是”或“否”")


def _date(column: Column, value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = DATE_TEXT.fullmatch(text)
    if match:
        try:
            return parse_date("-".join(part.zfill(2) for part in match.groups()))
        except BadInput:
            pass
    raise CellError(f"“{value}”不是有效日期，应为日期格式或如 2026-03-01 的文字（半角数字）")


def _percent(column: Column, value: Any) -> Decimal:
    if isinstance(value, bool | datetime | date):
        raise CellError("应为0到100之间的数字（%）")
    typed = value.strip().removesuffix("%") if isinstance(value, str) else value
    try:
        pct = parse_decimal(typed)
    except BadInput:
        raise CellError(f"“{value}”不是数字，应填0到100之间的百分比") from None
    checks = Checks({})
    checks.percent(column.field, pct)
    if checks.errors:
        raise CellError(checks.errors[0].reason)
    return pct


def _period(column: Column, value: Any) -> str:
    # Excel turns a typed 2026-03 into the date 2026-03-01: that cell means the month.
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    return _text(column, value)


def _serial(column: Column, value: Any) -> Any:
    return value


_READERS: dict[str, Callable[[Column, Any], Any]] = {
    "text": _text,
    "choice": _choice,
    "amount": _amount,
    "bool": _bool,
    "date": _date,
    "percent": _percent,
    "period": _period,
    "serial": _serial,
}
