/* Budget simulation charts: baseline vs reform by year (bars) and for the most changed measures.
   Data comes from the page (json_script, amounts in integer fen). The report may arrive later through
   HTMX (progress polling), so charts are drawn on load and after every swap. */
(function () {
  "use strict";
  var yuan = function (fen) { return fen / 100; };
  var money = function (v) {
    return Number(v).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " 元";
  };
  var wan = function (v) {
    if (Math.abs(v) >= 1e8) { return (v / 1e8).toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + " 亿"; }
    return (v / 1e4).toLocaleString("zh-CN", { maximumFractionDigits: 2 }) + " 万";
  };
  var tooltip = {
    trigger: "axis",
    axisPointer: { type: "shadow" },
    formatter: function (items) {
      return items[0].axisValueLabel + items.map(function (p) { return "<br>" + p.marker + p.seriesName + ": " + money(p.value); }).join("");
    }
  };

  function draw(holder, option) {
    if (!holder || holder.getAttribute("data-chart-drawn")) { return; }
    holder.setAttribute("data-chart-drawn", "1");
    var chart = echarts.init(holder, null, { renderer: "canvas" });
    chart.on("finished", function () { holder.setAttribute("data-chart-ready", "1"); });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function init() {
    var source = document.getElementById("sim-chart-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    draw(document.getElementById("sim-year-chart"), {
      animation: false,
      title: { text: "按年份: 基准与改革 (元)", left: "center", textStyle: { fontSize: 14 } },
      tooltip: tooltip,
      legend: { bottom: 0 },
      grid: { left: 80, right: 80, top: 40, bottom: 50 },
      xAxis: { type: "category", data: data.years },
      yAxis: [
        { type: "value", name: "支出", axisLabel: { formatter: wan } },
        { type: "value", name: "差额", axisLabel: { formatter: wan }, splitLine: { show: false } }
      ],
      series: [
        { name: "现行政策 (基准)", type: "bar", barMaxWidth: 48, data: data.baseline_by_year.map(yuan) },
        { name: "改革方案", type: "bar", barMaxWidth: 48, data: data.reform_by_year.map(yuan) },
        {
          name: "差额 (改革 − 基准)", type: "line", yAxisIndex: 1, symbolSize: 8,
          data: data.reform_by_year.map(function (r, i) { return yuan(r - data.baseline_by_year[i]); })
        }
      ]
    });
    draw(document.getElementById("sim-measure-chart"), {
      animation: false,
      title: {
        text: data.measures_changed ? "变化最大的措施 (前15项, 元)" : "方案未改变任何金额: 支出最多的措施 (前15项, 元)",
        left: "center", textStyle: { fontSize: 14 }
      },
      tooltip: tooltip,
      legend: { bottom: 0 },
      grid: { left: 200, right: 30, top: 40, bottom: 50 },
      xAxis: { type: "value", axisLabel: { formatter: wan } },
      yAxis: { type: "category", data: data.measures, axisLabel: { width: 180, overflow: "truncate" } },
      series: [
        { name: "现行政策 (基准)", type: "bar", barMaxWidth: 24, data: data.baseline_by_measure.map(yuan) },
        { name: "改革方案", type: "bar", barMaxWidth: 24, data: data.reform_by_measure.map(yuan) }
      ]
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  document.body.addEventListener("htmx:afterSettle", init);
})();
