// Dashboard charts: a stacked bar chart per breakdown (statuses, or deadline levels) and a
// line chart of the weekly sign-off trend, from the JSON block the page carries
// (a <script type="application/json">, which the CSP allows because it is never executed).
// Clicking a bar opens the problems behind it: the search page with that row's filter and the
// bar's status; "下载图片" saves the chart as PNG through ECharts' own getDataURL.
(function () {
  "use strict";
  var STACK = ["signed_off", "long_term", "pending_review", "basically_done", "long_term_review",
               "in_progress", "returned", "not_started"];
  var COLOURS = {signed_off: "#2e7d32", long_term: "#66bb6a", pending_review: "#9ccc65",
                 basically_done: "#d4e157", long_term_review: "#ffca28", in_progress: "#42a5f5",
                 returned: "#ef6c00", not_started: "#bdbdbd"};

  function listUrl(data, chart, row, status) {
    var params = new URLSearchParams();
    Object.keys(data.base).forEach(function (key) { params.set(key, data.base[key]); });
    if (chart.filter && row.key !== null) { params.set(chart.filter, row.key); }
    if (status) { params.set("status", status); }
    return "/search/?" + params.toString();
  }

  var LEVELS = ["overdue", "warning", "notice", "late_plans"];
  var LEVEL_COLOURS = {overdue: "#c62828", warning: "#ef6c00", notice: "#f9a825",
                       late_plans: "#6a1b9a"};

  function barOptions(data, chart, series) {
    return {
      animation: false,
      // richText: the tooltip is drawn on the canvas; an HTML tooltip carries style
      // attributes, which the CSP (style-src 'self') refuses.
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, renderMode: "richText"},
      legend: {top: 0},
      grid: {left: 8, right: 16, bottom: 8, top: 40, containLabel: true},
      xAxis: {type: "value", minInterval: 1},
      yAxis: {type: "category", inverse: true,
              data: chart.rows.map(function (row) { return row.label; })},
      series: series
    };
  }

  function statusChart(data, chart) {
    var rows = chart.rows;
    var used = STACK.filter(function (code) {
      return rows.some(function (row) { return row.statuses[code] > 0; });
    });
    var series = used.map(function (code) {
      return {name: data.statuses[code], type: "bar", stack: "status",
              itemStyle: {color: COLOURS[code]},
              data: rows.map(function (row) { return row.statuses[code]; })};
    });
    return {options: barOptions(data, chart, series), statuses: used};
  }

  function levelChart(data, chart) {
    var rows = chart.rows;
    var series = LEVELS.map(function (code) {
      return {name: data.levels[code], type: "bar", stack: code === "late_plans" ? "plan" : "level",
              itemStyle: {color: LEVEL_COLOURS[code]},
              data: rows.map(function (row) {
                return code === "late_plans" ? row.late_plans : row.levels[code];
              })};
    });
    // A level bar opens the problems behind the row; the search has no level filter.
    return {options: barOptions(data, chart, series), statuses: []};
  }

  function trendChart(data, chart) {
    var rows = chart.rows;
    return {statuses: [], options: {
      animation: false,
      tooltip: {trigger: "axis", renderMode: "richText"},
      legend: {top: 0},
      grid: {left: 8, right: 16, bottom: 8, top: 40, containLabel: true},
      xAxis: {type: "category", data: rows.map(function (row) { return row.week; })},
      yAxis: {type: "value", minInterval: 1},
      series: [
        {name: "累计销号", type: "line", showSymbol: false, itemStyle: {color: "#2e7d32"},
         areaStyle: {opacity: 0.15}, data: rows.map(function (row) { return row.cum_signed_off; })},
        {name: "累计到期（时限线）", type: "line", step: "end", showSymbol: false,
         itemStyle: {color: "#c62828"}, lineStyle: {type: "dashed"},
         data: rows.map(function (row) { return row.cum_due; })},
        {name: "本周销号", type: "bar", itemStyle: {color: "#66bb6a"},
         data: rows.map(function (row) { return row.signed_off; })}
      ]
    }};
  }

  var KINDS = {status: statusChart, levels: levelChart, trend: trendChart};

  function draw(element, data, chart) {
    var built = KINDS[chart.kind](data, chart);
    var instance = window.echarts.init(element, null, {renderer: "canvas"});
    instance.setOption(built.options);
    instance.on("click", function (event) {
      if (!chart.filter || event.componentType !== "series") { return; }
      var row = chart.rows[event.dataIndex];
      window.location.href = listUrl(data, chart, row, built.statuses[event.seriesIndex]);
    });
    var height = chart.kind === "trend" ? 320 : Math.max(200, 60 + chart.rows.length * 28);
    element.style.height = height + "px";
    instance.resize();
    return instance;
  }

  function start() {
    var source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var instances = {};
    document.querySelectorAll(".chart[data-chart]").forEach(function (element) {
      var index = Number(element.getAttribute("data-chart"));
      instances[index] = draw(element, data, data.charts[index]);
      element.setAttribute("data-ready", "true");
    });
    document.querySelectorAll("button.chart-png").forEach(function (button) {
      button.addEventListener("click", function () {
        var index = Number(button.getAttribute("data-chart"));
        var link = document.createElement("a");
        link.href = instances[index].getDataURL({type: "png", pixelRatio: 2,
                                                 backgroundColor: "#fff"});
        link.download = data.charts[index].title + ".png";
        document.body.appendChild(link);
        link.click();
        link.remove();
      });
    });
    window.addEventListener("resize", function () {
      Object.keys(instances).forEach(function (key) { instances[key].resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
