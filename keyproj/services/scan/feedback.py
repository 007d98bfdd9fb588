"""Warnings fed back by the provincial or city key-project system (LP12), read from CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.codes import COLOURS, WARNING_LEVELS, WarningSource
from keyproj.db.models import Project
from keyproj.errors import ImportRowError, ValidationError
from keyproj.inputs import ADMIN_YEARS, BadInput, parse_date, text_problem
from keyproj.rules.base import Candidate, chunks, evidence
from keyproj.services.textfile import UnreadableText, decode_text

FEEDBACK = ("LP12", "GS4")
SCALARS = (str, int, float, type(None))  # what a JSON field may hold
ORIGINS = {"province": "省", "city": "市"}
ORIGIN_WORDS = {"province": "province", "省": "province", "省级": "province"} | {
    "city": "city",
    "市": "city",
    "市级": "city",
}
LEVEL_WORDS = {code: code for code in WARNING_LEVELS} | {v: k for k, v in WARNING_LEVELS.items()}
COLOUR_WORDS = (
    {code: code for code in COLOURS}
    | {label: code for code, label in COLOURS.items()}
    | {label[0]: code for code, label in COLOURS.items()}
)


@dataclass(frozen=True)
class Field:
    """One column of the feedback file: its English key, its Chinese header, whether required."""

    key: str
    header: str
    required: bool = True


FIELDS = (
    Field("reference", "编号"),
    Field("origin", "来源"),
    Field("project_code", "项目代码"),
    Field("period", "期次"),
    Field("level", "预警等级"),
    Field("colour", "预警颜色"),
    Field("message", "预警内容"),
    Field("raised_on", "预警日期", required=False),
)
BY_NAME = {f.key: f for f in FIELDS} | {f.header: f for f in FIELDS}


def read_feedback(session: Session, path: Path) -> list[Candidate]:
    """The file's warnings as candidates; any bad row refuses the whole file (ImportRowError)."""
    return check_rows(session, _read_rows(path))


def feedback_records(session: Session, data: Any) -> list[Candidate]:
    """Warnings sent as JSON (the API's body): the file import's checks on the same items, so the
    two cannot disagree; item numbers count from 1 as in a JSON file (ImportRowError)."""
    return check_rows(session, _json_items(data))


def check_rows(session: Session, rows: list[tuple[int, dict[str, Any]]]) -> list[Candidate]:
    """Candidates from numbered rows of field values; every bad row is named (ImportRowError)."""
    problems: list[tuple[int, str, str]] = []
    # Text no code could hold (NUL, …) is looked up nowhere: its row reports an unknown project.
    codes = sorted(
        c
        for c in {str(r.get("project_code") or "").strip() for _, r in rows} - {""}
        if not text_problem(c)
    )
    known: dict[str, int] = {}
    for part in chunks(codes):
        query = select(Project.code, Project.id).where(Project.code.in_(part))
        known.update((code, project_id) for code, project_id in session.execute(query))
    seen: dict[tuple[str, int, str], int] = {}
    out: list[Candidate] = []
    for number, raw in rows:
        found = _check_row(number, raw, known, problems)
        if found is None:
            continue
        twin = seen.setdefault(found.key, number)
        if twin != number:
            problems.append((number, "期次", f"与第{twin}行是同一项目、来源、等级和期次的预警"))
            continue
        out.append(found)
    if problems:
        raise ImportRowError(problems)
    if not out:
        raise ImportRowError([(1, "文件", "文件中没有任何预警")])
    return out


def _read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {field key: value}) from CSV (header on line 1) or JSON (items from 1)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ImportRowError([(1, "文件", f"不支持的文件类型“{path.suffix}”，应为 .csv 或 .json")])
    try:
        text = decode_text(path.read_bytes())  # GB18030: a CSV saved by Excel on a Chinese Windows
    except UnreadableText as exc:
        raise ImportRowError([(1, "文件", str(exc))]) from None
    return _json_rows(text) if suffix == ".json" else _csv_rows(text)


def _csv_rows(text: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text))
    try:
        return _csv_records(reader)
    except csv.Error as exc:
        # The csv module refuses a cell over its field limit (128 KB) and malformed quoting.
        reason = (
            f"单元格内容超过{csv.field_size_limit() // 1024}KB，不是有效的预警文件"
            if "field limit" in str(exc)
            else f"不是有效的 CSV：{exc}"
        )
        raise ImportRowError([(reader.line_num, "CSV", reason)]) from None


