// The modeler page (/diagrams/<key>/edit): bpmn-js with our properties group and lint rules,
// "检查" (the server's validation) and "部署为新版本", each problem highlighted on its element.
import "bpmn-js/dist/assets/diagram-js.css";
import "bpmn-js/dist/assets/bpmn-js.css";
import "bpmn-js/dist/assets/bpmn-font/css/bpmn.css";
import "@bpmn-io/properties-panel/dist/assets/properties-panel.css";
import "bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css";

import BpmnModeler from "bpmn-js/lib/Modeler";
import lintModule from "bpmn-js-bpmnlint";
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from "bpmn-js-properties-panel";

import { lintConfig } from "./lint";
import keyprojProperties from "./properties";
import spiffworkflow from "./spiffworkflow.json";
import translate from "./translate";

const PROBLEM = "keyproj-problem";
// A multi-instance's collection is a data key (loopDataInputRef "parts"), not the id of a
// BPMN element: the reader drops such a reference, so it is put back as a named stub that is
// written out as before.
const DATA_REFERENCES = ["loopDataInputRef", "loopDataOutputRef"];

function keepDataReferences(modeler, warnings) {
  const moddle = modeler.get("moddle");
  for (const warning of warnings || []) {
    const property = (warning.property || "").split(":")[1];
    if (DATA_REFERENCES.includes(property) && warning.element && warning.value) {
      warning.element.set(property, moddle.create("bpmn:ItemAwareElement", { id: warning.value }));
    }
  }
}

function start(root) {
  const canvasBox = document.getElementById("modeler-canvas");
  const status = document.getElementById("modeler-status");
  const list = document.getElementById("modeler-problems");
  const choices = JSON.parse(root.dataset.choices);
  canvasBox.textContent = "";
  const modeler = new BpmnModeler({
    container: canvasBox,
    propertiesPanel: { parent: "#modeler-panel" },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      keyprojProperties,
      lintModule,
      translate,
    ],
    moddleExtensions: { spiffworkflow },
    linting: { active: true, bpmnlint: lintConfig(choices) },
    keyproj: choices,
  });
  window.keyprojModeler = modeler; // for the browser tests and the console

  function say(text, state) {
    status.textContent = text;
    status.dataset.state = state;
  }

  function clearProblems() {
    const canvas = modeler.get("canvas");
    modeler.get("overlays").remove({ type: PROBLEM });
    modeler.get("elementRegistry").forEach((element) => canvas.removeMarker(element, PROBLEM));
    list.replaceChildren();
  }

  // The server's problems: each on its element (marker and note), all in the list.
  function showProblems(problems) {
    clearProblems();
    const registry = modeler.get("elementRegistry");
    for (const problem of problems) {
      const element = problem.element_id && registry.get(problem.element_id);
      const item = document.createElement("li");
      item.dataset.element = problem.element_id || "";
      if (element) {
        modeler.get("canvas").addMarker(element, PROBLEM);
        const note = document.createElement("div");
        note.className = "keyproj-problem-note";
        note.textContent = problem.message;
        modeler.get("overlays").add(element, PROBLEM, { position: { bottom: 4, left: 0 }, html: note });
        const link = document.createElement("button");
        link.type = "button";
        link.className = "link-button";
        link.textContent = element.businessObject.name || problem.element_id;
        link.addEventListener("click", () => {
          modeler.get("selection").select(element);
          modeler.get("canvas").scrollToElement(element);
        });
        item.append(link, "：");
      }
      item.append(problem.message);
      list.append(item);
    }
  }

  async function post(url, body) {
    const { xml } = await modeler.saveXML({ format: true });
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
      body: JSON.stringify({ xml, ...body }),
    });
    let answer = null;
    try {
      answer = await response.json();
    } catch (error) {
      answer = { message: `服务器未能处理（HTTP ${response.status}）`, problems: [] };
    }
    return { status: response.status, answer };
  }

  function addVersion(answer) {
    const row = document.createElement("tr");
    row.dataset.version = String(answer.version);
    for (const text of [`第 ${answer.version} 版`, "在用", answer.deployed_at, answer.deployed_by, answer.note]) {
      const cell = document.createElement("td");
      cell.textContent = text;
      row.append(cell);
    }
    document.querySelector("#modeler-versions tbody").prepend(row);
    document.getElementById("modeler-opened").textContent = `第 ${answer.version} 版`;
    root.dataset.version = String(answer.version); // the next deploy builds on this one
  }

  document.getElementById("modeler-check").addEventListener("click", async () => {
    say("正在检查…", "busy");
    try {
      const { status: code, answer } = await post(root.dataset.check, {});
      showProblems(answer.problems || []);
      if (code !== 200) {
        say(answer.message || `检查失败（HTTP ${code}）`, "error");
      } else if (answer.problems.length) {
        say(`检查发现 ${answer.problems.length} 个问题，未通过`, "error");
      } else {
        say("检查通过：可以部署", "ok");
      }
    } catch (error) {
      say(`检查失败：${error.message || error}`, "error");
    }
  });

  // Leaving with changes that were not deployed asks first.
  let changed = false;
  modeler.on("commandStack.changed", (event) => {
    changed = changed || event.trigger !== "clear"; // opening the diagram clears the stack
  });
  window.addEventListener("beforeunload", (event) => {
    if (changed) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.getElementById("modeler-deploy").addEventListener("click", async () => {
    say("正在部署…", "busy");
    try {
      const note = document.getElementById("modeler-note").value;
      const base = Number(root.dataset.version);
      const { status: code, answer } = await post(root.dataset.deploy, { note, base });
      showProblems(answer.problems || []);
      if (code === 200) {
        if (answer.created) {
          addVersion(answer);
        }
        changed = false;
        say(answer.message, "ok");
      } else {
        say(answer.message || `部署失败（HTTP ${code}）`, "error");
      }
    } catch (error) {
      say(`部署失败：${error.message || error}`, "error");
    }
  });

  fetch(root.dataset.source, { credentials: "same-origin" })
    .then((response) => {
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      return response.text();
    })
    .then((xml) => modeler.importXML(xml))
    .then(({ warnings }) => {
      keepDataReferences(modeler, warnings);
      modeler.get("canvas").zoom("fit-viewport");
      canvasBox.dataset.state = "ready";
    })
    .catch((error) => {
      canvasBox.dataset.state = "error";
      say(`流程图加载失败：${error.message || error}`, "error");
    });
}

const root = document.getElementById("modeler");
if (root) {
  start(root);
}
