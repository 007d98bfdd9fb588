/* The dashboard's charts, drawn with ECharts from the JSON in data-dashboard.
   The same numbers are in the table beside each chart, which is what screen readers read. */
(function () {
  "use strict";

  var COLOURS = { green: "#2e7d32", blue: "#1565c0", yellow: "#f9a825", red: "#c62828" };
  var GREY = "#8a96a8";
  var DARK = "#1d4f91";

  function base(title) {
    return {
      // Plain-text tooltips: the HTML ones carry inline styles, which the page's CSP refuses.
      tooltip: { trigger: "axis", renderMode: "richText" },
      title: { text: title, left: 0, textStyle: { fontSize: 14 } },
      legend: { top: 0, right: 0 },
      grid: { left: 60, right: 60, top: 50, bottom: 60 },
      aria: { enabled: true }
    };
  }

  function months(d) {
    var o = base("序时计划投资与完成投资（万元）");
    o.xAxis = { type: "category", data: d.labels };
    o.yAxis = [{ type: "value", name: "万元" }, { type: "value", name: "%", min: 0 }];
    o.series = [
      { name: "序时计划投资", type: "bar", data: d.planned, itemStyle: { color: GREY } },
      { name: "完成投资", type: "bar", data: d.completed, itemStyle: { color: DARK } },
      { name: "完成序时进度（%）", type: "line", yAxisIndex: 1, data: d.rate }
    ];
    return o;
  }

  function colours(d) {
    var o = base("四色分布（个）");
    o.tooltip = { trigger: "item", renderMode: "richText" };
    o.series = [{
      type: "pie", radius: ["35%", "65%"],
      data: d.map(function (c) {
        return { name: c.name, value: c.value, itemStyle: { color: COLOURS[c.key] || GREY } };
      })
    }];
    return o;
  }

  function starts(d) {
    var o = base("开工率与目标（%）");
    o.xAxis = { type: "category", data: d.labels };
    o.yAxis = { type: "value", min: 0, max: 100 };
    o.series = [
      { name: "目标", type: "line", data: d.target, lineStyle: { type: "dashed" }, itemStyle: { color: GREY } },
      { name: "开工率", type: "bar", data: d.rate, itemStyle: { color: DARK } }
    ];
    return o;
  }

  function stuck(d) {
    var o = base("未办结与逾期任务（项）");
    o.xAxis = { type: "value", minInterval: 1 };
    o.yAxis = { type: "category", data: d.labels, inverse: true };
    o.grid.left = 160;
    o.series = [
      { name: "未办结", type: "bar", data: d.open, itemStyle: { color: GREY } },
      { name: "已逾期", type: "bar", data: d.overdue, itemStyle: { color: COLOURS.red } }
    ];
    return o;
  }

  function rankings(g) {
    var o = base(g.label + "各期名次");
    o.xAxis = { type: "category", data: g.periods };
    o.yAxis = { type: "value", inverse: true, min: 1, minInterval: 1, name: "名次" };
    o.series = g.units.map(function (u) {
      return { name: u.name, type: "line", data: u.ranks, connectNulls: false };
    });
    return o;
  }

  function start() {
    var holder = document.getElementById("dashboard-charts");
    if (!window.echarts || !holder) {
      return;
    }
    var data;
    try {
      data = JSON.parse(holder.getAttribute("data-dashboard"));
    } catch (e) {
      return; // the tables still show every number
    }
    var draw = { months: months, colours: colours, starts: starts, stuck: stuck };
    Array.prototype.forEach.call(holder.querySelectorAll("[data-dash-chart]"), function (box) {
      var kind = box.getAttribute("data-dash-chart");
      var option = kind === "rankings"
        ? rankings(data.rankings[Number(box.getAttribute("data-group"))])
        : draw[kind](data[kind]);
      var chart = window.echarts.init(box);
      chart.setOption(option);
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
