/* Plan-against-actual charts of the project page, drawn with ECharts from the JSON in data-chart.
   The same numbers are in the table beside the chart, which is what screen readers read. */
(function () {
  "use strict";

  var PLAN = "#8a96a8";
  var ACTUAL = "#1d4f91";

  function series(name, data, colour, dashed) {
    return {
      name: name,
      type: "line",
      data: data,
      connectNulls: false,
      symbolSize: 7,
      itemStyle: { color: colour },
      lineStyle: { color: colour, width: 2, type: dashed ? "dashed" : "solid" }
    };
  }

  function option(title, unit, labels, planned, actual) {
    return {
      // Plain-text tooltips: the HTML ones carry inline styles, which the page's CSP refuses.
      tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (v) {
        return v === null || v === undefined ? "—" : v + unit;
      } },
      title: { text: title + "（" + unit + "）", left: 0, textStyle: { fontSize: 14 } },
      legend: { top: 0, right: 0 },
      grid: { left: 60, right: 20, top: 50, bottom: 40 },
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", min: 0, max: unit === "%" ? 100 : null },
      aria: { enabled: true },
      series: [series("计划", planned, PLAN, true), series("实际", actual, ACTUAL, false)]
    };
  }

  function draw(holder) {
    var data;
    try {
      data = JSON.parse(holder.getAttribute("data-chart"));
    } catch (e) {
      return; // the table beside it still shows every number
    }
    var parts = holder.querySelectorAll("[data-chart-part]");
    Array.prototype.forEach.call(parts, function (box) {
      var chart = window.echarts.init(box);
      if (box.getAttribute("data-chart-part") === "investment") {
        chart.setOption(option("年度累计投资", "万元", data.labels, data.planned_investment, data.actual_investment));
      } else {
        chart.setOption(option("形象进度", "%", data.labels, data.planned_pct, data.actual_pct));
      }
      window.addEventListener("resize", function () { chart.resize(); });
    });
    holder.classList.add("progress-chart--ready");
  }

  function start() {
    if (!window.echarts) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
