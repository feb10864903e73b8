// Dashboard charts: one stacked bar chart per breakdown, from the JSON block the page carries
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

  function draw(element, data, chart) {
    var rows = chart.rows;
    var used = STACK.filter(function (code) {
      return rows.some(function (row) { return row.statuses[code] > 0; });
    });
    var instance = window.echarts.init(element, null, {renderer: "canvas"});
    instance.setOption({
      animation: false,
      // richText: the tooltip is drawn on the canvas; an HTML tooltip carries style
      // attributes, which the CSP (style-src 'self') refuses.
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, renderMode: "richText"},
      legend: {top: 0},
      grid: {left: 8, right: 16, bottom: 8, top: 40, containLabel: true},
      xAxis: {type: "value", minInterval: 1},
      yAxis: {type: "category", inverse: true,
              data: rows.map(function (row) { return row.label; })},
      series: used.map(function (code) {
        return {name: data.statuses[code], type: "bar", stack: "status", code: code,
                itemStyle: {color: COLOURS[code]},
                data: rows.map(function (row) { return row.statuses[code]; })};
      })
    });
    instance.on("click", function (event) {
      if (!chart.filter) { return; }
      var row = rows[event.dataIndex];
      window.location.href = listUrl(data, chart, row, used[event.seriesIndex]);
    });
    element.style.height = Math.max(200, 60 + rows.length * 28) + "px";
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