def _csv_records(reader: Iterator[list[str]]) -> list[tuple[int, dict[str, Any]]]:
    header = [h.strip() for h in next(reader, [])]
    unknown = [h for h in header if h and h not in BY_NAME]
    missing = [f.header for f in FIELDS if f.required and not {f.key, f.header} & set(header)]
    if unknown or missing:
        reason = "；".join(
            part
            for part in (
                unknown and f"未知的列：{'、'.join(unknown)}",
                missing and f"缺少必填列：{'、'.join(missing)}",
            )
            if part
        )
        raise ImportRowError([(1, "表头", reason)])
    keys = [BY_NAME[h].key if h else "" for h in header]
    out = []
    for number, cells in enumerate(reader, start=2):
        if any(c.strip() for c in cells):
            out.append((number, {k: v for k, v in zip(keys, cells, strict=False) if k}))
    return out


def _json_rows(text: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRowError([(exc.lineno, "JSON", f"不是有效的 JSON：{exc.msg}")]) from None
    except RecursionError:
        raise ImportRowError([(1, "JSON", "嵌套层次过深，应为预警对象的数组")]) from None
    except ValueError:  # an integer of thousands of digits
        raise ImportRowError([(1, "JSON", "含有过长的数字，不是有效的预警文件")]) from None
    return _json_items(data)


def _json_items(data: Any) -> list[tuple[int, dict[str, Any]]]:
    items = data.get("warnings") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ImportRowError([(1, "JSON", "应为预警对象的数组，或带 warnings 数组的对象")])
    out = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ImportRowError([(number, "JSON", "每条预警应为一个对象")])
        unknown = sorted(k for k in item if k not in BY_NAME)
        if unknown:
            raise ImportRowError([(number, unknown[0], "未知的字段")])
        nested = [k for k, v in item.items() if not isinstance(v, SCALARS) or isinstance(v, bool)]
        if nested:
            header = BY_NAME[nested[0]].header
            raise ImportRowError(
                [(number, header, "应为文字、数字或 null，不能是对象、数组或布尔值")]
            )
        out.append((number, {BY_NAME[k].key: v for k, v in item.items()}))
    return out


def _check_row(
    number: int, raw: dict[str, Any], known: dict[str, int], problems: list[tuple[int, str, str]]
) -> Candidate | None:
    """A candidate from one row, or None after noting each of its problems."""
    before = len(problems)
    value = {f.key: str(raw.get(f.key) or "").strip() for f in FIELDS}

    def bad(key: str, reason: str) -> None:
        problems.append((number, BY_NAME[key].header, reason))

    for f in FIELDS:
        if f.required and not value[f.key]:
            bad(f.key, "必填")
    _unstorable_text(value, bad)
    origin = ORIGIN_WORDS.get(value["origin"].lower())
    level = LEVEL_WORDS.get(value["level"].lower())
    colour = COLOUR_WORDS.get(value["colour"].lower())
    if value["origin"] and origin is None:
        bad("origin", f"“{value['origin']}”应为 省 或 市（province / city）")
    if value["project_code"] and value["project_code"] not in known:
        bad("project_code", f"系统中没有项目代码为“{value['project_code']}”的项目")
    period_problem = value["period"] and _period_problem(value["period"])
    if period_problem:
        bad("period", period_problem)
    if value["level"] and level is None:
        bad("level", f"“{value['level']}”应为 {'、'.join(WARNING_LEVELS.values())}")
    if value["colour"] and colour is None:
        bad("colour", f"“{value['colour']}”应为 {'、'.join(COLOURS.values())}")
    if len(value["reference"]) > 40 or len(value["message"]) > 2000:
        bad("message" if len(value["message"]) > 2000 else "reference", "内容过长")
    raised_on = None
    try:
        raised_on = parse_date(value["raised_on"], ADMIN_YEARS) if value["raised_on"] else None
    except BadInput as exc:
        bad("raised_on", str(exc))
    if len(problems) > before or origin is None or level is None or colour is None:
        return None
    return Candidate(
        f"feedback_{origin}_{level}",
        known[value["project_code"]],
        value["period"],
        level,
        colour,
        evidence(
            value["message"],
            FEEDBACK,
            f"{ORIGINS[origin]}重点项目信息管理系统预警反馈（LP12）",
            origin=ORIGINS[origin],
            reference=value["reference"],
            raised_on=raised_on,
            row=number,
        ),
        source=WarningSource.FEEDBACK,
    )


def _unstorable_text(value: dict[str, str], bad: Callable[[str, str], None]) -> None:
    """Note each cell holding what no text may (NUL and other controls, lone surrogates)."""
    for key, text in value.items():
        problem = text_problem(text)
        if problem:
            bad(key, problem)
            value[key] = ""  # checked no further: its one reason is this


def _period_problem(key: str) -> str | None:
    """Why ``key`` is no period (ASCII digits, a sensible year), or None."""
    try:
        periods.check_key(key)
    except ValidationError as exc:
        return exc.errors[0].reason
    return None
