/* The inbox: a "select all" box for the bulk claim. */
(function () {
  "use strict";

  var all = document.getElementById("check-all");
  if (!all) {
    return;
  }
  var boxes = document.querySelectorAll('input[type="checkbox"][name="task"]');
  all.addEventListener("change", function () {
    boxes.forEach(function (box) {
      box.checked = all.checked;
    });
  });
})();
