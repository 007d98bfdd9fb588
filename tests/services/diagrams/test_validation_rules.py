"""X3: each lint rule refuses a diagram that breaks it, naming the element in Chinese."""

from __future__ import annotations

import pytest

from keyproj.services.diagrams.validation import DiagramProblem, validate_diagram
from tests.builders.diagrams import edited, shipped, without_flow

KNOWN = "（重点办、责任单位、县政府、督查室、督办单位）"
EVALUATE_TIMER = '<bpmn:timeDate xsi:type="bpmn:tFormalExpression" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">evaluate_due</bpmn:timeDate>'


def found(xml: str, key: str = "warning_case") -> list[tuple[str | None, str]]:
    return [(p.element_id, p.rule) for p in validate_diagram(xml, key)]


def problem(xml: str, element_id: str, rule: str) -> DiagramProblem:
    """The one problem of this element and rule (the test fails when there is none)."""
    matching = [
        p
        for p in validate_diagram(xml, "warning_case")
        if (p.element_id, p.rule) == (element_id, rule)
    ]
    assert len(matching) == 1, validate_diagram(xml, "warning_case")
    return matching[0]


def test_an_unknown_lane_is_refused_on_each_of_its_tasks_naming_the_lane():
    xml = edited(
        (
            '<bpmn:lane id="lane_responsible" name="责任单位">',
            '<bpmn:lane id="lane_responsible" name="某某">',
        )
    )
    problems = validate_diagram(xml, "warning_case")
    # The tasks of the lane, its subprocesses' tasks included (they take the subprocess's lane).
    assert [(p.element_id, p.rule) for p in problems] == [
        ("respond", "unknown-lane"),
        ("report_outcome", "unknown-lane"),
        ("long_progress_report", "unknown-lane"),
        ("follow_up_item", "unknown-lane"),
    ]
    assert problems[0].message == f"任务“受理并开展协调”（respond）：泳道“某某”不是已知角色{KNOWN}"


def test_an_unknown_lane_without_user_tasks_is_named_on_the_lane():
    lane = '      <bpmn:lane id="lane_finance" name="财政局"><bpmn:flowNodeRef>flag_evaluate_overdue</bpmn:flowNodeRef></bpmn:lane>\n'
    xml = edited(
        ("        <bpmn:flowNodeRef>flag_evaluate_overdue</bpmn:flowNodeRef>\n", ""),
        (
            '      <bpmn:lane id="lane_supervision" name="督查室">',
            lane + '      <bpmn:lane id="lane_supervision" name="督查室">',
        ),
    )
    assert found(xml) == [("lane_finance", "unknown-lane")]
    assert (
        problem(xml, "lane_finance", "unknown-lane").message
        == f"泳道“财政局”（lane_finance）：不是已知角色{KNOWN}"
    )


def test_a_user_task_outside_every_lane_is_refused():
    xml = edited(("        <bpmn:flowNodeRef>evaluate</bpmn:flowNodeRef>\n", ""))
    assert found(xml) == [("evaluate", "no-lane")]
    assert "评估协调成效" in problem(xml, "evaluate", "no-lane").message


def test_a_user_task_without_a_form_is_refused():
    xml = edited(('          <spiffworkflow:property name="form" value="evaluate" />\n', ""))
    assert found(xml) == [("evaluate", "missing-form")]
    assert (
        "任务“评估协调成效”（evaluate）：缺少表单属性 form"
        in problem(xml, "evaluate", "missing-form").message
    )


def test_a_form_that_does_not_exist_is_refused():
    xml = edited(('name="form" value="evaluate"', 'name="form" value="evaluate_v2"'))
    assert found(xml) == [("evaluate", "unknown-form")]
    assert "表单“evaluate_v2”不存在" in problem(xml, "evaluate", "unknown-form").message


@pytest.mark.parametrize("tag", ["timeDuration", "timeCycle"])
def test_a_timer_that_restarts_instead_of_a_deadline_date_is_refused(tag):
    timer = EVALUATE_TIMER.replace("timeDate", tag).replace("evaluate_due", '"P3D"')
    xml = edited((EVALUATE_TIMER, timer))
    assert found(xml) == [("evaluate_overdue", "timer-not-date")]
    message = problem(xml, "evaluate_overdue", "timer-not-date").message
    assert message.startswith(
        "边界事件“评估逾期”（evaluate_overdue）：计时器须为期限日期（timeDate）"
    )
    assert tag in message


def test_a_timer_naming_an_unknown_deadline_is_refused_with_the_known_ones():
    xml = edited((EVALUATE_TIMER, EVALUATE_TIMER.replace("evaluate_due", "evaluate_deadline")))
    assert found(xml) == [("evaluate_overdue", "timer-unknown-deadline")]
    message = problem(xml, "evaluate_overdue", "timer-unknown-deadline").message
    assert "“evaluate_deadline”不是已知的期限变量" in message
    assert "evaluate_due" in message
    assert "supervision_due" in message


@pytest.mark.parametrize(
    ("variable", "words"),
    [("evaluate_working_days", "是工作日天数"), ("notice_issued_at", "是起算时间")],
)
def test_a_timer_naming_a_variable_of_another_type_is_refused(variable, words):
    xml = edited((EVALUATE_TIMER, EVALUATE_TIMER.replace("evaluate_due", variable)))
    assert found(xml) == [("evaluate_overdue", "timer-deadline-type")]
    assert (
        f"“{variable}”{words}，不是期限日期"
        in problem(xml, "evaluate_overdue", "timer-deadline-type").message
    )


