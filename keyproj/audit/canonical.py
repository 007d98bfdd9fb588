"""Canonical JSON: the one byte form of a value that every hash in the event log is taken over."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any

import orjson

_CONVERT_HINT = "Decimal、date、datetime 等须由调用方先转换为字符串或数字"
_INT64_MIN, _UINT64_MAX = -(2**63), 2**64 - 1  # the integers orjson writes


def canonical_json(value: Any) -> bytes:
    """Deterministic UTF-8 JSON (sorted keys, no spaces, non-ASCII kept); non-JSON values refused."""
    if not _check(value, ""):
        # orjson writes these values byte for byte as the json module below does (strings of
        # every code point, integers, keys sorted by code point; tests compare), ten times faster.
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:  # nested deeper than orjson goes
            pass
    # Floats (whose exponent notation differs) and integers beyond 64 bits: the json module.
    text = json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def check_json(value: object, path: str) -> None:
    """Raise TypeError/ValueError naming the key (``path``) of the first value JSON cannot hold."""
    _check(value, path)


def _check(value: object, path: str) -> bool:
    """check_json; True when the value holds a float or an integer beyond 64 bits."""
    # json.dumps would quietly turn tuples into lists and int keys into strings: the row read
    # back from the database would then differ from the value that was sealed. Only plain JSON
    # values pass, so what is hashed is exactly what is stored.
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not _INT64_MIN <= value <= _UINT64_MAX
    if isinstance(value, str):
        _check_text(value, path)
        return False
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{_where(path)}的值 {value!r} 不是有限数，JSON 无法表示")
        return True
    if isinstance(value, list):
        wide = False
        for index, item in enumerate(value):
            wide = _check(item, f"{path}[{index}]") or wide
        return wide
    if isinstance(value, dict):
        wide = False
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{_where(path)}中的键 {key!r} 不是字符串，JSON 的键只能是字符串")
            wide = _check(item, f"{path}.{key}" if path else key) or wide
        return wide
    raise TypeError(
        f"{_where(path)}的值类型为 {type(value).__name__}，不是 JSON 值（{_CONVERT_HINT}）"
    )


def utc_text(moment: datetime) -> str:
    """A moment as ISO-8601 UTC with microseconds and a ``Z`` suffix; naive moments are refused."""
    if moment.utcoffset() is None:
        raise ValueError("a naive datetime has no time zone; event times must be UTC-aware")
    # Always six fraction digits and always "Z": isoformat() drops ".000000" for whole seconds,
    # and the same instant must give the same text whatever offset the caller used.
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _check_text(value: str, path: str) -> None:
    # A lone surrogate survives in a Python str but cannot be encoded as UTF-8.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{_where(path)}的文字含有无法编码为 UTF-8 的字符") from exc


def _where(path: str) -> str:
    return f"键「{path}」" if path else "顶层"
