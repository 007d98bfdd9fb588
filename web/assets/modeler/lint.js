// Lint rules of our own, mirroring the server's check (keyproj/services/diagrams/validation.py)
// so that errors show on the canvas as the user draws: unknown lane, user task without a known
// form, timer without a known deadline variable, label missing.
import { bodyOf, deadlinesSetIn, is, isAny, laneOf, propertyOf, timerOf, WAITING_TASKS } from "./model";

function rule(check) {
  return () => ({ check });
}

export function lintConfig(choices) {
  const lanes = new Set(choices.lanes);
  const forms = new Set(choices.forms);
  let deadlines = new Set(choices.deadlines);
  const laneList = choices.lanes.join("、");

  const rules = {
    "known-lane": rule((node, reporter) => {
      if (is(node, "bpmn:Lane") && node.name && !lanes.has(node.name)) {
        reporter.report(node.id, `泳道“${node.name}”不是已知角色（${laneList}）`);
      }
      if (isAny(node, WAITING_TASKS)) {
        const lane = laneOf(node);
        if (!lane) {
          reporter.report(node.id, `任务不在任何泳道中：请拖入已知角色的泳道（${laneList}）`);
        }
      }
    }),
    "known-form": rule((node, reporter) => {
      if (!isAny(node, WAITING_TASKS)) {
        return;
      }
      const form = propertyOf(node, "form");
      if (!form) {
        reporter.report(node.id, "任务没有选择表单（form）");
      } else if (!forms.has(form)) {
        reporter.report(node.id, `表单“${form}”不存在（bpmn/forms/）`);
      }
    }),
    "known-deadline": rule((node, reporter) => {
      if (is(node, "bpmn:Definitions")) {
        // A deadline the edited diagram's own scripts compute counts too.
        deadlines = new Set([...choices.deadlines, ...deadlinesSetIn(node)]);
        return;
      }
      const timer = timerOf(node);
      if (!timer) {
        return;
      }
      if (timer.get("timeDuration") || timer.get("timeCycle")) {
        reporter.report(node.id, "定时器须等待一个期限变量（日期），不能用时长或周期");
        return;
      }
      const date = bodyOf(timer.get("timeDate"));
      if (!date) {
        reporter.report(node.id, "定时器没有选择期限变量");
      } else if (!deadlines.has(date)) {
        reporter.report(node.id, `“${date}”不是已知的期限变量`);
      }
    }),
    "label-required": rule((node, reporter) => {
      const named = isAny(node, ["bpmn:Activity", "bpmn:Event", "bpmn:Lane", "bpmn:Participant"]);
      const splits = is(node, "bpmn:Gateway") && (node.get("outgoing") || []).length > 1;
      if ((named || splits) && !(node.name || "").trim()) {
        reporter.report(node.id, "缺少名称");
      }
    }),
  };

  return {
    config: {
      rules: Object.fromEntries(Object.keys(rules).map((name) => [`keyproj/${name}`, "error"])),
    },
    resolver: {
      resolveRule(pkg, name) {
        return pkg === "bpmnlint-plugin-keyproj" ? rules[name] : undefined;
      },
      resolveConfig() {
        return undefined;
      },
    },
  };
}