def test_a_deadline_computed_by_a_new_script_may_be_named_by_a_timer():
    script = "evaluate_due = working_deadline(now(), evaluate_working_days)"
    xml = edited(
        (
            script,
            script + "\nevaluate_final_due = working_deadline(now(), evaluate_working_days + 2)",
        ),
        (EVALUATE_TIMER, EVALUATE_TIMER.replace("evaluate_due", "evaluate_final_due")),
    )
    assert found(xml) == []


@pytest.mark.parametrize(
    ("old", "new", "element_id", "words"),
    [
        (
            'entry == "supervision"',
            'entry == "supervision" and',
            "f_entry_supervision",
            "连线“督查立项”（f_entry_supervision）：条件表达式",
        ),
        (
            "<bpmn:script>evaluate_overdue = True</bpmn:script>",
            "<bpmn:script>evaluate_overdue = = True</bpmn:script>",
            "flag_evaluate_overdue",
            "：脚本第1行不是合法的 Python",
        ),
        (
            "<bpmn:loopDataInputRef>follow_ups<",
            "<bpmn:loopDataInputRef>follow ups<",
            "follow_up_round",
            "多实例输入集合“follow ups”不是合法的变量名",
        ),
        (
            EVALUATE_TIMER,
            EVALUATE_TIMER.replace("evaluate_due", "evaluate_due["),
            "evaluate_overdue",
            "计时器表达式“evaluate_due[”不是合法的 Python 表达式",
        ),
    ],
)
def test_an_expression_that_does_not_compile_is_refused(old, new, element_id, words):
    xml = edited((old, new))
    assert found(xml) == [(element_id, "expression-syntax")]
    assert words in problem(xml, element_id, "expression-syntax").message


def test_a_node_no_start_event_reaches_is_refused():
    xml = without_flow("f_overdue")  # 通知逾期 → 催办逾期提醒
    assert ("remind_notice", "unreachable") in found(xml)
    assert (
        problem(xml, "remind_notice", "unreachable").message
        == "脚本任务“催办逾期提醒”（remind_notice）：从开始事件无法到达"
    )


def test_a_node_that_cannot_reach_an_end_is_refused_at_its_way_out():
    xml = without_flow("f_evaluate_reminded")  # 评估逾期提醒 → its end
    assert found(xml) == [
        ("flag_evaluate_overdue", "dead-end"),
        ("evaluate_reminded_end", "unreachable"),
    ]
    assert (
        problem(xml, "flag_evaluate_overdue", "dead-end").message
        == "脚本任务“评估逾期提醒”（flag_evaluate_overdue）：没有出去的连线，无法到达结束事件"
    )


def test_reachability_is_checked_inside_subprocesses():
    xml = without_flow("f_fu_done")  # a follow-up item done → the item's end
    # The item still ends through its overdue timer (a boundary event is a way out).
    assert found(xml) == [("follow_up_done_end", "unreachable")]


def test_a_loop_without_a_way_out_is_refused_node_by_node():
    xml = edited(
        (
            'sourceRef="flag_evaluate_overdue" targetRef="evaluate_reminded_end"',
            'sourceRef="flag_evaluate_overdue" targetRef="flag_evaluate_overdue"',
        )
    )
    assert ("flag_evaluate_overdue", "dead-end") in found(xml)
    assert "循环没有出口" in problem(xml, "flag_evaluate_overdue", "dead-end").message


def test_the_process_id_must_be_the_key():
    assert found(shipped(), key="handan_case") == [("warning_case", "process-id")]
    assert (
        validate_diagram(shipped(), "handan_case")[0].message
        == "流程“重点项目预警协调处置”（warning_case）：流程编号应为“handan_case”"
    )


def test_what_only_the_engine_refuses_is_reported_on_its_element():
    task = '<bpmn:scriptTask id="remind_notice" name="催办逾期提醒" scriptFormat="python">'
    both = "<bpmn:loopDataInputRef>parts</bpmn:loopDataInputRef><bpmn:loopCardinality>3</bpmn:loopCardinality>"
    xml = edited(
        (
            task,
            f"{task}<bpmn:multiInstanceLoopCharacteristics>{both}</bpmn:multiInstanceLoopCharacteristics>",
        )
    )
    problems = validate_diagram(xml, "warning_case")
    assert [(p.element_id, p.rule) for p in problems] == [("remind_notice", "engine")]
    assert problems[0].message.startswith("流程图无法解析：")


def test_every_problem_is_reported_in_document_order():
    xml = edited(
        (
            '<bpmn:lane id="lane_responsible" name="责任单位">',
            '<bpmn:lane id="lane_responsible" name="某某">',
        ),
        ('name="form" value="evaluate"', 'name="form" value="evaluate_v2"'),
        (EVALUATE_TIMER, EVALUATE_TIMER.replace("evaluate_due", "evaluate_deadline")),
    )
    assert found(xml) == [
        ("respond", "unknown-lane"),
        ("report_outcome", "unknown-lane"),
        ("evaluate", "unknown-form"),
        ("long_progress_report", "unknown-lane"),
        ("follow_up_item", "unknown-lane"),
        ("evaluate_overdue", "timer-unknown-deadline"),
    ]


def test_what_the_engine_refuses_takes_its_elements_place_among_the_other_problems():
    task = '<bpmn:scriptTask id="remind_notice" name="催办逾期提醒" scriptFormat="python">'
    both = "<bpmn:loopDataInputRef>parts</bpmn:loopDataInputRef><bpmn:loopCardinality>3</bpmn:loopCardinality>"
    xml = edited(
        ('name="form" value="evaluate"', 'name="form" value="evaluate_v2"'),
        (
            task,
            f"{task}<bpmn:multiInstanceLoopCharacteristics>{both}</bpmn:multiInstanceLoopCharacteristics>",
        ),
    )
    assert found(xml) == [("remind_notice", "engine"), ("evaluate", "unknown-form")]
