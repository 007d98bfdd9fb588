// The properties panel's "办理设置" group: what the engine needs of an element, written as the
// shipped diagrams write it (spiffworkflow:property form, bpmn:timeDate, documentation).
import {
  isSelectEntryEdited,
  isTextAreaEntryEdited,
  isTextFieldEntryEdited,
  SelectEntry,
  TextAreaEntry,
  TextFieldEntry,
} from "@bpmn-io/properties-panel";
import { h } from "@bpmn-io/properties-panel/preact";
import { useService } from "bpmn-js-properties-panel";
import {
  bodyOf,
  getBusinessObject,
  is,
  isAny,
  laneOf,
  propertiesOf,
  propertyOf,
  timerOf,
  WAITING_TASKS,
} from "./model";

const UNSET = { value: "", label: "（未设置）" };

function options(known, current) {
  const list = [UNSET, ...known.map((value) => ({ value, label: value }))];
  if (current && !known.includes(current)) {
    list.push({ value: current, label: `${current}（未知）` });
  }
  return list;
}

function update(commandStack, changes) {
  commandStack.execute("properties-panel.multi-command-executor", changes);
}

function change(element, moddleElement, properties) {
  return { cmd: "element.updateModdleProperties", context: { element, moddleElement, properties } };
}

// Set (or, with "", remove) one <spiffworkflow:property> of the element.
function setProperty(element, name, value, bpmnFactory, commandStack) {
  const bo = getBusinessObject(element);
  const changes = [];
  let ext = bo.get("extensionElements");
  if (!ext) {
    ext = bpmnFactory.create("bpmn:ExtensionElements", { values: [] });
    ext.$parent = bo;
    changes.push(change(element, bo, { extensionElements: ext }));
  }
  let props = propertiesOf(bo);
  if (!props) {
    props = bpmnFactory.create("spiffworkflow:Properties", { values: [] });
    props.$parent = ext;
    changes.push(change(element, ext, { values: [...(ext.get("values") || []), props] }));
  }
  const values = props.get("values") || [];
  const found = values.find((p) => p.name === name);
  if (!value) {
    if (found) {
      changes.push(change(element, props, { values: values.filter((p) => p !== found) }));
    }
  } else if (found) {
    changes.push(change(element, found, { value }));
  } else {
    const property = bpmnFactory.create("spiffworkflow:Property", { name, value });
    property.$parent = props;
    changes.push(change(element, props, { values: [...values, property] }));
  }
  if (changes.length) {
    update(commandStack, changes);
  }
}

function FormEntry({ element, id }) {
  const choices = useService("config.keyproj");
  const bpmnFactory = useService("bpmnFactory");
  const commandStack = useService("commandStack");
  const bo = getBusinessObject(element);
  return h(SelectEntry, {
    id,
    element,
    label: "表单（bpmn/forms/）",
    getValue: () => propertyOf(bo, "form"),
    setValue: (value) => setProperty(element, "form", value, bpmnFactory, commandStack),
    getOptions: () => options(choices.forms, propertyOf(bo, "form")),
  });
}

function DueEntry({ element, id }) {
  const choices = useService("config.keyproj");
  const bpmnFactory = useService("bpmnFactory");
  const commandStack = useService("commandStack");
  const bo = getBusinessObject(element);
  const days = propertyOf(bo, "dueWorkingDays");
  return h(SelectEntry, {
    id,
    element,
    label: "办理期限（期限变量）",
    description: days
      ? `未选期限变量时，按政策配置的“${days}”个工作日计（自任务生成起）。`
      : "任务列表和催办按此期限显示与提醒。",
    getValue: () => propertyOf(bo, "due"),
    setValue: (value) => setProperty(element, "due", value, bpmnFactory, commandStack),
    getOptions: () => options(choices.deadlines, propertyOf(bo, "due")),
  });
}

function LaneEntry({ element, id }) {
  const debounce = useService("debounceInput");
  const lane = laneOf(getBusinessObject(element));
  return h(TextFieldEntry, {
    id,
    element,
    debounce,
    label: "办理角色（泳道）",
    description: "任务所在泳道即办理角色。更换时请在画布上把任务拖到另一泳道；子流程若在某泳道中，其中的任务随子流程的泳道。",
    getValue: () => (lane ? lane.name || "（未命名泳道）" : "（不在任何泳道中）"),
    setValue: () => {},
    disabled: true,
  });
}

function LaneNameEntry({ element, id }) {
  const choices = useService("config.keyproj");
  const modeling = useService("modeling");
  const bo = getBusinessObject(element);
  return h(SelectEntry, {
    id,
    element,
    label: "泳道角色",
    description: "泳道名称必须是已知角色；泳道中的任务由该角色办理。",
    getValue: () => bo.name || "",
    setValue: (value) => modeling.updateLabel(element, value),
    getOptions: () => options(choices.lanes, bo.name),
  });
}

