/* Where to settle: each valley's amounts by category, stacked; data comes from the page (json_script), the
   words from the chart holder's data- attributes (translated in the template). */
(function () {
  "use strict";
  var holder = document.getElementById("settle-chart");
  var source = document.getElementById("settle-chart-data");
  if (!holder || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var words = holder.dataset;
  var money = function (v) {
    return Number(v).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + " " + words.yuan;
  };
  var chart = echarts.init(holder, null, { renderer: "canvas" });
  chart.on("finished", function () { holder.setAttribute("data-chart-ready", "1"); });
  chart.setOption({
    animation: false,
    title: { text: words.title, left: "center", textStyle: { fontSize: 14 } },
    tooltip: {
      trigger: "item",
      formatter: function (p) { return p.name + "<br>" + p.seriesName + ": " + money(p.value); }
    },
    legend: { type: "scroll", bottom: 0 },
    grid: { left: 90, right: 20, top: 40, bottom: 60 },
    xAxis: { type: "category", data: data.valleys },
    yAxis: { type: "value", axisLabel: { formatter: function (v) { return (v / 10000) + " " + words.wan; } } },
    series: data.series.map(function (s) {
      return { name: s.name, type: "bar", stack: s.stack, data: s.data.map(Number), emphasis: { focus: "series" } };
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
