// Reading the diagram's business objects the way the engine does (keyproj/engine/definitions.py):
// a user task's extension properties, its lane, a timer's date expression, script assignments.
import { getBusinessObject, is, isAny } from "bpmn-js/lib/util/ModelUtil";

export const WAITING_TASKS = ["bpmn:UserTask", "bpmn:ManualTask"];

// The <spiffworkflow:properties> element of a business object, or null.
export function propertiesOf(bo) {
  const ext = bo.get("extensionElements");
  const values = (ext && ext.get("values")) || [];
  return values.find((v) => is(v, "spiffworkflow:Properties")) || null;
}

// The value of one <spiffworkflow:property name="…">, or "".
export function propertyOf(bo, name) {
  const props = propertiesOf(bo);
  const found = props && (props.get("values") || []).find((p) => p.name === name);
  return (found && found.value) || "";
}

// The lane holding a flow node, as the engine reads it: a node of a subprocess that is in a
// lane is in that lane; any other node is in the lane whose flowNodeRef names it.
export function laneOf(bo) {
  const outer = is(bo.$parent, "bpmn:SubProcess") ? laneOf(bo.$parent) : null;
  if (outer) {
    return outer;
  }
  let container = bo.$parent;
  while (container && !is(container, "bpmn:Process")) {
    container = container.$parent;
  }
  if (!container) {
    return null;
  }
  const search = (laneSets) => {
    for (const laneSet of laneSets || []) {
      for (const lane of laneSet.get("lanes") || []) {
        const inner = lane.get("childLaneSet") && search([lane.get("childLaneSet")]);
        if (inner) {
          return inner;
        }
        if ((lane.get("flowNodeRef") || []).includes(bo)) {
          return lane;
        }
      }
    }
    return null;
  };
  return search(container.get("laneSets"));
}

// The timer definition of an event, or null.
export function timerOf(bo) {
  if (!isAny(bo, ["bpmn:Event"])) {
    return null;
  }
  return (bo.get("eventDefinitions") || []).find((d) => is(d, "bpmn:TimerEventDefinition")) || null;
}

export function bodyOf(expression) {
  return ((expression && expression.get("body")) || "").trim();
}

// Data keys a script sets to an absolute deadline: `notice_due = working_deadline(...)`.
const DEADLINE_SET = /^\s*([A-Za-z_]\w*)\s*=\s*working_deadline\(/gm;

export function deadlinesSetIn(definitions) {
  const found = new Set();
  const walk = (container) => {
    for (const element of (container && container.get("flowElements")) || []) {
      if (is(element, "bpmn:ScriptTask")) {
        for (const match of (element.get("script") || "").matchAll(DEADLINE_SET)) {
          found.add(match[1]);
        }
      }
      if (is(element, "bpmn:SubProcess")) {
        walk(element);
      }
    }
  };
  for (const root of definitions.get("rootElements") || []) {
    if (is(root, "bpmn:Process")) {
      walk(root);
    }
  }
  return found;
}

export { getBusinessObject, is, isAny };
