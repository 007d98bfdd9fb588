"""Loads a profile file: every value must cite a requirement (``source``) or be a marked local choice."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

import pydantic

from keyproj.errors import PolicyError
from keyproj.policy.model import SEVERITY_LABELS, SEVERITY_RULES, PolicyProfile

PROFILE_DIR = Path(__file__).with_name("profiles")
REQUIREMENT_ID = re.compile(r"^(X|LP|AL|HD|DC|GS)\d+(-\d+)?$")
UNCITED_SECTIONS = {"profile"}


def available_profiles(directory: Path = PROFILE_DIR) -> list[str]:
    """The profile names shipped in ``directory``."""
    return sorted(p.stem for p in directory.glob("*.toml"))


@lru_cache(maxsize=16)
def _cached(path: Path, mtime: float) -> PolicyProfile:
    return load_profile_file(path)


def load_profile(name: str, directory: Path = PROFILE_DIR) -> PolicyProfile:
    """The validated profile called ``name``; PolicyError names the file and key when it is wrong.

    A name ending in ``.toml`` is a county's own profile file (a shipped one copied and
    changed, e.g. to switch on automatic first notices), read from that path.
    """
    path = Path(name) if name.endswith(".toml") else directory / f"{name}.toml"
    if name.endswith(".toml") and not path.is_file():
        raise PolicyError(name, "KEYPROJ_PROFILE", "政策配置文件不存在")
    if not path.exists():
        known = "、".join(available_profiles(directory))
        raise PolicyError(
            str(path), "KEYPROJ_PROFILE", f"没有名为“{name}”的政策配置，可选：{known}"
        )
    return _cached(path, path.stat().st_mtime)


def load_profile_file(path: Path) -> PolicyProfile:
    """Parse, unwrap citations, and validate one profile file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(str(path), "(TOML)", f"文件格式错误：{exc}") from None
    citations: dict[str, str] = {}
    plain: dict[str, Any] = {}
    for section, body in raw.items():
        if section in UNCITED_SECTIONS or not isinstance(body, dict):
            plain[section] = body
        else:
            plain[section] = _unwrap(path, section, body, citations)
    try:
        return PolicyProfile.model_validate({**plain, "citations": citations})
    except pydantic.ValidationError as exc:
        # A misspelt key also shows up as a missing one; name the misspelling first.
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        first = errors[0]
        key = ".".join(str(part) for part in first["loc"]) or "(root)"
        raise PolicyError(str(path), key, _reason(first)) from None


def _reason(error: Any) -> str:
    kind, loc = error["type"], error["loc"]
    if loc and loc[0] == "severity":
        if kind == "extra_forbidden":
            return f"未知的规则“{loc[-1]}”，可选：{'、'.join(SEVERITY_RULES)}"
        if kind == "literal_error":
            choices = "、".join(f"{k}（{v}）" for k, v in SEVERITY_LABELS.items())
            return f"未知的处置方式“{error.get('input')}”，可选：{choices}"
    return _plain_reason(error)


def _unwrap(path: Path, key: str, node: Any, citations: dict[str, str]) -> Any:
    """Turn ``{value=…, source=…}`` leaves into plain values, recording each citation."""
    if isinstance(node, dict) and "value" in node:
        extra = set(node) - {"value", "source", "local"}
        if extra:
            raise PolicyError(
                str(path), key, f"未知的键 {sorted(extra)}（只允许 value、source、local）"
            )
        source, local = node.get("source"), node.get("local")
        if source is None and local is None:
            raise PolicyError(
                str(path), key, "缺少出处：请写明 source（条款编号）或 local（本地取值说明）"
            )
        if source is not None and not (isinstance(source, str) and REQUIREMENT_ID.match(source)):
            raise PolicyError(str(path), key, f"出处“{source}”不是条款编号（如 LP13、AL6）")
        citations[key] = " / ".join(str(p) for p in (source, local and f"本地取值：{local}") if p)
        return node["value"]
    if isinstance(node, dict):
        return {k: _unwrap(path, f"{key}.{k}", v, citations) for k, v in node.items()}
    raise PolicyError(
        str(path), key, '缺少出处：每个取值都写成 {value = …, source = "条款编号"} 或带 local 说明'
    )


def _plain_reason(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "未知的键（unknown key）"
    if kind == "missing":
        return "缺少必填的键（missing key）"
    return f"{error['msg']}（实际值：{error.get('input')!r}）"
