"""Domain errors; the web layer maps them to HTTP statuses, the CLI to exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class DomainError(Exception):
    """Base class of every error the domain raises on purpose."""


@dataclass(frozen=True)
class FieldError:
    """One field's problem: the field's name, its Chinese label and the reason."""

    field: str
    label: str
    reason: str

    def __str__(self) -> str:
        return f"{self.label}：{self.reason}"  # officials read the label; the API names the field apart


class ValidationError(DomainError):
    """Input was refused; ``errors`` names every offending field with its reason."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("；".join(str(e) for e in errors))

    @classmethod
    def single(cls, field: str, label: str, reason: str) -> ValidationError:
        """An error about one field."""
        return cls([FieldError(field, label, reason)])

    def by_field(self) -> dict[str, str]:
        """Reasons keyed by field name, for forms that show errors beside the field."""
        out: dict[str, str] = {}
        for err in self.errors:
            out.setdefault(err.field, err.reason)
        return out


class NotFound(DomainError):
    """The thing asked for does not exist (or is outside the caller's scope)."""


class PermissionDenied(DomainError):
    """The caller may not do this."""


class Conflict(DomainError):
    """The request clashes with the stored state (already done, changed meanwhile)."""


class CalendarYearMissing(DomainError):
    """A working-day computation needs a year that has no holiday data."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"{year}年的节假日安排尚未录入，无法计算工作日期限。"
            f"请管理员在国务院办公厅公布{year}年部分节假日安排后，"
            f"用 `keyproj calendar import FILE` 导入（文件格式见 docs/calendar.md）。"
        )


class PolicyError(DomainError):
    """A policy profile file is invalid; the message names the file and the key."""

    def __init__(self, path: str, key: str, reason: str):
        self.path = path
        self.key = key
        self.reason = reason
        super().__init__(f"政策配置文件 {path} 的 {key} 无效：{reason}")


class ImportRowError(ValidationError):
    """A file import was refused; ``rows`` lists (Excel row number, column header, reason)."""

    def __init__(self, rows: list[tuple[int, str, str]]):
        self.rows = rows
        super().__init__([FieldError(f"行{row}", column, reason) for row, column, reason in rows])

    def lines(self) -> list[str]:
        """One line per problem, e.g. 第5行「总投资（万元）」：金额不能为负数."""
        return [f"第{row}行「{column}」：{reason}" for row, column, reason in self.rows]

    def __str__(self) -> str:
        return "；".join(self.lines())


class DiagramRefused(DomainError):
    """A diagram cannot be deployed; ``problems`` lists each element's problem (X3)."""

    def __init__(self, problems: list[Any]):
        self.problems = problems  # DiagramProblem (keyproj.services.diagrams.validation)
        super().__init__("；".join(str(getattr(p, "message", p)) for p in problems))
