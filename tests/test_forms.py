"""Forms of the warning case's user tasks: schemas, Chinese field errors, field descriptions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from keyproj import forms
from keyproj.codes import WARNING_LEVELS
from keyproj.errors import NotFound, ValidationError
from tests.builders.forms import FORMS, form

# Every form filled in completely, optional fields included.
EXAMPLES = {name: form(name, complete=True) for name in FORMS}


def reasons(name: str, data: dict[str, Any]) -> dict[str, str]:
    """Reasons keyed by field of a refused submission."""
    with pytest.raises(ValidationError) as caught:
        forms.validate_form(name, data)
    return caught.value.by_field()


def errors_of(name: str, data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field, label, reason) of a refused submission, in the order reported."""
    with pytest.raises(ValidationError) as caught:
        forms.validate_form(name, data)
    return [(e.field, e.label, e.reason) for e in caught.value.errors]


def test_every_task_has_a_form() -> None:
    assert forms.list_forms() == sorted(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_form_file_is_a_valid_draft_2020_12_schema(name: str) -> None:
    path = forms.FORMS_DIR / f"{name}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) <= set(schema["properties"])
    for prop in [schema, *schema["properties"].values()]:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in prop["title"]), prop


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_form_accepts_a_complete_example(name: str) -> None:
    assert forms.validate_form(name, EXAMPLES[name]) == EXAMPLES[name]


@pytest.mark.parametrize(
    ("name", "field"),
    [(name, field) for name in sorted(EXAMPLES) for field in forms.load_form(name)["required"]],
)
def test_missing_required_field_is_named_with_its_label(name: str, field: str) -> None:
    data = {k: v for k, v in EXAMPLES[name].items() if k != field}
    label = forms.load_form(name)["properties"][field]["title"]
    assert errors_of(name, data) == [(field, label, "必填")]


def test_blank_required_text_counts_as_missing() -> None:
    data = {**EXAMPLES["respond"], "person_in_charge": "   "}
    assert reasons("respond", data) == {"person_in_charge": "必填"}


def test_wrong_choice_lists_the_chinese_choices() -> None:
    data = {**EXAMPLES["report_outcome"], "result": "done"}
    assert errors_of("report_outcome", data) == [
        ("result", "协调结果", "取值无效，可选：已解决、部分解决、未解决")
    ]


def test_lp13_warning_levels_match_the_code_list() -> None:
    level = next(f for f in forms.form_fields("issue_notice") if f.name == "level")
    assert dict(level.choices) == WARNING_LEVELS


def test_lp14_16_routing_offers_town_department_and_county_government() -> None:
    routing = next(f for f in forms.form_fields("issue_notice") if f.name == "routing")
    assert routing.choices == [
        ("town", "乡镇协调"),
        ("county_department", "县直部门协调"),
        ("county_government", "县政府协调"),
    ]


def test_bad_date_is_refused() -> None:
    for bad in ["2024-02-30", "2024/06/30", "20240630", "下月底", "２０２６-06-30", "0001-01-01"]:
        data = {**EXAMPLES["respond"], "planned_completion": bad}
        reason = "应为2000年至2100年间的日期，格式 YYYY-MM-DD（半角数字）"
        assert reasons("respond", data) == {"planned_completion": reason}


def test_lengths_and_pattern_have_chinese_reasons() -> None:
    data = {
        **EXAMPLES["respond"],
        "measures": "催办",
        "person_in_charge": "张" * 51,
        "phone": "请联系办公室",
    }
    assert errors_of("respond", data) == [
        ("measures", "协调措施", "至少5个字"),
        ("person_in_charge", "责任人", "不能超过50个字"),
        ("phone", "联系电话", "格式不正确"),
    ]


@pytest.mark.parametrize("phone", ["13800138000", "0483-8221234", "+86 138 0013 8000"])
def test_usual_chinese_phone_numbers_pass(phone: str) -> None:
    forms.validate_form("respond", {**EXAMPLES["respond"], "phone": phone})


def test_wrong_type_is_refused() -> None:
    data = {**EXAMPLES["issue_notice"], "major": "yes"}
    assert reasons("issue_notice", data) == {"major": "类型不正确"}


def test_lp13_phase_units_must_not_repeat() -> None:
    data = {**EXAMPLES["issue_notice"], "phase_unit_codes": ["FGW", "FGW"]}
    assert errors_of("issue_notice", data) == [("phase_unit_codes", "阶段性责任单位", "不能重复")]


def test_bad_array_item_is_reported_on_the_array_field() -> None:
    data = {**EXAMPLES["issue_notice"], "phase_unit_codes": ["FGW", 7]}
    assert reasons("issue_notice", data) == {"phase_unit_codes": "类型不正确"}


def test_lp16_onsite_meeting_requires_minutes_and_follow_up_items() -> None:
    data = {
        k: v
        for k, v in EXAMPLES["county_gov_handle"].items()
        if k not in ("meeting_minutes", "follow_ups")
    }
    assert errors_of("county_gov_handle", data) == [
        ("meeting_minutes", "现场办公会议纪要", "必填"),
        ("follow_ups", "纪要事项", "必填"),
    ]


def test_lp16_a_follow_up_item_is_refused_by_its_place_and_column() -> None:
    item = {"unit_code": "D01", "matter": "完成资金拨付", "due_date": "2026-13-01"}
    data = {**EXAMPLES["county_gov_handle"], "follow_ups": [item, {"unit_code": "T01"}]}
    assert errors_of("county_gov_handle", data) == [
        ("follow_ups[0].due_date", "纪要事项第1项·落实期限", forms.DATE_REASON),
        ("follow_ups[1].matter", "纪要事项第2项·落实事项", "必填"),
        ("follow_ups[1].due_date", "纪要事项第2项·落实期限", "必填"),
    ]


