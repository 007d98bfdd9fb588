/* The case diagram: bpmn-js NavigatedViewer on the case's pinned BPMN, open tasks marked. */
(function () {
  "use strict";

  var container = document.getElementById("case-diagram");
  if (!container) {
    return;
  }

  function fail(message) {
    container.setAttribute("data-state", "error");
    container.textContent = "流程图加载失败：" + message;
  }

  if (typeof window.BpmnJS !== "function") {
    fail("缺少流程图组件");
    return;
  }

  var active = (container.getAttribute("data-active") || "").split(",").filter(Boolean);
  container.textContent = "";
  var viewer = new window.BpmnJS({ container: container });

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
      var canvas = viewer.get("canvas");
      var registry = viewer.get("elementRegistry");
      canvas.zoom("fit-viewport");
      active.forEach(function (id) {
        if (registry.get(id)) {
          canvas.addMarker(id, "is-active");
        }
      });
      container.setAttribute("data-state", "ready");
    })
    .catch(function (error) {
      fail(error && error.message ? error.message : String(error));
    });
})();
