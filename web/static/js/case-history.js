/* The case history (X4): the pinned diagram with the path so far and the position marked; the
   step slider re-marks the diagram and the step list at once, and loads the step's facts. */
(function () {
  "use strict";

  var container = document.getElementById("case-diagram");
  var range = document.getElementById("step-range");
  var label = document.getElementById("step-label");
  var marksNode = document.getElementById("history-marks");
  var marks = marksNode ? JSON.parse(marksNode.textContent) : [];
  var viewer = null;
  var shown = { path: [], position: [] };

  function ids(name) {
    return (container.getAttribute(name) || "").split(",").filter(Boolean);
  }

  // The flows taken: both ends reached (the engine records the nodes; a flow between two
  // reached nodes, or into where the case waits, was followed).
  function flows(wanted) {
    var reached = {};
    wanted.path.concat(wanted.position).forEach(function (id) { reached[id] = true; });
    var done = {};
    wanted.path.forEach(function (id) { done[id] = true; });
    return viewer.get("elementRegistry").filter(function (element) {
      return element.type === "bpmn:SequenceFlow" && element.source && element.target &&
        done[element.source.id] && reached[element.target.id];
    }).map(function (element) { return element.id; });
  }

  function mark(step) {
    var wanted = marks[step - 1] || { path: [], position: [] };
    if (viewer) {
      var canvas = viewer.get("canvas");
      var registry = viewer.get("elementRegistry");
      var taken = flows(wanted);
      (shown.path.concat(shown.flows || [])).forEach(function (id) { if (registry.get(id)) { canvas.removeMarker(id, "is-done"); } });
      shown.position.forEach(function (id) { if (registry.get(id)) { canvas.removeMarker(id, "is-active"); } });
      wanted.path.concat(taken).forEach(function (id) { if (registry.get(id)) { canvas.addMarker(id, "is-done"); } });
      wanted.position.forEach(function (id) { if (registry.get(id)) { canvas.addMarker(id, "is-active"); } });
      wanted = { path: wanted.path, position: wanted.position, flows: taken };
    }
    shown = wanted;
    container.setAttribute("data-step", String(step));
    container.setAttribute("data-active", wanted.position.join(","));
    container.setAttribute("data-path", wanted.path.join(","));
  }

  function highlight(step) {
    var items = document.querySelectorAll("#history-steps .history-step");
    Array.prototype.forEach.call(items, function (item) {
      var current = item.getAttribute("data-step") === String(step);
      item.classList.toggle("is-current", current);
      if (current) {
        item.setAttribute("aria-current", "step");
      } else {
        item.removeAttribute("aria-current");
      }
    });
    if (label) {
      label.textContent = "第" + step + "步 / 共" + marks.length + "步";
    }
  }

  if (range) {
    Array.prototype.forEach.call(document.querySelectorAll("#history-slider .js-hidden"), function (node) {
      node.hidden = true;
    });
    range.addEventListener("input", function () {
      var step = parseInt(range.value, 10);
      highlight(step);
      mark(step);
    });
    range.addEventListener("change", function () {
      // The step's facts (its data, who acted, the deadlines) come from the server.
      var url = new URL(window.location.href);
      url.searchParams.set("step", range.value);
      window.location.assign(url.toString());
    });
  }

  if (!container) {
    return;
  }
  if (typeof window.BpmnJS !== "function") {
    container.setAttribute("data-state", "error");
    container.textContent = "流程图加载失败：缺少流程图组件";
    return;
  }
  shown = { path: [], position: [] };
  var first = { path: ids("data-path"), position: ids("data-active") };
  container.textContent = "";
  viewer = new window.BpmnJS({ container: container });
  fetch(container.getAttribute("data-src"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.text();
    })
    .then(function (xml) {
      return viewer.importXML(xml);
    })
    .then(function () {
      viewer.get("canvas").zoom("fit-viewport");
      var step = range ? parseInt(range.value, 10) : marks.length;
      if (!marks[step - 1]) {
        marks[step - 1] = first;
      }
      mark(step);
      container.setAttribute("data-state", "ready");
    })
    .catch(function (error) {
      container.setAttribute("data-state", "error");
      container.textContent = "流程图加载失败：" + (error && error.message ? error.message : String(error));
    });
})();