def test_lp16_blank_follow_up_rows_are_no_items() -> None:
    blank = {"unit_code": "", "matter": " ", "due_date": ""}
    data = {**EXAMPLES["county_gov_handle"], "follow_ups": [blank]}
    assert errors_of("county_gov_handle", data) == [("follow_ups", "纪要事项", "必填")]


def test_lp16_without_onsite_meeting_minutes_are_optional() -> None:
    data = {
        "coordination": "由县发改局牵头协调资金拨付。",
        "decision": "resolved",
        "meeting_minutes": "",
    }
    cleaned = forms.validate_form("county_gov_handle", data)
    assert "meeting_minutes" not in cleaned


def test_dc3_leader_sending_a_matter_to_the_dispatch_meeting_names_its_issues() -> None:
    data = form("leader_onsite", decision="to_meeting")
    assert errors_of("leader_onsite", data) == [("meeting_issues", "提请例会研究的问题", "必填")]
    assert forms.validate_form("leader_onsite", form("leader_onsite")) == form("leader_onsite")


def test_unknown_key_is_refused_by_name() -> None:
    data = {**EXAMPLES["evaluate"], "score": 90}
    assert errors_of("evaluate", data) == [("score", "score", "不是该表单的栏目")]


def test_all_problems_reported_in_schema_order_one_per_field() -> None:
    data = {"extra": 1, "notice_text": "太短", "routing": "city", "level": "issue"}
    fields = [e[0] for e in errors_of("issue_notice", data)]
    assert fields == ["routing", "lead_unit_code", "notice_text", "extra"]


def test_whitespace_stripped_and_empty_optional_fields_dropped() -> None:
    data = {
        "result": "  resolved ",
        "evidence": "\n已完成土地组卷报批，取得批复。 ",
        "help_requested": "   ",
    }
    assert forms.validate_form("report_outcome", data) == {
        "result": "resolved",
        "evidence": "已完成土地组卷报批，取得批复。",
    }


def test_blank_entries_of_a_multi_choice_are_dropped() -> None:
    data = {**EXAMPLES["issue_notice"], "phase_unit_codes": ["", " FGW "], "major": None}
    cleaned = forms.validate_form("issue_notice", data)
    assert cleaned["phase_unit_codes"] == ["FGW"]
    assert "major" not in cleaned


def test_form_fields_describe_kinds_and_chinese_choices() -> None:
    fields = {f.name: f for f in forms.form_fields("report_outcome")}
    assert list(fields) == ["result", "evidence", "help_requested"]
    assert fields["result"].kind == "choice"
    assert fields["result"].label == "协调结果"
    assert fields["result"].required
    assert fields["result"].choices == [
        ("resolved", "已解决"),
        ("partly", "部分解决"),
        ("not_resolved", "未解决"),
    ]
    assert fields["evidence"].kind == "textarea"
    assert not fields["help_requested"].required


def test_form_fields_kinds_of_other_inputs() -> None:
    kinds = {f.name: f.kind for f in forms.form_fields("issue_notice")}
    assert kinds == {
        "level": "choice",
        "routing": "choice",
        "routing_reason": "textarea",
        "lead_unit_code": "text",
        "phase_unit_codes": "multi",
        "notice_text": "textarea",
        "major": "boolean",
    }  # the routing proposal's fields are readOnly: the system records them, never an input
    dates = {f.name: f.kind for f in forms.form_fields("respond")}
    assert dates["planned_completion"] == "date"
    assert dates["person_in_charge"] == "text"


def test_lp20_accountability_entries_offer_the_four_failures() -> None:
    field = next(f for f in forms.form_fields("supervision_result") if f.name == "accountability")
    assert field.kind == "rows"
    assert not field.required  # no entry: no accountability
    parts = {f.name: f for f in field.columns}
    assert list(parts) == ["unit_code", "person", "failures", "measure"]
    assert parts["failures"].choices == [
        ("unaware", "未及时了解掌握项目建设进度和存在问题"),
        ("misreported", "未如实报送项目建设进度和存在问题"),
        ("no_action_delay", "未采取有效措施协调解决问题导致项目建设严重延误"),
        ("unresolved_unreported", "未能协调解决问题又不及时上报办理情况，导致问题久拖不决"),
    ]


def test_lp20_an_accountability_entry_without_a_failure_is_refused_naming_the_entry() -> None:
    entry: dict[str, Any] = {"unit_code": "T01", "person": "王镇长", "failures": []}
    entry["measure"] = "通报批评"
    second = {**entry, "failures": ["unknown"]}
    data: dict[str, Any] = {"result": "已整改", "accountability": [entry, second]}
    first, refused = errors_of("supervision_result", data)
    assert first == ("accountability[0].failures", "问责意见第1项·问责情形", "必填")
    assert refused[:2] == ("accountability[1].failures", "问责意见第2项·问责情形")
    assert refused[2].startswith("取值无效")


def test_lp20_supervision_filing_needs_a_deadline() -> None:
    data = {"requirements": "列入督查台账，每周报送办理进展。"}
    assert errors_of("supervision_file", data) == [("due_date", "办结期限", "必填")]


@pytest.mark.parametrize("name", ["no_such_form", "../pyproject", "Respond"])
def test_missing_form_is_not_found_naming_it(name: str) -> None:
    with pytest.raises(NotFound, match="表单"):
        forms.load_form(name)
    with pytest.raises(NotFound) as caught:
        forms.validate_form(name, {})
    assert name in str(caught.value)


def test_load_form_returns_a_copy_of_the_cached_schema() -> None:
    forms.load_form("evaluate")["required"].append("tampered")
    assert forms.load_form("evaluate")["required"] == ["decision", "opinion"]