function DeadlineEntry({ element, id }) {
  const choices = useService("config.keyproj");
  const bpmnFactory = useService("bpmnFactory");
  const commandStack = useService("commandStack");
  const timer = timerOf(getBusinessObject(element));
  const current = bodyOf(timer.get("timeDate"));
  return h(SelectEntry, {
    id,
    element,
    label: "定时器期限（期限变量）",
    description: "到达该期限（北京时间，按工作日计算）时触发。",
    getValue: () => current,
    setValue: (value) => {
      const timeDate = value ? bpmnFactory.create("bpmn:FormalExpression", { body: value }) : undefined;
      if (timeDate) {
        timeDate.$parent = timer;
      }
      update(commandStack, [
        change(element, timer, { timeDate, timeDuration: undefined, timeCycle: undefined }),
      ]);
    },
    getOptions: () => options(choices.deadlines, current),
  });
}

function ConditionEntry({ element, id }) {
  const bpmnFactory = useService("bpmnFactory");
  const commandStack = useService("commandStack");
  const debounce = useService("debounceInput");
  const bo = getBusinessObject(element);
  return h(TextAreaEntry, {
    id,
    element,
    debounce,
    monospace: true,
    label: "路由条件（Python 表达式）",
    description: "例如 routing == \"county_government\"；默认路径可不填。",
    getValue: () => bodyOf(bo.get("conditionExpression")),
    setValue: (value) => {
      const expression = value ? bpmnFactory.create("bpmn:FormalExpression", { body: value }) : undefined;
      if (expression) {
        expression.$parent = bo;
      }
      update(commandStack, [change(element, bo, { conditionExpression: expression })]);
    },
  });
}

function DocumentationEntry({ element, id }) {
  const bpmnFactory = useService("bpmnFactory");
  const commandStack = useService("commandStack");
  const debounce = useService("debounceInput");
  const bo = getBusinessObject(element);
  const docs = bo.get("documentation") || [];
  return h(TextAreaEntry, {
    id,
    element,
    debounce,
    rows: 4,
    label: "依据条款与说明",
    description: "写明依据的条款，例如“LP17：牵头单位3个工作日内响应”。",
    getValue: () => (docs[0] && docs[0].text) || "",
    setValue: (value) => {
      const documentation = value ? [bpmnFactory.create("bpmn:Documentation", { text: value })] : [];
      documentation.forEach((d) => (d.$parent = bo));
      update(commandStack, [change(element, bo, { documentation })]);
    },
  });
}

function entries(element) {
  const bo = getBusinessObject(element);
  const list = [];
  const entry = (id, component, isEdited) => list.push({ id, element, isEdited, component });
  if (isAny(bo, WAITING_TASKS)) {
    entry("keyproj-lane", LaneEntry, isTextFieldEntryEdited);
    entry("keyproj-form", FormEntry, isSelectEntryEdited);
    entry("keyproj-due", DueEntry, isSelectEntryEdited);
  }
  if (is(bo, "bpmn:Lane")) {
    entry("keyproj-lane-name", LaneNameEntry, isSelectEntryEdited);
  }
  if (timerOf(bo)) {
    entry("keyproj-deadline", DeadlineEntry, isSelectEntryEdited);
  }
  if (is(bo, "bpmn:SequenceFlow") && is(bo.sourceRef, "bpmn:ExclusiveGateway")) {
    entry("keyproj-condition", ConditionEntry, isTextAreaEntryEdited);
  }
  if (is(bo, "bpmn:BaseElement") && !is(bo, "bpmn:Definitions")) {
    entry("keyproj-documentation", DocumentationEntry, isTextAreaEntryEdited);
  }
  return list;
}

function KeyprojPropertiesProvider(propertiesPanel) {
  propertiesPanel.registerProvider(400, this);
}

KeyprojPropertiesProvider.prototype.getGroups = function (element) {
  return (groups) => {
    // Our documentation field (with the clause hint) replaces the generic one; the name is
    // what one changes most, so its group starts open.
    const kept = groups
      .filter((group) => group.id !== "documentation")
      .map((group) => (group.id === "general" ? { ...group, shouldOpen: true } : group));
    const list = entries(element);
    if (list.length) {
      kept.splice(1, 0, { id: "keyproj", label: "办理设置", entries: list, shouldOpen: true });
    }
    return kept;
  };
};

KeyprojPropertiesProvider.$inject = ["propertiesPanel"];

export default {
  __init__: ["keyprojPropertiesProvider"],
  keyprojPropertiesProvider: ["type", KeyprojPropertiesProvider],
};
